"""The community's pages: a dataset request's status page and the list of requests,
reporting a problem with a dataset and answering it, and showcases (submit, review, list).
Every form is CSRF-checked; who may answer, close or review is checked by the catalog."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from kaifang.catalog.models import REPORT_KINDS, SHOWCASE_KINDS
from kaifang.catalog.requests import FILTERS
from kaifang.errors import NotFoundError, ValidationError
from kaifang.service import community
from kaifang.service.access import service_of
from kaifang.web.rendering import TEMPLATES, current_user, redirect, render
from kaifang.web.security import check_csrf

router = APIRouter(include_in_schema=False)
PAGE = 20


def web_link(value: Any) -> str:
    """A user-submitted link as an ``href``: http(s) only, else nothing that runs."""
    text = str(value or "")
    return text if urlsplit(text).scheme.lower() in ("http", "https") else "#"


TEMPLATES.env.filters["weblink"] = web_link


def _id(value: str, what: str) -> int:
    if not value.isdigit() or not 1 <= int(value) < 2**31:
        raise NotFoundError(f"no {what} {value!r}", key=what)
    return int(value)


def _problem(error: ValidationError) -> dict[str, str]:
    return {"key": str(error.details.get("key", "")), "message": error.message}


# -- dataset requests ---------------------------------------------------------------------------


@router.get("/requests", response_class=HTMLResponse)
def request_list(
    request: Request, org: str | None = None, status: str | None = None, page: int = 1
) -> Response:
    service = service_of(request)
    chosen_status = status if status in FILTERS else None
    chosen_org = org or None
    number = max(1, min(page, 10_000))
    listed = community.request_list(
        service, org=chosen_org, status=chosen_status, limit=PAGE, offset=(number - 1) * PAGE
    )
    params = {k: v for k, v in (("org", chosen_org), ("status", chosen_status)) if v}
    return render(
        request,
        "requests.html",
        listed=listed,
        orgs=service.organizations(),
        chosen_org=chosen_org,
        chosen_status=chosen_status,
        statuses=FILTERS,
        page=number,
        older=f"/requests?{urlencode({**params, 'page': number + 1})}"
        if number * PAGE < listed["total"]
        else None,
        newer=f"/requests?{urlencode({**params, 'page': number - 1})}" if number > 1 else None,
    )


@router.get("/requests/{request_id}", response_class=HTMLResponse)
def request_status(request: Request, request_id: str) -> Response:
    service = service_of(request)
    found = community.request_detail(service, _id(request_id, "request"))
    org = service.organization(found["organization"])
    return render(request, "request.html", r=found, org=org)


# -- data-quality reports -----------------------------------------------------------------------


def _report_form(
    request: Request, dataset_id: str, *, status: int = 200, form: dict[str, Any] | None = None,
    error: dict[str, str] | None = None,
) -> Response:  # fmt: skip
    dataset = service_of(request).get_dataset(dataset_id)
    return render(
        request, "report_new.html", status=status, dataset=dataset, kinds=REPORT_KINDS,
        form=form or {}, error=error,
    )  # fmt: skip


@router.get("/datasets/{dataset_id}/report", response_class=HTMLResponse)
def report_form(request: Request, dataset_id: str) -> Response:
    if current_user(request) is None:
        return redirect(f"/login?next=/datasets/{quote(dataset_id)}/report")
    return _report_form(request, dataset_id, form={"kind": request.query_params.get("kind")})


@router.post("/datasets/{dataset_id}/report", response_class=HTMLResponse)
def file_report(
    request: Request,
    dataset_id: str,
    kind: str = Form(""),
    resource: str = Form(""),
    row: str = Form(""),
    column: str = Form(""),
    description: str = Form(""),
    csrf: str = Form(""),
) -> Response:
    check_csrf(request, csrf)
    user = current_user(request)
    if user is None:
        return redirect(f"/login?next=/datasets/{quote(dataset_id)}/report")
    form = {"kind": kind, "resource": resource, "row": row, "column": column,
            "description": description}  # fmt: skip
    try:
        if row.strip() and not row.strip().isdigit():
            raise ValidationError(f"row {row!r} is not a row number", key="row")
        filed = community.file_report(
            service_of(request), user, dataset_id, kind=kind, resource=resource,
            row=int(row) if row.strip() else None, column=column, description=description,
        )  # fmt: skip
    except ValidationError as exc:
        return _report_form(request, dataset_id, status=422, form=form, error=_problem(exc))
    return redirect(f"/datasets/{quote(filed['dataset'])}?reported={filed['id']}#reports")


@router.post("/reports/{report_id}/answer")
def answer_report(
    request: Request,
    report_id: str,
    response: str = Form(""),
    close: str = Form(""),
    csrf: str = Form(""),
) -> Response:
    check_csrf(request, csrf)
    answered = community.answer_report(
        service_of(request), current_user(request), _id(report_id, "report"),
        response=response, close=bool(close),
    )  # fmt: skip
    return redirect(f"/datasets/{quote(answered['dataset'])}?answered={answered['id']}#reports")


# -- showcases ----------------------------------------------------------------------------------


@router.get("/showcases", response_class=HTMLResponse)
def showcases(request: Request) -> Response:
    service = service_of(request)
    return render(
        request,
        "showcases.html",
        listed=community.showcase_list(service, limit=200),
        pending=community.pending_showcases_for(service, current_user(request)),
    )


def _showcase_form(
    request: Request, *, status: int = 200, form: dict[str, Any],
    error: dict[str, str] | None = None,
) -> Response:  # fmt: skip
    return render(
        request, "showcase_new.html", status=status, kinds=SHOWCASE_KINDS, form=form, error=error
    )


@router.get("/showcases/new", response_class=HTMLResponse)
def showcase_form(request: Request, dataset: str = "") -> Response:
    if current_user(request) is None:
        return redirect(f"/login?next=/showcases/new?dataset={quote(dataset)}")
    return _showcase_form(request, form={"datasets": dataset})


@router.post("/showcases", response_class=HTMLResponse)
def submit_showcase(
    request: Request,
    title: str = Form(""),
    url: str = Form(""),
    kind: str = Form(""),
    datasets: str = Form(""),
    description: str = Form(""),
    image_url: str = Form(""),
    csrf: str = Form(""),
) -> Response:
    check_csrf(request, csrf)
    user = current_user(request)
    if user is None:
        return redirect("/login?next=/showcases/new")
    form = {"title": title, "url": url, "kind": kind, "datasets": datasets,
            "description": description, "image_url": image_url}  # fmt: skip
    try:
        community.submit_showcase(
            service_of(request), user, title=title, url=url, kind=kind,
            datasets=datasets.replace("，", ",").split(","), description=description,
            image_url=image_url,
        )  # fmt: skip
    except ValidationError as exc:
        return _showcase_form(request, status=422, form=form, error=_problem(exc))
    except NotFoundError as exc:
        problem = {"key": "dataset", "message": exc.message}
        return _showcase_form(request, status=422, form=form, error=problem)
    return redirect("/showcases?submitted=1")


@router.post("/showcases/{showcase_id}/review")
def review_showcase(
    request: Request, showcase_id: str, decision: str = Form(""), csrf: str = Form("")
) -> Response:
    check_csrf(request, csrf)
    community.review_showcase(
        service_of(request), current_user(request), _id(showcase_id, "showcase"),
        decision=decision,
    )  # fmt: skip
    return redirect("/showcases?reviewed=1")


__all__ = ["router"]
