"""The activity stream: every change users may follow, recorded in the transaction that makes
it, and read back newest first, filtered by organization or dataset.

Kinds: ``dataset_created``, ``version_published`` (rows, the change in rows, the schema change,
a rollback's source), ``metadata_edited``, ``dataset_withdrawn`` / ``dataset_restored``
(harvested datasets the source stops or starts listing again), ``score_changed`` (openness
score or band), ``dataset_renamed`` / ``resource_renamed`` (``old``, ``new``; see
:mod:`kaifang.catalog.aliases`). Datasets loaded in bulk (``kaifang generate catalog``) record none.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from kaifang.catalog.models import ACTIVITY_KINDS, Activity, Dataset, Organization, utcnow
from kaifang.errors import ValidationError

MAX_PAGE = 1000


def record_activity(
    session: Session, kind: str, dataset: Dataset, *, actor: str = "", **detail: Any
) -> Activity:
    """Add an activity about ``dataset`` in ``session``'s transaction."""
    if kind not in ACTIVITY_KINDS:
        raise ValueError(f"unknown activity kind {kind!r}")
    session.flush()  # a new dataset needs its id
    row = Activity(
        kind=kind,
        dataset_id=dataset.id,
        organization_id=dataset.organization_id,
        actor=actor[:100],
        created=utcnow(),
        detail={k: v for k, v in detail.items() if v is not None},
    )
    session.add(row)
    return row


def activity_dict(row: Activity) -> dict[str, Any]:
    return {
        "id": row.id,
        "kind": row.kind,
        "created": row.created.replace(tzinfo=UTC).isoformat(),
        "actor": row.actor,
        "dataset": {
            "id": row.dataset.slug,
            "identifier": row.dataset.identifier,
            "title": row.dataset.title,
        },
        "organization": {"code": row.organization.code, "name": row.organization.name},
        "detail": row.detail,
    }


def list_activity(
    session: Session,
    *,
    organization: str | None = None,
    dataset: str | None = None,
    limit: int = 50,
    before: int | None = None,
    after: int | None = None,
) -> list[dict[str, Any]]:
    """Activities newest first; ``before`` / ``after`` page by activity id (stable while new
    activities arrive)."""
    if not 1 <= limit <= MAX_PAGE:
        raise ValidationError(f"limit must be between 1 and {MAX_PAGE}", key="limit")
    stmt = (
        select(Activity)
        .options(selectinload(Activity.dataset), selectinload(Activity.organization))
        .order_by(Activity.id.desc())
        .limit(limit)
    )
    if organization:
        stmt = stmt.join(Organization, Organization.id == Activity.organization_id).where(
            Organization.code == organization
        )
    if dataset:
        stmt = stmt.join(Dataset, Dataset.id == Activity.dataset_id).where(
            (Dataset.slug == dataset) | (Dataset.identifier == dataset)
        )
    if before is not None:
        stmt = stmt.where(Activity.id < before)
    if after is not None:
        stmt = stmt.where(Activity.id > after)
    return [activity_dict(row) for row in session.scalars(stmt)]
