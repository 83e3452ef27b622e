"""Catalog views for the APIs: search with filters and facets, datasets, resources,
organizations — the dicts that the native API returns and the compatibility layers reshape."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from kaifang.catalog import finder
from kaifang.catalog.accounts import list_organizations
from kaifang.catalog.datasets import (
    find_dataset,
    find_resource,
    list_datasets,
    show_dataset,
)
from kaifang.catalog.db import Catalog
from kaifang.catalog.finder import FACETS, Exact, Filters, Sort
from kaifang.catalog.models import Dataset, Organization, Resource, Version
from kaifang.catalog.records import DatasetRecord, OrganizationRecord, ResourceRecord
from kaifang.catalog.search import Query
from kaifang.errors import NotFoundError, ValidationError
from kaifang.export import FORMATS
from kaifang.service.data import ResourceRef
from kaifang.service.openness import with_scores

MAX_SEARCH_CHARS = 500
"""Longest search term accepted; longer ones are refused before the catalog sees them."""


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    count: int


@dataclass(frozen=True)
class DatasetSearch:
    """What a dataset search asks, whichever surface asks it (the native API, CKAN's
    package_search, the portal's search page, the national spec's lists): the words and the
    filters, each None when not given."""

    q: str | None = None
    org: str | None = None
    tag: str | None = None
    license: str | None = None
    format: str | None = None
    category: str | None = None
    band: str | None = None
    frequency: str | None = None
    modified_since: datetime | None = None
    query: Query | None = None
    """A boolean query (fields, phrases, AND / OR; CKAN's package_search), besides ``q``."""
    exact: Exact | None = None
    """Exact filters joined by AND / OR (CKAN's ``fq``)."""

    @classmethod
    def from_params(cls, params: Mapping[str, str | None]) -> DatasetSearch:
        """From text parameters named like the fields (a portal query string, CKAN's ``fq``);
        empty values count as not given."""

        def given(name: str) -> str | None:
            return params.get(name) or None

        return cls(
            q=given("q"),
            org=given("org"),
            tag=given("tag"),
            license=given("license"),
            format=given("format"),
            category=given("category"),
            band=given("band"),
            frequency=given("frequency"),
        )

    def filters(self) -> Filters | None:
        """The catalog's filters; None when nothing can match (a format that kaifang does not
        serve); a search term past ``MAX_SEARCH_CHARS`` is refused."""
        q = self.q
        if q is not None and len(q) > MAX_SEARCH_CHARS:
            raise ValidationError(
                f"the search term is {len(q):,} characters long; at most {MAX_SEARCH_CHARS} "
                "are accepted",
                hint="Search with a few words; filter by organization, tag or category instead.",
                key="q",
            )
        if self.format and self.format.strip().lower() not in FORMATS:
            return None
        return Filters(
            q=q,
            org=self.org,
            tag=self.tag,
            license=self.license,
            with_resources=bool(self.format),
            category=self.category,
            band=self.band,
            frequency=self.frequency,
            modified_since=self.modified_since,
            query=self.query,
            exact=self.exact,
        )


EVERYTHING = DatasetSearch()


def search_page(
    catalog: Catalog,
    query: DatasetSearch = EVERYTHING,
    *,
    limit: int | None,
    offset: int = 0,
    sort: Sort = "relevance",
) -> Page:
    """One page of matching datasets (ranked, or newest first) with their openness scores,
    and the exact count; searched, filtered and paged in the database."""
    wanted = query.filters()
    if wanted is None:
        return Page(items=[], count=0)
    found = list_datasets(catalog, filters=wanted, sort=sort, limit=limit, offset=offset)
    return Page(items=with_scores(catalog, [d.to_dict() for d in found.data]), count=found.count)


def search(catalog: Catalog, query: DatasetSearch = EVERYTHING) -> list[dict[str, Any]]:
    """Every matching dataset, ranked (search) or newest first."""
    return search_page(catalog, query, limit=None).items


def facet_counts(
    catalog: Catalog,
    fields: list[str],
    query: DatasetSearch = EVERYTHING,
    *,
    limit: int | None = None,
) -> dict[str, dict[str, int]]:
    """``{facet: {value: count}}`` over every match (see kaifang.catalog.finder.FACETS), the
    ``limit`` most common values of each."""
    wanted = query.filters()
    if wanted is None:
        return {name: {} for name in fields if name in FACETS}
    with catalog.read() as session:
        return finder.facet_counts(session, wanted, fields, formats=tuple(FORMATS), limit=limit)


def organization_names(catalog: Catalog, codes: Iterable[str]) -> dict[str, dict[str, str]]:
    """``{code (lower case): {"zh-TW": name, "en": English name or name}}`` of these
    organizations (codes in any case)."""
    wanted = [c.upper() for c in codes]
    if not wanted:
        return {}
    with catalog.read() as session:
        rows = session.execute(
            select(Organization.code, Organization.name, Organization.name_en).where(
                Organization.code.in_(wanted)
            )
        )
        return {
            code.lower(): {"zh-TW": name, "en": name_en or name} for code, name, name_en in rows
        }


def identifiers(
    catalog: Catalog,
    query: DatasetSearch = EVERYTHING,
    *,
    limit: int | None = None,
    offset: int = 0,
) -> list[str]:
    """The national identifiers of the matches, sorted, paged in the database."""
    wanted = query.filters()
    if wanted is None:
        return []
    with catalog.read() as session:
        ids, _ = finder.matching(session, wanted)
        stmt = (
            select(Dataset.identifier)
            .where(Dataset.id.in_(ids))
            .order_by(Dataset.identifier)
            .offset(offset)
            .limit(limit)
        )
        return list(session.scalars(stmt))


def row_count(catalog: Catalog) -> int:
    """Rows in the current versions of every resource (one query)."""
    with catalog.read() as session:
        total = session.scalar(
            select(func.coalesce(func.sum(Version.rows), 0))
            .join(Resource, Resource.id == Version.resource_id)
            .where(Version.number == Resource.current_version)
        )
        return int(total or 0)


def first_created(catalog: Catalog) -> datetime | None:
    with catalog.read() as session:
        first: datetime | None = session.scalar(select(func.min(Dataset.created)))
        return first


def _detail(dataset: DatasetRecord) -> dict[str, Any]:
    out = dataset.to_dict()
    for item, resource in zip(out["resources"], dataset.resources, strict=True):
        current = resource.current
        item["schema"] = {"fields": [dict(f) for f in resource.fields]}
        item["versions"] = [v.to_dict() for v in resource.versions]
        item["dataset_id"] = dataset.slug
        item["screening"] = dict(current.screening) if current else {}
        item["legal_basis"] = current.legal_basis if current else None
    return out


def dataset_org(catalog: Catalog, ref: str) -> str:
    """The organization code of dataset ``ref`` (withdrawn or not)."""
    with catalog.read() as session:
        return find_dataset(session, ref).organization.code


def dataset_detail(catalog: Catalog, ref: str) -> dict[str, Any]:
    """A dataset with each resource's schema, versions and screening summary."""
    return with_scores(catalog, [_detail(show_dataset(catalog, ref))])[0]


def resource_detail(catalog: Catalog, ref: str) -> tuple[dict[str, Any], ResourceRef]:
    with catalog.read() as session:
        resource = ResourceRecord.from_row(find_resource(session, ref))
    current = resource.current
    fields = [dict(f) for f in resource.fields]
    detail = {
        "id": resource.slug,
        "identifier": resource.identifier,
        "name": resource.name,
        "dataset_id": resource.dataset,
        "dataset_identifier": resource.dataset_identifier,
        "dataset_title": resource.dataset_title,
        "current_version": resource.current_version,
        "rows": resource.rows,
        "schema": {"fields": fields},
        "versions": [v.to_dict() for v in resource.versions],
        "screening": dict(current.screening) if current else {},
        "problem_count": current.problem_count if current else 0,
        "problems": list(current.problems) if current else [],
        "created": resource.created.isoformat(),
        "modified": resource.modified.isoformat(),
    }
    ref_ = ResourceRef(
        id=resource.slug,
        storage=resource.storage,
        identifier=resource.identifier,
        columns=resource.columns,
        types={f["name"]: f.get("type", "string") for f in fields},
        current_version=resource.current_version,
        versions={v.number: v.rows for v in resource.versions},
    )
    return detail, ref_


def organizations(catalog: Catalog) -> list[dict[str, Any]]:
    with catalog.read() as session:
        counts = dict(
            session.execute(
                select(Dataset.organization_id, func.count())
                .where(Dataset.withdrawn.is_(None))
                .group_by(Dataset.organization_id)
            ).all()
        )
        ids = dict(session.execute(select(Organization.code, Organization.id)).all())
    return [
        {**org.to_dict(), "dataset_count": counts.get(ids.get(org.code, 0), 0)}
        for org in list_organizations(catalog)
    ]


def organization(catalog: Catalog, code: str) -> dict[str, Any]:
    with catalog.read() as session:
        org = session.scalar(select(Organization).where(Organization.code == code.strip().upper()))
        if org is None:
            raise NotFoundError(
                f"organization {code!r} does not exist",
                hint="List organizations with GET /api/organizations.",
            )
        count = session.scalar(
            select(func.count())
            .select_from(Dataset)
            .where(Dataset.organization_id == org.id, Dataset.withdrawn.is_(None))
        )
        return {**OrganizationRecord.from_row(org).to_dict(), "dataset_count": count or 0}


def latest_modified(datasets: Iterable[dict[str, Any]]) -> datetime | None:
    stamps = [datetime.fromisoformat(d["modified"]) for d in datasets if d.get("modified")]
    return max(stamps) if stamps else None


def sql_tables(catalog: Catalog, *, limit: int, offset: int) -> dict[str, Any]:
    """The tables SQL users can name (each published resource, ``<id>`` for its current
    version and ``<id>__v<n>`` for every version) with their columns, a page at a time."""
    published = Resource.current_version.is_not(None)
    with catalog.read() as session:
        total = session.scalar(select(func.count()).select_from(Resource).where(published)) or 0
        resources = session.scalars(
            select(Resource).where(published).order_by(Resource.slug).limit(limit).offset(offset)
        ).all()
        numbers: dict[int, list[int]] = {}
        for resource_id, number in session.execute(
            select(Version.resource_id, Version.number).where(
                Version.resource_id.in_([r.id for r in resources])
            )
        ):
            numbers.setdefault(resource_id, []).append(number)
        tables = [
            {
                "table": r.slug,
                "dataset_id": r.dataset.slug,
                "title": r.dataset.title,
                "current_version": r.current_version,
                "versions": [f"{r.slug}__v{n}" for n in sorted(numbers.get(r.id, []))],
                "columns": [
                    {"name": f["name"], "type": f.get("type", "string")}
                    | ({"description": f["description"]} if f.get("description") else {})
                    for f in r.fields
                ],
            }
            for r in resources
        ]
    return {"tables": tables, "count": total, "limit": limit, "offset": offset}
