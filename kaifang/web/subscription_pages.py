"""The portal's webhook pages, under the account: the signed-in user's subscriptions (list,
add — the signing secret shown once — and remove) and each one's delivery log. The same
service calls as ``/api/subscriptions``; every POST checks the session's CSRF token, and a
user only ever sees and changes their own subscriptions."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from kaifang.errors import KaifangError, NotFoundError
from kaifang.notify.signing import SIGNATURE_HEADER
from kaifang.notify.subscriptions import TARGETS
from kaifang.service.access import service_of
from kaifang.web.rendering import current_user, redirect, render
from kaifang.web.security import check_csrf

router = APIRouter(include_in_schema=False)
HOME = "/account/subscriptions"


def _number(subscription_id: str) -> int:
    if not subscription_id.isdigit() or not 1 <= int(subscription_id) < 2**31:
        raise NotFoundError(f"no subscription {subscription_id!r}", key="subscription")
    return int(subscription_id)


@router.get(HOME, response_class=HTMLResponse)
def subscriptions_page(
    request: Request, target: str = "dataset", value: str = "", url: str = ""
) -> Response:
    if current_user(request) is None:
        return redirect(f"/login?next={HOME}")
    return _page(request, form={"target": target if target in TARGETS else "dataset",
                                "value": value[:300], "url": url[:2000]})  # fmt: skip


@router.post(HOME, response_class=HTMLResponse)
def add_subscription(
    request: Request,
    target: str = Form("dataset"),
    value: str = Form(""),
    url: str = Form(""),
    csrf: str = Form(""),
) -> Response:
    check_csrf(request, csrf)
    user = current_user(request)
    if user is None:
        return redirect(f"/login?next={HOME}")
    form = {"target": target, "value": value[:300], "url": url[:2000]}
    try:
        created = service_of(request).subscribe(user, target, value, url)
    except KaifangError as exc:  # a bad target, value or address: the form again, with why
        return _page(request, status=exc.status, form=form, error=exc)
    response = _page(request, created=created, form={"target": target, "value": "", "url": ""})
    response.headers["Cache-Control"] = "no-store"  # the secret is shown this once only
    return response


@router.post(HOME + "/{subscription_id}/remove")
def remove_subscription(request: Request, subscription_id: str, csrf: str = Form("")) -> Response:
    check_csrf(request, csrf)
    user = current_user(request)
    if user is None:
        return redirect(f"/login?next={HOME}")
    service_of(request).unsubscribe(user, _number(subscription_id))
    return redirect(HOME)


@router.get(HOME + "/{subscription_id}", response_class=HTMLResponse)
def delivery_page(request: Request, subscription_id: str) -> Response:
    user = current_user(request)
    if user is None:
        return redirect(f"/login?next={HOME}")
    number = _number(subscription_id)
    service = service_of(request)
    log = service.deliveries(user, number)  # 404 unless it is this user's
    subscription = next((s for s in service.subscriptions(user) if s["id"] == number), None)
    if subscription is None:  # removed meanwhile, in another tab
        raise NotFoundError(f"no subscription {number}", key="subscription")
    return render(request, "subscription_log.html", subscription=subscription, deliveries=log)


def _page(request: Request, *, status: int = 200, **context: Any) -> Response:
    user = current_user(request)
    assert user is not None  # the routes checked
    return render(
        request,
        "subscriptions.html",
        status=status,
        subscriptions=service_of(request).subscriptions(user),
        targets=TARGETS,
        SIGNATURE_HEADER=SIGNATURE_HEADER,
        **{"created": None, "error": None, **context},
    )
