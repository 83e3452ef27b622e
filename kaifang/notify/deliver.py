"""Matching activities to subscriptions and POSTing them.

:func:`fan_out` turns each activity past a subscription's mark into a pending delivery (a
dataset subscription matches the dataset's activities, an organization one its datasets', a
search one the datasets whose indexed title, keywords and description contain every searched
word). :func:`deliver_due` POSTs the deliveries that are due: a 2xx answer delivers; anything
else is tried again after 1, 2, 4, ... minutes (at most an hour apart) until 24 hours after
the change, then the delivery is marked failed. Every attempt's outcome is in the log."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from kaifang.catalog.activity import activity_dict
from kaifang.catalog.db import Catalog
from kaifang.catalog.models import Activity, Delivery, Subscription
from kaifang.catalog.search import Phrase, query_phrases
from kaifang.errors import ValidationError
from kaifang.notify.addresses import check_target
from kaifang.notify.signing import SIGNATURE_HEADER, signature, subscription_secret
from kaifang.settings import Settings

GIVE_UP_AFTER = timedelta(hours=24)
MAX_GAP = timedelta(hours=1)
BATCH = 500


def _naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def _matches(sub: Subscription, activity: Activity, phrases: list[Phrase]) -> bool:
    """Whether the activity concerns what ``sub`` follows; a search matches as the catalog's
    search does: every term's tokens in order in the title, keywords or description."""
    dataset = activity.dataset
    if sub.target == "dataset":
        return dataset.slug == sub.value
    if sub.target == "organization":
        return activity.organization.code == sub.value
    texts = [f" {t} " for t in (dataset.search_title, dataset.search_keywords,
                                dataset.search_description)]  # fmt: skip
    return bool(phrases) and all(
        any(_contains(text, phrase) for text in texts) for phrase in phrases
    )


def _contains(text: str, phrase: Phrase) -> bool:
    words = " ".join(token for token, _ in phrase)
    lone = phrase[-1][1]
    return f" {words} " in text or (lone and f" {words}" in text)


def fan_out(catalog: Catalog, *, now: datetime) -> int:
    """Add a pending delivery for each new activity that matches a subscription; answer how
    many were added."""
    added = 0
    with catalog.write() as session:
        subs = session.scalars(select(Subscription).where(Subscription.removed.is_(None))).all()
        if not subs:
            return 0
        start = min(s.last_activity for s in subs)
        activities = session.scalars(
            select(Activity)
            .options(selectinload(Activity.dataset), selectinload(Activity.organization))
            .where(Activity.id > start)
            .order_by(Activity.id)
            .limit(BATCH)
        ).all()
        for sub in subs:
            words = query_phrases(sub.value) if sub.target == "search" else []
            for activity in activities:
                if activity.id <= sub.last_activity:
                    continue
                if _matches(sub, activity, words):
                    session.add(Delivery(subscription=sub, activity=activity, status="pending",
                                         attempts=0, created=_naive(now),
                                         next_attempt=_naive(now), last_error=""))  # fmt: skip
                    added += 1
            if activities:
                sub.last_activity = max(sub.last_activity, activities[-1].id)
    return added


@dataclass(frozen=True)
class Attempt:
    delivery: int
    status: str
    code: int | None
    error: str


def payload(delivery: Delivery) -> bytes:
    body = {
        "event": delivery.activity.kind,
        "delivery": delivery.id,
        "subscription": {
            "id": delivery.subscription.id,
            "target": delivery.subscription.target,
            "value": delivery.subscription.value,
        },
        "activity": activity_dict(delivery.activity),
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True).encode()


def _due(session: Session, now: datetime) -> list[Delivery]:
    return list(
        session.scalars(
            select(Delivery)
            .options(
                selectinload(Delivery.subscription),
                selectinload(Delivery.activity).selectinload(Activity.dataset),
                selectinload(Delivery.activity).selectinload(Activity.organization),
            )
            .where(Delivery.status == "pending", Delivery.next_attempt <= _naive(now))
            .order_by(Delivery.id)
            .limit(BATCH)
        )
    )


def deliver_due(
    settings: Settings,
    catalog: Catalog,
    *,
    now: datetime | None = None,
    client: httpx.Client | None = None,
) -> list[Attempt]:
    """POST every due delivery once; record each outcome."""
    now = now or datetime.now(UTC)
    own = client is None
    http = client or httpx.Client(timeout=10.0, follow_redirects=False)
    attempts: list[Attempt] = []
    try:
        with catalog.read() as session:
            jobs = [
                (d.id, d.subscription.id, d.subscription.url, d.activity.kind, payload(d))
                for d in _due(session, now)
                if d.subscription.removed is None
            ]
        for delivery_id, sub_id, url, kind, body in jobs:
            code, error = _post(settings, http, url, kind, delivery_id, sub_id, body)
            attempts.append(_record(catalog, delivery_id, code, error, now))
    finally:
        if own:
            http.close()
    return attempts


def _post(
    settings: Settings,
    http: httpx.Client,
    url: str,
    kind: str,
    delivery_id: int,
    sub_id: int,
    body: bytes,
) -> tuple[int | None, str]:
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "kaifang-webhook",
        "X-Kaifang-Event": kind,
        "X-Kaifang-Delivery": str(delivery_id),
        SIGNATURE_HEADER: signature(subscription_secret(settings, sub_id), body),
    }
    try:
        check_target(url, allow_private=settings.webhook_allow_private)
        response = http.post(url, content=body, headers=headers)
    except ValidationError as exc:
        return None, exc.message
    except httpx.HTTPError as exc:
        return None, f"{type(exc).__name__}: {str(exc)[:300]}"
    if 200 <= response.status_code < 300:
        return response.status_code, ""
    return response.status_code, f"HTTP {response.status_code}"


def _record(
    catalog: Catalog, delivery_id: int, code: int | None, error: str, now: datetime
) -> Attempt:
    with catalog.write() as session:
        delivery = session.get(Delivery, delivery_id)
        assert delivery is not None
        delivery.attempts += 1
        delivery.last_status, delivery.last_error = code, error[:1000]
        if not error:
            delivery.status, delivery.delivered = "delivered", _naive(now)
        elif _naive(now) - delivery.created >= GIVE_UP_AFTER:
            delivery.status = "failed"
        else:
            gap = min(timedelta(minutes=2 ** (delivery.attempts - 1)), MAX_GAP)
            delivery.next_attempt = _naive(now) + gap
        return Attempt(delivery_id, delivery.status, code, error)


def run_once(
    settings: Settings, catalog: Catalog, *, now: datetime | None = None
) -> dict[str, Any]:
    """One pass of the worker: fan out new activities, then deliver what is due."""
    now = now or datetime.now(UTC)
    added = fan_out(catalog, now=now)
    attempts = deliver_due(settings, catalog, now=now)
    return {
        "queued": added,
        "delivered": sum(a.status == "delivered" for a in attempts),
        "retrying": sum(a.status == "pending" for a in attempts),
        "failed": sum(a.status == "failed" for a in attempts),
    }
