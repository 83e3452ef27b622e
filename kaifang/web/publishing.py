"""Publishing from the portal, for logged-in editors: upload a file, read the inspect and
screening reports, adjust the proposed privacy policy column by column, publish."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from kaifang.service import UserRecord
from kaifang.service.access import service_of
from kaifang.service.uploads import UploadArea
from kaifang.web.i18n import language_of, translator
from kaifang.web.rendering import current_user, redirect, render
from kaifang.web.security import check_csrf

router = APIRouter(include_in_schema=False)


def _editor(request: Request) -> UserRecord | None:
    return current_user(request)


def _uploads(request: Request) -> UploadArea:
    return service_of(request).uploads


def _orgs(request: Request, user: UserRecord) -> list[str]:
    return service_of(request).publishable_orgs(user)


@router.get("/publish", response_class=HTMLResponse)
def publish_form(request: Request) -> Response:
    user = _editor(request)
    if user is None:
        return redirect("/login?next=/publish")
    return render(request, "publish.html", orgs=_orgs(request, user), error=None)


@router.post("/publish", response_class=HTMLResponse)
def upload(
    request: Request,
    file: UploadFile = File(...),
    org: str = Form(""),
    csrf: str = Form(""),
) -> Response:
    check_csrf(request, csrf)
    user = _editor(request)
    if user is None:
        return redirect("/login?next=/publish")
    if org not in _orgs(request, user):
        message = "publish.choose_org"  # a catalogue key: the page shows it in its language
        return render(request, "publish.html", status=422, orgs=_orgs(request, user), error=message)
    upload_id = _uploads(request).save(user.name, file.filename or "", file.file, org=org)
    return redirect(f"/publish/{upload_id}")


def _review(request: Request, user: UserRecord, upload_id: str, **context: Any) -> Response:
    report = _uploads(request).inspect(upload_id, owner=user.name)
    may_cite = user.role_in(report["upload"]["org"]) == "admin"
    return render(request, "publish_review.html", report=report, may_cite=may_cite, **context)


@router.get("/publish/{upload_id}", response_class=HTMLResponse)
def review(request: Request, upload_id: str) -> Response:
    user = _editor(request)
    if user is None:
        return redirect("/login?next=/publish")
    return _review(request, user, upload_id, problems={}, form={})


@router.post("/publish/{upload_id}", response_class=HTMLResponse)
async def publish(request: Request, upload_id: str) -> Response:
    form = {k: str(v) for k, v in (await request.form()).items()}
    check_csrf(request, form.get("csrf"))
    user = _editor(request)
    if user is None:
        return redirect("/login?next=/publish")
    reviewed = service_of(request).publish_reviewed_upload(user, upload_id, form)
    if reviewed.confirmation is not None:
        return render(
            request, "publish_confirm.html", upload_id=upload_id, confirm=reviewed.confirmation
        )
    result = reviewed.result
    if result is None:
        by_column: dict[str, list[str]] = {}
        translate = translator(language_of(request))
        for problem in reviewed.problems:
            key = f"problem.{problem.code}"
            if problem.code.startswith("metadata_"):  # a metadata field's value, as when editing
                key = "edit.invalid." + problem.code.removeprefix("metadata_")
            known = translate(key)
            message = problem.message if known == key else known
            if problem.code == "legal_basis":  # which basis or column: the detail matters
                message = f"{known} ({problem.message})"
            by_column.setdefault(problem.column, []).append(message)
        return _review(request, user, upload_id, status=422, problems=by_column, form=form)
    return redirect(f"/datasets/{result['dataset']}?published={result['version']}")
