"""Reading the catalog: ``show`` and ``datasets`` objects, lookups and version history.

The dict shapes here are the ``--json`` output of ``kaifang show``, ``kaifang datasets`` and
``kaifang history``, and what the API layers serialize."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.orm import Session, selectinload

from kaifang.catalog.accounts import organization_dict
from kaifang.catalog.categories import category
from kaifang.catalog.db import Catalog
from kaifang.catalog.finder import Filters, Sort, find_ids
from kaifang.catalog.models import Dataset, Resource, Version
from kaifang.errors import NotFoundError


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def resource_dict(resource: Resource) -> dict[str, Any]:
    current = resource.current
    return {
        "id": resource.slug,
        "identifier": resource.identifier,
        "name": resource.name,
        "current_version": resource.current_version,
        "rows": current.rows if current is not None else None,
        "created": _iso(resource.created),
        "modified": _iso(resource.modified),
        "fields": resource.fields,
    }


def legal_basis(dataset: Dataset) -> str | None:
    """The legal basis under which a current version publishes personal data, if any."""
    for resource in dataset.resources:
        current = resource.current
        if current is not None and current.legal_basis:
            return current.legal_basis
    return None


def personal_data_records(dataset: Dataset) -> list[dict[str, Any]]:
    """Why each current version may publish what it publishes about people: a structured
    legal basis (``kind: legal_basis``: law, article, note, the columns it covers and who
    approved it) or a recorded exception (``kind: public_by_nature`` or
    ``not_about_people``: reason, columns, approver), one per resource that has one."""
    records: list[dict[str, Any]] = []
    for resource in dataset.resources:
        current = resource.current
        screening = (current.summary or {}).get("screening") or {} if current else {}
        detail = screening.get("legal_basis_detail")
        if isinstance(detail, dict):
            records.append(
                {
                    "resource": resource.slug,
                    "kind": "legal_basis",
                    "label": f"{detail.get('law', '')}{detail.get('article', '')}",
                    "law": detail.get("law") or "",
                    "article": detail.get("article") or "",
                    "note": detail.get("note") or "",
                    "columns": list(detail.get("columns") or []),
                    "approved_by": detail.get("approved_by") or "",
                    "listed": bool(detail.get("listed", True)),
                }
            )
        exception = screening.get("exception")
        if isinstance(exception, dict):
            records.append(
                {
                    "resource": resource.slug,
                    "kind": exception.get("kind") or "public_by_nature",
                    "reason": exception.get("reason") or "",
                    "columns": list(exception.get("columns") or []),
                    "approved_by": exception.get("approved_by") or "",
                }
            )
    return records


def personal_data_text(records: list[dict[str, Any]]) -> str:
    """The records as one zh-TW line, for metadata fields that take text (the national
    spec's notes, DCAT's dct:rights, CKAN's extras)."""
    lines = []
    for r in records:
        where = f"欄位：{'、'.join(r['columns']) or '—'}；核可：{r['approved_by'] or '—'}"
        if r["kind"] == "legal_basis":
            note = f"；{r['note']}" if r["note"] else ""
            lines.append(f"{r['resource']}：個人資料依{r['label']}公開（{where}{note}）")
        else:
            lines.append(f"{r['resource']}：隱私例外（{r['kind']}）：{r['reason']}（{where}）")
    return "\n".join(lines)


def dataset_dict(dataset: Dataset) -> dict[str, Any]:
    """The ``kaifang show --json`` object."""
    extras = dataset.extras or {}
    return {
        "id": dataset.slug,
        "identifier": dataset.identifier,
        "title": dataset.title,
        "title_en": extras.get("title_en", ""),
        "description": dataset.description,
        "organization": organization_dict(dataset.organization),
        "category": dataset.category or None,
        "category_name": category(dataset.category).name if dataset.category else None,
        "keywords": [tag.name for tag in dataset.tags],
        "license": {
            "id": dataset.license.id,
            "title": dataset.license.title,
            "url": dataset.license_url or dataset.license.url,
        },
        "cost": dataset.cost,
        "cost_law": extras.get("cost_law", ""),
        "update_frequency": dataset.update_frequency or None,
        "temporal_coverage": {
            "from": _iso(dataset.temporal_from),
            "to": _iso(dataset.temporal_to),
        },
        "spatial": dataset.spatial,
        "language": dataset.language,
        "contact": {
            "name": dataset.contact_name,
            "email": dataset.contact_email,
            "phone": dataset.contact_phone,
        },
        "landing_page": extras.get("landing_page", ""),
        "notes": extras.get("notes", ""),
        "created": _iso(dataset.created),
        "modified": _iso(dataset.modified),
        "withdrawn": _iso(dataset.withdrawn),
        "resources": [resource_dict(r) for r in dataset.resources],
        "legal_basis": legal_basis(dataset),
        "creator": extras.get("creator") or _first_publisher(dataset),
        "primary_key": list(extras.get("primary_key") or []),
        "custom": dict(extras.get("custom") or {}),
        # Harvested datasets (kaifang.harvest): where they come from, and the remote files.
        "harvest": extras.get("harvest"),
        "distributions": extras.get("distributions", []),
        "personal_data": personal_data_records(dataset),
    }


def _first_publisher(dataset: Dataset) -> str | None:
    """Who published the dataset's first version (a dataset made by a publish)."""
    first = min(
        (v for r in dataset.resources for v in r.versions),
        key=lambda v: v.created,
        default=None,
    )
    return (first.publisher or None) if first is not None else None


DATASET_LOAD = (
    selectinload(Dataset.organization),
    selectinload(Dataset.license),
    selectinload(Dataset.tags),
    selectinload(Dataset.resources).selectinload(Resource.versions),
)
"""What ``dataset_dict`` reads, loaded with the datasets (a few queries for any number)."""
_LOAD = DATASET_LOAD


def find_dataset(session: Session, ref: str) -> Dataset:
    """A dataset by its id (slug) or national identifier."""
    dataset = session.scalar(
        select(Dataset)
        .where(or_(Dataset.slug == ref, Dataset.identifier == ref.upper()))
        .options(*_LOAD)
    )
    if dataset is None:
        raise NotFoundError(
            f"dataset {ref!r} does not exist",
            hint="List datasets with: kaifang datasets",
            key="dataset",
        )
    return dataset


def find_resource(session: Session, ref: str) -> Resource:
    """A resource by its id (slug) or national identifier."""
    resource = session.scalar(
        select(Resource)
        .where(or_(Resource.slug == ref, Resource.identifier == ref.upper()))
        .options(selectinload(Resource.versions), selectinload(Resource.dataset))
    )
    if resource is None:
        raise NotFoundError(
            f"resource {ref!r} does not exist",
            hint="See a dataset's resources with: kaifang show DATASET",
            key="resource",
        )
    return resource


def show_dataset(catalog: Catalog, ref: str) -> dict[str, Any]:
    with catalog.read() as session:
        return dataset_dict(find_dataset(session, ref))


def list_datasets(
    catalog: Catalog,
    *,
    search: str | None = None,
    limit: int | None = None,
    offset: int = 0,
    filters: Filters | None = None,
    sort: Sort = "relevance",
) -> dict[str, Any]:
    """``{data, count}``: datasets shaped like ``show``; ranked when ``search`` is given, else
    newest first (see :mod:`kaifang.catalog.finder`). ``count`` counts every match, ignoring
    ``limit``/``offset``."""
    wanted = replace(filters or Filters(), q=search) if search is not None else filters
    with catalog.read() as session:
        ids, count = find_ids(session, wanted or Filters(), sort=sort, limit=limit, offset=offset)
        return {"data": datasets_by_id(session, ids), "count": count}


def datasets_by_id(session: Session, ids: list[int]) -> list[dict[str, Any]]:
    """The datasets with these ids, shaped like ``show``, in the order of ``ids``."""
    if not ids:
        return []
    loaded = {
        d.id: d for d in session.scalars(select(Dataset).where(Dataset.id.in_(ids)).options(*_LOAD))
    }
    return [dataset_dict(loaded[i]) for i in ids if i in loaded]


def version_dict(version: Version) -> dict[str, Any]:
    summary = version.summary or {}
    reading = summary.get("reading") or {}
    return {
        "version": version.number,
        "rows": version.rows,
        "created": _iso(version.created),
        "publisher": version.publisher,
        "source_file": version.source_file,
        "source_hash": version.source_hash,
        "content_hash": version.content_hash,
        "legal_basis": version.legal_basis or None,
        "rollback_of": version.rollback_of,
        "schema_change": summary.get("schema_change") or {},
        "problem_count": int(reading.get("problem_count") or 0),
    }


def history(catalog: Catalog, ref: str) -> dict[str, Any]:
    """``{resource, identifier, dataset, current, versions: [...]}``, oldest version first."""
    with catalog.read() as session:
        resource = find_resource(session, ref)
        return {
            "resource": resource.slug,
            "identifier": resource.identifier,
            "dataset": resource.dataset.slug,
            "current": resource.current_version,
            "versions": [version_dict(v) for v in resource.versions],
        }


def add_downloads(catalog: Catalog, counts: Mapping[str, int]) -> None:
    """Add row and download requests, counted per resource (id), to their datasets'
    ``downloads`` (the popularity sort); unknown resources are ignored."""
    wanted = [{"resource_slug": slug, "hits": int(n)} for slug, n in counts.items() if n > 0]
    if not wanted:
        return
    owner = select(Resource.dataset_id).where(Resource.slug == bindparam("resource_slug"))
    stmt = (
        update(Dataset)
        .where(Dataset.id == owner.scalar_subquery())
        .values(downloads=Dataset.downloads + bindparam("hits"))
        .execution_options(synchronize_session=False)
    )
    with catalog.write() as session:
        session.connection().execute(stmt, wanted)


def popular(catalog: Catalog, pending: Mapping[str, int], *, limit: int) -> list[dict[str, Any]]:
    """The ``limit`` most used datasets (their catalog ``downloads`` plus ``pending`` counts
    per resource not added yet), shaped like ``show`` with ``uses``; unused ones left out."""
    with catalog.read() as session:
        top = dict(
            session.execute(
                select(Dataset.id, Dataset.downloads)
                .where(Dataset.downloads > 0)
                .order_by(Dataset.downloads.desc(), Dataset.id.desc())
                .limit(limit)
            ).all()
        )
        uses = Counter(top)
        if pending:
            owners = session.execute(
                select(Resource.slug, Resource.dataset_id, Dataset.downloads)
                .join(Dataset, Dataset.id == Resource.dataset_id)
                .where(Resource.slug.in_(list(pending)))
            ).all()
            for _, dataset_id, downloads in owners:
                uses[dataset_id] = downloads
            for slug, dataset_id, _ in owners:
                uses[dataset_id] += pending[slug]
        chosen = sorted((i for i in uses if uses[i] > 0), key=lambda i: (-uses[i], -i))[:limit]
        return [
            {**d, "uses": uses[i]}
            for i, d in zip(chosen, datasets_by_id(session, chosen), strict=True)
        ]
