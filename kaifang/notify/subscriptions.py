"""Subscriptions: adding, listing, removing, and each one's delivery log — only ever the
subscriber's own."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kaifang.catalog.accounts import find_organization, find_user
from kaifang.catalog.datasets import find_dataset
from kaifang.catalog.db import Catalog
from kaifang.catalog.models import Activity, Delivery, Subscription, User, utcnow
from kaifang.errors import NotFoundError, ValidationError
from kaifang.notify.addresses import check_target
from kaifang.notify.signing import SIGNATURE_HEADER, subscription_secret
from kaifang.settings import Settings

TARGETS = ("dataset", "organization", "search")
MAX_PER_USER = 100


def _iso(moment: Any) -> str | None:
    return moment.replace(tzinfo=UTC).isoformat() if moment is not None else None


def subscription_dict(sub: Subscription, counts: dict[str, int] | None = None) -> dict[str, Any]:
    return {
        "id": sub.id,
        "target": sub.target,
        "value": sub.value,
        "url": sub.url,
        "created": _iso(sub.created),
        "deliveries": counts or {},
    }


def subscribe(
    settings: Settings, catalog: Catalog, user: str, target: str, value: str, url: str
) -> dict[str, Any]:
    """Subscribe ``url`` to changes of ``target`` (dataset id, organization code or search
    words). The answer holds the signing secret, shown this once."""
    if target not in TARGETS:
        raise ValidationError(f"target {target!r}: one of {', '.join(TARGETS)}", key="target")
    value = value.strip()
    if not value or len(value) > 300:
        raise ValidationError("say what to follow (1 to 300 characters)", key="value")
    check_target(url, allow_private=settings.webhook_allow_private)
    with catalog.write() as session:
        owner = find_user(session, user)
        if target == "dataset":
            value = find_dataset(session, value).slug
        elif target == "organization":
            value = find_organization(session, value).code
        active = session.scalar(
            select(func.count()).where(
                Subscription.user_id == owner.id, Subscription.removed.is_(None)
            )
        )
        if (active or 0) >= MAX_PER_USER:
            raise ValidationError(f"a user may have at most {MAX_PER_USER} subscriptions")
        # Follow changes from now on: the newest activity so far is already "seen".
        last = session.scalar(select(func.max(Activity.id))) or 0
        sub = Subscription(user=owner, target=target, value=value, url=url, last_activity=last,
                           created=utcnow())  # fmt: skip
        session.add(sub)
        session.flush()
        out = subscription_dict(sub)
    out["secret"] = subscription_secret(settings, out["id"])
    out["signature_header"] = SIGNATURE_HEADER
    return out


def _own(session: Session, user: str, subscription_id: int) -> Subscription:
    sub = session.get(Subscription, subscription_id)
    owner: User = find_user(session, user)
    if sub is None or sub.user_id != owner.id or sub.removed is not None:
        raise NotFoundError(f"no subscription {subscription_id} of {user}", key="subscription")
    return sub


def list_subscriptions(catalog: Catalog, user: str) -> list[dict[str, Any]]:
    with catalog.read() as session:
        owner = find_user(session, user)
        subs = session.scalars(
            select(Subscription)
            .where(Subscription.user_id == owner.id, Subscription.removed.is_(None))
            .order_by(Subscription.id)
        ).all()
        counts: dict[int, dict[str, int]] = {}
        for sub_id, status, n in session.execute(
            select(Delivery.subscription_id, Delivery.status, func.count())
            .where(Delivery.subscription_id.in_([s.id for s in subs]))
            .group_by(Delivery.subscription_id, Delivery.status)
        ):
            counts.setdefault(sub_id, {})[status] = int(n)
        return [subscription_dict(s, counts.get(s.id, {})) for s in subs]


def remove_subscription(catalog: Catalog, user: str, subscription_id: int) -> dict[str, Any]:
    with catalog.write() as session:
        sub = _own(session, user, subscription_id)
        sub.removed = utcnow()
        return subscription_dict(sub)


def delivery_log(
    catalog: Catalog, user: str, subscription_id: int, *, limit: int = 100
) -> list[dict[str, Any]]:
    """The subscription's deliveries, newest first: what was sent, how it ended, when the
    next try is."""
    with catalog.read() as session:
        _own(session, user, subscription_id)
        rows = session.scalars(
            select(Delivery)
            .where(Delivery.subscription_id == subscription_id)
            .order_by(Delivery.id.desc())
            .limit(limit)
        ).all()
        return [
            {
                "id": d.id,
                "activity": d.activity_id,
                "event": d.activity.kind,
                "status": d.status,
                "attempts": d.attempts,
                "created": _iso(d.created),
                "next_attempt": _iso(d.next_attempt) if d.status == "pending" else None,
                "last_status": d.last_status,
                "last_error": d.last_error,
                "delivered": _iso(d.delivered),
            }
            for d in rows
        ]
