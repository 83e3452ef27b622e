"""Dataset requests: anyone asks an organization for data; its members answer."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from kaifang.catalog.requests import ANSWERS
from kaifang.errors import ValidationError
from kaifang.service import community
from kaifang.service import web as portal_web
from kaifang.service.access import service_of
from kaifang.web.rendering import current_user, redirect, render
from kaifang.web.security import check_csrf

router = APIRouter(include_in_schema=False)


@router.get("/requests/new", response_class=HTMLResponse)
def request_form(request: Request, org: str | None = None, title: str | None = None) -> Response:
    """The request form; ``title`` fills in the title (a search that found nothing)."""
    orgs = service_of(request).organizations()
    form = {"title": title[:300]} if title else {}
    return render(request, "request_new.html", orgs=orgs, chosen=org, error=None, form=form)


@router.post("/requests", response_class=HTMLResponse)
def create(
    request: Request,
    org: str = Form(""),
    title: str = Form(""),
    description: str = Form(""),
    requester: str = Form(""),
    contact: str = Form(""),
    csrf: str = Form(""),
) -> Response:
    check_csrf(request, csrf)
    service = service_of(request)
    try:
        created = community.create_request(
            service, current_user(request), org, title=title, description=description,
            requester=requester, contact=contact,
            address=request.client.host if request.client else "",
        )  # fmt: skip
    except ValidationError as exc:
        form = {"title": title, "description": description, "requester": requester,
                "contact": contact}  # fmt: skip
        return render(
            request,
            "request_new.html",
            status=422,
            orgs=service.organizations(),
            chosen=org,
            error=exc,
            form=form,
        )
    return redirect(f"/requests/{created.id}?sent=1")


@router.post("/requests/{request_id}/answer")
def answer(
    request: Request,
    request_id: int,
    status: str = Form(""),
    response: str = Form(""),
    csrf: str = Form(""),
) -> Response:
    check_csrf(request, csrf)
    answered = portal_web.answer_request(
        service_of(request), current_user(request), request_id, status=status, response=response
    )
    return redirect(f"/organizations/{answered.organization}#requests")


__all__ = ["ANSWERS", "router"]
