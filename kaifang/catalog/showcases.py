"""Showcases: what people built on the data (an app, a map, an article, an analysis). Anyone
signed in submits one with the datasets it uses; an editor of an organization that owns any of
those datasets approves or rejects it; approved showcases appear on each dataset's page, on
the showcase page, and count in the openness dashboard (datasets that people use).

Links are kept only when they are http(s) URLs: a ``javascript:`` or ``data:`` link is refused.
An approval is a ``showcase_approved`` activity on each dataset the showcase uses.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session, selectinload

from kaifang.catalog.activity import record_activity
from kaifang.catalog.datasets import find_dataset
from kaifang.catalog.db import Catalog
from kaifang.catalog.models import (
    SHOWCASE_KINDS,
    SHOWCASE_STATUSES,
    Dataset,
    Organization,
    Showcase,
    showcase_datasets,
    utcnow,
)
from kaifang.catalog.records import UserRecord
from kaifang.errors import ConflictError, ForbiddenError, NotFoundError, ValidationError

MAX_PAGE = 200
MAX_DATASETS = 20
DECISIONS = ("approved", "rejected")


def _utc(moment: datetime | None) -> str | None:
    return moment.replace(tzinfo=UTC).isoformat() if moment is not None else None


def web_link(value: str, key: str, *, required: bool = True) -> str:
    """``value`` when it is an absolute http(s) URL with a host; else a ValidationError."""
    link = value.strip()
    if not link and not required:
        return ""
    parts = urlsplit(link)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or len(link) > 2000:
        raise ValidationError(
            f"{key} must be an http:// or https:// address",
            hint="Give the full address, e.g. https://example.tw/app.",
            key=key,
        )
    return link


def showcase_dict(row: Showcase) -> dict[str, Any]:
    return {
        "id": row.id,
        "title": row.title,
        "url": row.url,
        "image_url": row.image_url or None,
        "description": row.description,
        "kind": row.kind,
        "status": row.status,
        "submitter": row.submitter,
        "reviewer": row.reviewer or None,
        "created": _utc(row.created),
        "reviewed": _utc(row.reviewed),
        "datasets": [
            {"id": d.slug, "title": d.title, "organization": d.organization.code}
            for d in sorted(row.datasets, key=lambda d: d.slug)
        ],
    }


def submit_showcase(
    catalog: Catalog,
    user: UserRecord,
    *,
    title: str,
    url: str,
    kind: str,
    datasets: list[str],
    description: str = "",
    image_url: str = "",
) -> dict[str, Any]:
    """``user`` submits a showcase; it waits for an editor's approval."""
    if not title.strip() or len(title.strip()) > 300:
        raise ValidationError(
            "a showcase needs a title (at most 300 characters)", hint="Name it.", key="title"
        )
    if kind not in SHOWCASE_KINDS:
        raise ValidationError(
            f"kind {kind!r} is not a kind of showcase",
            hint=f"Use one of: {', '.join(SHOWCASE_KINDS)}.",
            key="kind",
        )
    link = web_link(url, "url")
    image = web_link(image_url, "image_url", required=False)
    refs = list(dict.fromkeys(d.strip() for d in datasets if d.strip()))
    if not refs or len(refs) > MAX_DATASETS:
        raise ValidationError(
            f"a showcase uses 1 to {MAX_DATASETS} datasets; {len(refs)} given",
            hint="Name the datasets it is built on by their ids.",
            key="datasets",
        )
    with catalog.write() as session:
        used = [find_dataset(session, ref) for ref in refs]
        row = Showcase(
            title=title.strip(),
            url=link,
            image_url=image,
            description=description.strip()[:4000],
            kind=kind,
            submitter=user.name,
            status="pending",
            reviewer="",
            created=utcnow(),
            datasets=used,
        )
        session.add(row)
        session.flush()
        return showcase_dict(row)


def _find(session: Session, showcase_id: int) -> Showcase:
    row = session.get(Showcase, showcase_id)
    if row is None:
        raise NotFoundError(f"showcase {showcase_id} does not exist", key="showcase")
    return row


def reviewers_of(row: Showcase) -> list[str]:
    """The organizations whose editors may review the showcase."""
    return sorted({d.organization.code for d in row.datasets})


def review_showcase(
    catalog: Catalog, user: UserRecord, showcase_id: int, *, decision: str
) -> dict[str, Any]:
    """An editor of an organization owning one of the showcase's datasets approves or rejects
    it (a pending one, or changes an earlier decision)."""
    if decision not in DECISIONS:
        raise ValidationError(
            f"decision {decision!r} is not one of: {', '.join(DECISIONS)}", key="status"
        )
    with catalog.write() as session:
        row = _find(session, showcase_id)
        orgs = reviewers_of(row)
        if not any(user.may_write(org) for org in orgs):
            raise ForbiddenError(
                f"only an editor or admin of {', '.join(orgs)} may review this showcase",
                hint="Sign in as an editor of an organization whose dataset it uses.",
            )
        if row.status == decision:
            raise ConflictError(f"showcase {showcase_id} is already {decision}")
        row.status = decision
        row.reviewer = user.name
        row.reviewed = utcnow()
        session.flush()
        if decision == "approved":
            for dataset in row.datasets:
                record_activity(
                    session, "showcase_approved", dataset, actor=user.name, showcase=row.id,
                    showcase_title=row.title,
                )  # fmt: skip
        return showcase_dict(row)


def list_showcases(
    catalog: Catalog,
    *,
    status: str | None = "approved",
    dataset: str | None = None,
    organization: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    """Showcases newest first with the ``total`` matching."""
    if status is not None and status not in SHOWCASE_STATUSES:
        raise ValidationError(
            f"status {status!r} is not a showcase status",
            hint=f"Use one of: {', '.join(SHOWCASE_STATUSES)}.",
            key="status",
        )
    if not 1 <= limit <= MAX_PAGE:
        raise ValidationError(f"limit must be between 1 and {MAX_PAGE}", key="limit")
    with catalog.read() as session:
        stmt = select(Showcase)
        if status is not None:
            stmt = stmt.where(Showcase.status == status)
        if dataset is not None or organization is not None:
            used = select(showcase_datasets.c.showcase_id).join(
                Dataset, Dataset.id == showcase_datasets.c.dataset_id
            )
            if dataset is not None:
                used = used.where(Dataset.id == find_dataset(session, dataset).id)
            if organization is not None:
                used = used.join(Organization, Organization.id == Dataset.organization_id).where(
                    Organization.code == organization.upper()
                )
            stmt = stmt.where(Showcase.id.in_(used))
        total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        rows = session.scalars(
            stmt.options(selectinload(Showcase.datasets).selectinload(Dataset.organization))
            .order_by(Showcase.created.desc(), Showcase.id.desc())
            .limit(limit)
            .offset(offset)
        )
        return {"total": total, "data": [showcase_dict(r) for r in rows]}


def get_showcase(catalog: Catalog, showcase_id: int) -> dict[str, Any]:
    with catalog.read() as session:
        return showcase_dict(_find(session, showcase_id))


def datasets_in_use(session: Session, organization_id: int | None = None) -> int:
    """How many datasets (of one organization, or all) an approved showcase uses."""
    stmt = (
        select(func.count(distinct(showcase_datasets.c.dataset_id)))
        .join(Showcase, Showcase.id == showcase_datasets.c.showcase_id)
        .join(Dataset, Dataset.id == showcase_datasets.c.dataset_id)
        .where(Showcase.status == "approved")
    )
    if organization_id is not None:
        stmt = stmt.where(Dataset.organization_id == organization_id)
    return int(session.scalar(stmt) or 0)


def _approved_uses() -> Any:
    """(showcase, dataset, organization) for every dataset an approved showcase uses."""
    return (
        select(
            showcase_datasets.c.showcase_id.label("showcase"),
            Dataset.slug.label("dataset"),
            Organization.code.label("organization"),
        )
        .join(Showcase, Showcase.id == showcase_datasets.c.showcase_id)
        .join(Dataset, Dataset.id == showcase_datasets.c.dataset_id)
        .join(Organization, Organization.id == Dataset.organization_id)
        .where(Showcase.status == "approved")
        .subquery()
    )


def showcases_per_dataset(session: Session, organization: str | None = None) -> dict[str, int]:
    """Dataset id → how many approved showcases use it (of one organization's datasets, or
    all); datasets no approved showcase uses are left out."""
    uses = _approved_uses()
    stmt = select(uses.c.dataset, func.count(distinct(uses.c.showcase))).group_by(uses.c.dataset)
    if organization is not None:
        stmt = stmt.where(uses.c.organization == organization.upper())
    return {dataset: int(n) for dataset, n in session.execute(stmt)}


def showcases_per_organization(session: Session) -> dict[str, dict[str, int]]:
    """Organization code → ``{showcases, datasets_in_use}``: the approved showcases that use
    any of its datasets (each once), and how many of its datasets they use."""
    uses = _approved_uses()
    stmt = select(
        uses.c.organization,
        func.count(distinct(uses.c.showcase)),
        func.count(distinct(uses.c.dataset)),
    ).group_by(uses.c.organization)
    return {
        code: {"showcases": int(showcases), "datasets_in_use": int(datasets)}
        for code, showcases, datasets in session.execute(stmt)
    }
