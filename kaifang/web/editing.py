"""Editing a dataset's metadata in the portal, for its organization's editors: every field of
the national metadata standard and each column's description, without publishing data. Each
refused value is shown on its field, in the page's language."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from kaifang.catalog.records import UserRecord
from kaifang.service import editing
from kaifang.service.access import service_of
from kaifang.web.i18n import language_of, translator
from kaifang.web.rendering import current_user, redirect, render
from kaifang.web.security import check_csrf

router = APIRouter(include_in_schema=False)


def _form(
    request: Request,
    user: UserRecord | None,
    dataset_id: str,
    *,
    status: int = 200,
    sent: dict[str, str] | None = None,
    problems: dict[str, str] | None = None,
) -> Response:
    view = editing.edit_form(service_of(request), user, dataset_id)
    values = view["values"]
    if sent is not None:  # show what was sent, not what is stored
        values = {**values, **{k: v for k, v in sent.items() if not k.startswith("column:")}}
        for key, text in sent.items():
            if key.startswith(editing.COLUMN_PREFIX):
                slug, _, column = key.removeprefix(editing.COLUMN_PREFIX).partition(":")
                values["columns"].setdefault(slug, {})[column] = text
    return render(
        request, "edit.html", status=status, view=view, values=values, problems=problems or {}
    )


@router.get("/datasets/{dataset_id}/edit", response_class=HTMLResponse)
def edit_form(request: Request, dataset_id: str) -> Response:
    user = current_user(request)
    if user is None:
        return redirect(f"/login?next=/datasets/{dataset_id}/edit")
    return _form(request, user, dataset_id)


@router.post("/datasets/{dataset_id}/edit", response_class=HTMLResponse)
async def save(request: Request, dataset_id: str) -> Response:
    form = {k: str(v) for k, v in (await request.form()).items()}
    check_csrf(request, form.pop("csrf", None))
    user = current_user(request)
    if user is None:
        return redirect(f"/login?next=/datasets/{dataset_id}/edit")
    result, problems = editing.save_metadata(service_of(request), user, dataset_id, form)
    if result is None:
        translate = translator(language_of(request))
        messages: dict[str, str] = {}
        for problem in problems:
            key = f"edit.invalid.{problem['code']}"
            known = translate(key)
            messages[problem["field"]] = known if known != key else problem["message"]
        return _form(request, user, dataset_id, status=422, sent=form, problems=messages)
    changed = len(result["changes"])
    return redirect(f"/datasets/{result['dataset']}?edited={changed}")
