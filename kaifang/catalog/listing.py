"""Datasets as a page of a listing shows them, read with a few Core statements.

A listing (``kaifang datasets``, ``/api/datasets``, the portal's search and organization
pages, CKAN's ``package_search``, the DCAT catalog's pages) shows each dataset's
``to_dict()``: its metadata, organization, licence, keywords and resources, each resource
with the rows of its current version, and the legal bases under which current versions
publish personal data. Loading ORM objects for that read every version of every resource
with its whole summary (reading problems and screening report), and building the objects
cost more than the queries. Here each statement selects only the columns a page shows:

- the datasets joined with their organization and licence;
- their keywords;
- their resources joined with their *current* version, whose summary is read in the
  database only for the screening's ``legal_basis_detail`` and ``exception``;
- who published each dataset's first version (its creator unless one is recorded).

The records are the same :class:`~kaifang.catalog.records.DatasetRecord` that ``show``
builds, except that each resource's ``versions`` holds only its current version (what
``to_dict()`` reads); ``show`` and ``history`` still load every version.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import BindParameter, Select, and_, bindparam, func, select
from sqlalchemy.orm import Session

from kaifang.catalog.models import (
    Dataset,
    License,
    Organization,
    Resource,
    Tag,
    Version,
    dataset_tags,
)
from kaifang.catalog.records import (
    DATASET_COLUMNS,
    VERSION_COLUMNS,
    DatasetRecord,
    OrganizationRecord,
    ResourceRecord,
    VersionRecord,
    personal_data_of,
)

_SCREENING = ("legal_basis_detail", "exception")
"""The parts of a current version's screening summary a listing shows (personal data)."""

# The statements are built once, on the tables (not the ORM classes), with the page's ids as
# one expanding parameter: building a statement, coercing a hundred ids into parameters and
# turning ORM rows into tuples cost more than SQLite took to answer.
_IDS: BindParameter[list[int]] = bindparam("ids", expanding=True)
_datasets, _organizations, _licenses = Dataset.__table__, Organization.__table__, License.__table__
_resources_t, _versions, _tags = Resource.__table__, Version.__table__, Tag.__table__

_DATASETS = (
    select(
        _datasets.c.id,
        *(_datasets.c[name] for name in DATASET_COLUMNS),
        _organizations.c.code.label("org_code"),
        _organizations.c.name.label("org_name"),
        _organizations.c.name_en.label("org_name_en"),
        _licenses.c.title.label("license_title"),
        _licenses.c.url.label("license_default_url"),
    )
    .join(_organizations, _organizations.c.id == _datasets.c.organization_id)
    .join(_licenses, _licenses.c.id == _datasets.c.license_id)
    .where(_datasets.c.id.in_(_IDS))
)
CURRENT_VERSION = and_(
    _versions.c.resource_id == _resources_t.c.id,
    _versions.c.number == _resources_t.c.current_version,
)
"""A resource's current version, as a join condition on the tables."""


def keywords_of(dataset_ids: Any) -> Select[int, str]:
    """``(dataset id, keyword)`` of the datasets ``dataset_ids`` names (a parameter or a
    subquery), by keyword."""
    return (
        select(dataset_tags.c.dataset_id, _tags.c.name)
        .join(_tags, _tags.c.id == dataset_tags.c.tag_id)
        .where(dataset_tags.c.dataset_id.in_(dataset_ids))
        .order_by(_tags.c.name)
    )


_KEYWORDS = keywords_of(_IDS)
_RESOURCES = (
    select(
        _resources_t.c.dataset_id,
        _resources_t.c.slug,
        _resources_t.c.storage,
        _resources_t.c.identifier,
        _resources_t.c.name,
        _resources_t.c.current_version,
        _resources_t.c.fields,
        _resources_t.c.created.label("resource_created"),
        _resources_t.c.modified.label("resource_modified"),
        _versions.c.id.label("version_id"),
        *(_versions.c[name] for name in VERSION_COLUMNS),
        *(_versions.c.summary[("screening", key)].label(key) for key in _SCREENING),
    )
    .outerjoin(_versions, CURRENT_VERSION)
    .where(_resources_t.c.dataset_id.in_(_IDS))
    .order_by(_resources_t.c.dataset_id, _resources_t.c.serial)
)
_RANKED = (
    select(
        _resources_t.c.dataset_id,
        _versions.c.publisher,
        func.row_number()
        .over(
            partition_by=_resources_t.c.dataset_id,
            order_by=(_versions.c.created, _resources_t.c.serial, _versions.c.number),
        )
        .label("n"),
    )
    .join(_versions, _versions.c.resource_id == _resources_t.c.id)
    .where(_resources_t.c.dataset_id.in_(_IDS))
    .subquery()
)
_FIRST_PUBLISHERS = select(_RANKED.c.dataset_id, _RANKED.c.publisher).where(_RANKED.c.n == 1)


def dataset_records(session: Session, ids: Sequence[int]) -> list[DatasetRecord]:
    """The datasets with these ids, in the order of ``ids`` (unknown ids left out)."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return []
    ids_param = {"ids": wanted}
    datasets = {row["id"]: row for row in session.execute(_DATASETS, ids_param).mappings()}
    keywords: dict[int, list[str]] = defaultdict(list)
    for dataset_id, name in session.execute(_KEYWORDS, ids_param):
        keywords[dataset_id].append(name)
    resources, personal = _resources(session, wanted, datasets)
    first = _first_publishers(session, [i for i, d in datasets.items() if _needs_creator(d)])
    records = []
    for dataset_id in wanted:
        row = datasets.get(dataset_id)
        if row is None:
            continue
        records.append(
            DatasetRecord.from_columns(
                row,
                organization=OrganizationRecord(
                    code=row["org_code"], name=row["org_name"], name_en=row["org_name_en"]
                ),
                license_title=row["license_title"],
                license_url=row["license_default_url"],
                keywords=tuple(keywords.get(dataset_id, ())),
                resources=tuple(resources.get(dataset_id, ())),
                first_publisher=first.get(dataset_id),
                personal_data=tuple(personal.get(dataset_id, ())),
            )
        )
    return records


def _needs_creator(row: Any) -> bool:
    return not (row["extras"] or {}).get("creator")


def _resources(
    session: Session, ids: list[int], datasets: dict[int, Any]
) -> tuple[dict[int, list[ResourceRecord]], dict[int, list[dict[str, Any]]]]:
    """Each dataset's resources (by serial) with their current version, and its personal
    data records."""
    rows = session.execute(_RESOURCES, {"ids": ids}).mappings()
    resources: dict[int, list[ResourceRecord]] = defaultdict(list)
    personal: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        dataset = datasets.get(row["dataset_id"])
        if dataset is None:
            continue
        parts = {key: row[key] for key in _SCREENING if row[key] is not None}
        versions: tuple[VersionRecord, ...] = ()
        if row["version_id"] is not None:
            versions = (VersionRecord.from_columns(row, {"screening": parts}),)
            personal[row["dataset_id"]].extend(personal_data_of(row["slug"], parts))
        resources[row["dataset_id"]].append(
            ResourceRecord(
                slug=row["slug"],
                storage=row["storage"],
                identifier=row["identifier"],
                name=row["name"],
                dataset=dataset["slug"],
                dataset_identifier=dataset["identifier"],
                dataset_title=dataset["title"],
                current_version=row["current_version"],
                fields=tuple(row["fields"] or ()),
                created=row["resource_created"],
                modified=row["resource_modified"],
                versions=versions,
            )
        )
    return resources, personal


def _first_publishers(session: Session, ids: list[int]) -> dict[int, str | None]:
    """Who published each dataset's first version (the earliest created; ties go to the
    first resource, then the lowest version number, as :class:`DatasetRecord` orders them)."""
    if not ids:
        return {}
    rows = session.execute(_FIRST_PUBLISHERS, {"ids": ids})
    return {dataset_id: (publisher or None) for dataset_id, publisher in rows}
