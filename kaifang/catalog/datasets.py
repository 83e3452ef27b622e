"""Reading the catalog: ``show`` and ``datasets`` objects, lookups and version history.

The answers are records (:mod:`kaifang.catalog.records`); their ``to_dict()`` is the
``--json`` output of ``kaifang show``, ``kaifang datasets`` and ``kaifang history``, and what
the service layer hands the APIs and pages."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import BindParameter, bindparam, func, or_, select, update
from sqlalchemy.orm import Session, selectinload

from kaifang.catalog.aliases import moved_to
from kaifang.catalog.db import Catalog
from kaifang.catalog.finder import Filters, Sort, find_ids
from kaifang.catalog.listing import dataset_records
from kaifang.catalog.models import Dataset, IdAlias, Resource
from kaifang.catalog.records import (
    DatasetList,
    DatasetRecord,
    ResourceHistory,
    personal_data_records,
    personal_data_text,
)
from kaifang.errors import NotFoundError

__all__ = ["personal_data_records", "personal_data_text"]  # kept here for their callers


DATASET_LOAD = (
    selectinload(Dataset.organization),
    selectinload(Dataset.license),
    selectinload(Dataset.tags),
    selectinload(Dataset.resources).selectinload(Resource.versions),
)
"""What ``DatasetRecord.from_row`` reads, loaded with the datasets (a few queries for any
number)."""
_LOAD = DATASET_LOAD


def find_dataset(session: Session, ref: str) -> Dataset:
    """A dataset by its id (slug) or national identifier."""
    dataset = session.scalar(
        select(Dataset)
        .where(or_(Dataset.slug == ref, Dataset.identifier == ref.upper()))
        .options(*_LOAD)
    )
    if dataset is None:
        raise _not_found(session, "dataset", ref, "List datasets with: kaifang datasets")
    return dataset


def _not_found(session: Session, kind: str, ref: str, hint: str) -> NotFoundError:
    """No ``kind`` ``ref``; when it was renamed, the error names the new id in
    ``details["moved_to"]`` (the API and pages redirect there, the CKAN API answers it)."""
    new = moved_to(session, kind, ref)
    if new is None:
        return NotFoundError(f"{kind} {ref!r} does not exist", hint=hint, key=kind)
    return NotFoundError(
        f"{kind} {ref!r} was renamed to {new!r}",
        hint=f"Use the id {new!r}.",
        key=kind,
        moved_to={"kind": kind, "old": ref, "new": new},
    )


def find_resource(session: Session, ref: str) -> Resource:
    """A resource by its id (slug) or national identifier."""
    resource = session.scalar(
        select(Resource)
        .where(or_(Resource.slug == ref, Resource.identifier == ref.upper()))
        .options(selectinload(Resource.versions), selectinload(Resource.dataset))
    )
    if resource is None:
        raise _not_found(
            session, "resource", ref, "See a dataset's resources with: kaifang show DATASET"
        )
    return resource


def show_dataset(catalog: Catalog, ref: str) -> DatasetRecord:
    with catalog.read() as session:
        return DatasetRecord.from_row(find_dataset(session, ref))


def list_datasets(
    catalog: Catalog,
    *,
    search: str | None = None,
    limit: int | None = None,
    offset: int = 0,
    filters: Filters | None = None,
    sort: Sort = "relevance",
) -> DatasetList:
    """Datasets and their ``count``; ranked when ``search`` is given, else
    newest first (see :mod:`kaifang.catalog.finder`). ``count`` counts every match, ignoring
    ``limit``/``offset``."""
    wanted = replace(filters or Filters(), q=search) if search is not None else filters
    with catalog.read() as session:
        ids, count = find_ids(session, wanted or Filters(), sort=sort, limit=limit, offset=offset)
        return DatasetList(data=tuple(datasets_by_id(session, ids)), count=count)


def datasets_by_id(session: Session, ids: list[int]) -> list[DatasetRecord]:
    """The datasets with these ids, in the order of ``ids``, as listings show them (each
    resource with its current version only: :mod:`kaifang.catalog.listing`)."""
    return dataset_records(session, ids)


def history(catalog: Catalog, ref: str) -> ResourceHistory:
    """A resource's versions, oldest first."""
    with catalog.read() as session:
        return ResourceHistory.from_row(find_resource(session, ref))


def add_downloads(catalog: Catalog, counts: Mapping[str, int]) -> None:
    """Add row and download requests, counted per resource (id), to their datasets'
    ``downloads`` (the popularity sort); a resource renamed since it was counted is found by
    its former id (kaifang.catalog.aliases), unknown resources are ignored."""
    wanted = [{"resource_slug": slug, "hits": int(n)} for slug, n in counts.items() if n > 0]
    if not wanted:
        return
    counted: BindParameter[str] = bindparam("resource_slug")
    renamed = select(IdAlias.new).where(IdAlias.kind == "resource", IdAlias.old == counted)
    owner = select(Resource.dataset_id).where(
        Resource.slug == func.coalesce(renamed.scalar_subquery(), counted)
    )
    stmt = (
        update(Dataset)
        .where(Dataset.id == owner.scalar_subquery())
        .values(downloads=Dataset.downloads + bindparam("hits"))
        .execution_options(synchronize_session=False)
    )
    with catalog.write() as session:
        session.connection().execute(stmt, wanted)


def use_counts(
    catalog: Catalog, datasets: Sequence[str], pending: Mapping[str, int]
) -> dict[str, int]:
    """Row and download requests of each dataset (by id): its catalog ``downloads`` plus the
    ``pending`` counts per resource not added yet."""
    if not datasets:
        return {}
    with catalog.read() as session:
        uses = dict(
            session.execute(
                select(Dataset.slug, Dataset.downloads).where(Dataset.slug.in_(list(datasets)))
            ).all()
        )
        if pending:
            owners = session.execute(
                select(Resource.slug, Dataset.slug)
                .join(Dataset, Dataset.id == Resource.dataset_id)
                .where(Resource.slug.in_(list(pending)), Dataset.slug.in_(list(datasets)))
            ).all()
            for resource, dataset in owners:
                uses[dataset] += pending[resource]
    return {slug: int(n or 0) for slug, n in uses.items()}


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
            {**d.to_dict(), "uses": uses[i]}
            for i, d in zip(chosen, datasets_by_id(session, chosen), strict=True)
        ]
