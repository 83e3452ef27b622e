"""Native API: the activity stream, and webhook subscriptions (the signed-in user's own)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.security import HTTPAuthorizationCredentials

from kaifang.api.responses import native_errors
from kaifang.api.routes.uploads import BEARER, bearer_token
from kaifang.errors import NotFoundError
from kaifang.service.access import link_base, service_of
from kaifang.service.models import (
    ActivityPage,
    CreatedSubscription,
    DeliveryLog,
    NewSubscription,
    Subscription,
    SubscriptionList,
)

router = APIRouter(prefix="/api", tags=["activity"], responses=native_errors())
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)]
SubscriptionId = Annotated[str, Path(max_length=20, description="The subscription's id.")]


def subscription_number(subscription_id: str) -> int:
    """The id as a number; an id no subscription can have is not found (before any token is
    checked: a made-up id says nothing about anyone's subscriptions)."""
    if not subscription_id.isdigit() or not 1 <= int(subscription_id) < 2**31:
        raise NotFoundError(f"no subscription {subscription_id!r}", key="subscription")
    return int(subscription_id)


@router.get(
    "/activity",
    summary="Catalog changes, newest first (new datasets and versions, edits, withdrawals, "
    "score changes)",
    responses=native_errors(404),
)
def activity(
    request: Request,
    organization: str | None = Query(None, max_length=16, description="Organization code."),
    dataset: str | None = Query(None, max_length=100, description="Dataset id or identifier."),
    limit: int = Query(50, ge=1, le=1000),
    before: int | None = Query(
        None, ge=1, le=2**62, description="Only activities older than this id."
    ),
) -> ActivityPage:
    rows = service_of(request).activity(
        organization=organization, dataset=dataset, limit=limit, before=before
    )
    following = None
    if len(rows) == limit:
        params = {"organization": organization, "dataset": dataset, "limit": limit,
                  "before": rows[-1]["id"]}  # fmt: skip
        query = urlencode({k: v for k, v in params.items() if v is not None})
        following = f"{link_base(request)}/api/activity?{query}"
    return ActivityPage.model_validate({"data": rows, "next": following})


@router.post(
    "/subscriptions",
    summary="Subscribe a URL to a dataset, an organization or a search (webhook)",
    status_code=201,
    responses=native_errors(400, 401, 403, 404, 413),
)
def subscribe(
    request: Request, body: NewSubscription, credentials: Credentials
) -> CreatedSubscription:
    service = service_of(request)
    user = service.authenticate(bearer_token(credentials))
    created = service.subscribe(user, body.target, body.value, body.url)
    return CreatedSubscription.model_validate(created)


@router.get("/subscriptions", summary="Your subscriptions", responses=native_errors(401, 403))
def subscriptions(request: Request, credentials: Credentials) -> SubscriptionList:
    service = service_of(request)
    user = service.authenticate(bearer_token(credentials))
    return SubscriptionList.model_validate({"data": service.subscriptions(user)})


@router.delete(
    "/subscriptions/{subscription_id}",
    summary="Remove one of your subscriptions",
    responses=native_errors(401, 403, 404),
)
def unsubscribe(
    request: Request, subscription_id: SubscriptionId, credentials: Credentials
) -> Subscription:
    number = subscription_number(subscription_id)
    service = service_of(request)
    user = service.authenticate(bearer_token(credentials))
    return Subscription.model_validate(service.unsubscribe(user, number))


@router.get(
    "/subscriptions/{subscription_id}/deliveries",
    summary="The delivery log of one of your subscriptions, newest first",
    responses=native_errors(401, 403, 404),
)
def deliveries(
    request: Request, subscription_id: SubscriptionId, credentials: Credentials
) -> DeliveryLog:
    number = subscription_number(subscription_id)
    service = service_of(request)
    user = service.authenticate(bearer_token(credentials))
    return DeliveryLog.model_validate({"data": service.deliveries(user, number)})
