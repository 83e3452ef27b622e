"""Catalog views for the APIs: search with filters and facets, datasets, resources,
organizations — the dicts that the native API returns and the compatibility layers reshape."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from kaifang.catalog.accounts import list_organizations, organization_dict
from kaifang.catalog.datasets import (
    dataset_dict,
    find_dataset,
    find_resource,
    list_datasets,
    version_dict,
)
from kaifang.catalog.db import Catalog
from kaifang.catalog.models import Organization
from kaifang.errors import NotFoundError, ValidationError
from kaifang.export import FORMATS
from kaifang.service.data import ResourceRef
from kaifang.service.openness import with_scores

MAX_SEARCH_CHARS = 500
"""Longest search term accepted; longer ones are refused before the catalog sees them."""

FacetValues = Callable[[dict[str, Any]], list[str]]
FACET_FIELDS: dict[str, FacetValues] = {
    "organization": lambda d: [d["organization"]["code"].lower()],
    "tags": lambda d: list(d["keywords"]),
    "res_format": lambda d: [f.upper() for f in FORMATS] if d["resources"] else [],
    "license_id": lambda d: [d["license"]["id"]],
    "groups": lambda d: [d["category"]] if d["category"] else [],
}


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    count: int


def _matches(
    dataset: dict[str, Any],
    *,
    org: str | None,
    tag: str | None,
    license: str | None,
    format: str | None,
    category: str | None,
) -> bool:
    if org and dataset["organization"]["code"].upper() != org.upper():
        return False
    if tag and tag.lower() not in {k.lower() for k in dataset["keywords"]}:
        return False
    if license and dataset["license"]["id"].lower() != license.lower():
        return False
    if format and (format.lower() not in FORMATS or not dataset["resources"]):
        return False
    return not (category and (dataset["category"] or "").upper() != category.upper())


def search(
    catalog: Catalog,
    *,
    q: str | None = None,
    org: str | None = None,
    tag: str | None = None,
    license: str | None = None,
    format: str | None = None,
    category: str | None = None,
) -> list[dict[str, Any]]:
    """Every matching dataset, ranked (search) or newest first."""
    if q is not None and len(q) > MAX_SEARCH_CHARS:
        raise ValidationError(
            f"the search term is {len(q):,} characters long; at most {MAX_SEARCH_CHARS} are "
            "accepted",
            hint="Search with a few words; filter by organization, tag or category instead.",
        )
    found = list_datasets(catalog, search=q)["data"]
    matching = [
        d
        for d in found
        if _matches(d, org=org, tag=tag, license=license, format=format, category=category)
    ]
    return with_scores(catalog, matching)


def facet_counts(
    datasets: Iterable[dict[str, Any]], fields: list[str]
) -> dict[str, dict[str, int]]:
    counters = {name: Counter[str]() for name in fields if name in FACET_FIELDS}
    for dataset in datasets:
        for name, counter in counters.items():
            counter.update(FACET_FIELDS[name](dataset))
    return {name: dict(counter.most_common()) for name, counter in counters.items()}


def dataset_detail(catalog: Catalog, ref: str) -> dict[str, Any]:
    """A dataset with each resource's schema, versions and screening summary."""
    with catalog.read() as session:
        dataset = find_dataset(session, ref)
        out = dataset_dict(dataset)
        for item, resource in zip(out["resources"], dataset.resources, strict=True):
            versions = [version_dict(v) for v in resource.versions]
            current = next(
                (v for v in resource.versions if v.number == resource.current_version), None
            )
            item["schema"] = {"fields": list(resource.fields)}
            item["versions"] = versions
            item["dataset_id"] = dataset.slug
            item["screening"] = current.summary.get("screening", {}) if current else {}
            item["legal_basis"] = (current.legal_basis or None) if current else None
    return with_scores(catalog, [out])[0]


def resource_detail(catalog: Catalog, ref: str) -> tuple[dict[str, Any], ResourceRef]:
    with catalog.read() as session:
        resource = find_resource(session, ref)
        fields = list(resource.fields)
        versions = {v.number: v.rows for v in resource.versions}
        current = next((v for v in resource.versions if v.number == resource.current_version), None)
        detail = {
            "id": resource.slug,
            "identifier": resource.identifier,
            "name": resource.name,
            "dataset_id": resource.dataset.slug,
            "dataset_identifier": resource.dataset.identifier,
            "current_version": resource.current_version,
            "rows": current.rows if current else None,
            "schema": {"fields": fields},
            "versions": [version_dict(v) for v in resource.versions],
            "screening": current.summary.get("screening", {}) if current else {},
            "created": resource.created.isoformat(),
            "modified": resource.modified.isoformat(),
        }
        ref_ = ResourceRef(
            id=resource.slug,
            identifier=resource.identifier,
            columns=[f["name"] for f in fields],
            types={f["name"]: f.get("type", "string") for f in fields},
            current_version=resource.current_version,
            versions=versions,
        )
        return detail, ref_


def organizations(catalog: Catalog) -> list[dict[str, Any]]:
    counts = Counter(d["organization"]["code"] for d in list_datasets(catalog)["data"])
    return [
        {**org, "dataset_count": counts.get(org["code"], 0)} for org in list_organizations(catalog)
    ]


def organization(catalog: Catalog, code: str) -> dict[str, Any]:
    with catalog.read() as session:
        org = session.scalar(
            select(Organization)
            .where(Organization.code == code.strip().upper())
            .options(selectinload(Organization.datasets))
        )
        if org is None:
            raise NotFoundError(
                f"organization {code!r} does not exist",
                hint="List organizations with GET /api/organizations.",
            )
        return {**organization_dict(org), "dataset_count": len(org.datasets)}


def latest_modified(datasets: Iterable[dict[str, Any]]) -> datetime | None:
    stamps = [datetime.fromisoformat(d["modified"]) for d in datasets if d.get("modified")]
    return max(stamps) if stamps else None
