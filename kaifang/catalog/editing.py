"""Editing a dataset's record without publishing data: create one with its metadata and empty
resources, replace its metadata, rename or add resources, withdraw it and list it again.

These are the catalog side of CKAN's ``package_create``/``package_update``/``package_delete``
(kaifang.api.compat.ckan). Data still only arrives through a publish, which adds a version to
one of the resources made here. Nothing here removes a version: a resource with versions is
never deleted, and a withdrawn dataset keeps its record and every version.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kaifang.catalog.accounts import find_organization
from kaifang.catalog.activity import record_activity
from kaifang.catalog.aliases import resource_id_taken
from kaifang.catalog.datasets import find_dataset
from kaifang.catalog.db import Catalog
from kaifang.catalog.identifiers import is_slug, unique_slug
from kaifang.catalog.metadata import DatasetMetadata
from kaifang.catalog.metadata_writes import replace_metadata
from kaifang.catalog.models import Dataset, Resource, utcnow
from kaifang.catalog.registry import new_dataset, new_resource, readable_ids
from kaifang.catalog.search import refresh_search_text
from kaifang.errors import ConflictError, ValidationError


@dataclass(frozen=True)
class ResourceSpec:
    """A resource as an edit names it: ``ref`` (its id or identifier) for an existing one,
    ``slug`` wanted for a new one (else made from the name)."""

    name: str
    ref: str | None = None
    slug: str | None = None


def _check_slug(session: Session, model: type[Dataset] | type[Resource], slug: str) -> None:
    key = "name" if model is Dataset else "id"
    if not is_slug(slug):
        raise ValidationError(
            f"{key}: {slug!r} must be 1-63 lower-case letters, digits or single underscores, "
            "starting with a letter",
            hint="It becomes a URL and an SQL table name, e.g. theft_points_2024.",
            key=key,
        )
    if session.scalar(select(model.id).where(model.slug == slug)) is not None:
        raise ConflictError(f"{key}: {slug!r} is already in use", key=key)


def _merge_extras(dataset: Dataset, extras: dict[str, Any]) -> None:
    merged = dict(dataset.extras or {})
    for key, value in extras.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    dataset.extras = merged


def _add_resource(session: Session, dataset: Dataset, spec: ResourceSpec) -> Resource:
    """A new, empty resource; its id is ``spec.slug`` when that is a free id, else one made
    from the name (a copied catalog keeps its ids where it can)."""

    def taken(candidate: str) -> bool:
        return resource_id_taken(session, candidate)

    wanted = spec.slug if spec.slug and is_slug(spec.slug) else None
    slug = unique_slug(
        [c for c in (wanted, spec.name, dataset.slug) if c], f"t_{dataset.slug}", taken
    )
    return new_resource(session, dataset, slug=slug, name=spec.name.strip() or slug)


def _set_resources(session: Session, dataset: Dataset, specs: list[ResourceSpec]) -> None:
    """Make the dataset's resources the ``specs``: existing ones renamed, new ones added
    (empty), left-out ones without versions removed; leaving out one with versions is refused."""
    kept: set[int] = set()
    for spec in specs:
        wanted = (spec.ref or "").strip()
        existing = next(
            (r for r in dataset.resources if wanted and wanted in (r.slug, r.identifier)), None
        )
        if existing is None:
            kept.add(id(_add_resource(session, dataset, spec)))
            continue
        if spec.name.strip():
            existing.name = spec.name.strip()
        kept.add(id(existing))
    for resource in list(dataset.resources):
        if id(resource) in kept:
            continue
        if resource.versions:
            raise ValidationError(
                f"resources: {resource.slug!r} has {len(resource.versions)} published "
                "version(s) and cannot be removed; kaifang keeps every version",
                hint="Keep it in the list of resources, or withdraw the whole dataset.",
                key="resources",
            )
        dataset.resources.remove(resource)
        session.delete(resource)


def create_dataset(
    catalog: Catalog,
    *,
    org: str,
    metadata: DatasetMetadata,
    slug: str | None = None,
    extras: dict[str, Any] | None = None,
    resources: list[ResourceSpec] | None = None,
    actor: str = "",
) -> str:
    """A new dataset of ``org`` with ``metadata`` and empty ``resources``; its id."""
    if not metadata.title.strip():
        raise ValidationError("title: Missing value", key="title")
    with catalog.write() as session:
        organization = find_organization(session, org)
        if slug:
            _check_slug(session, Dataset, slug)
        slugs = [slug] if slug else readable_ids(metadata.title, metadata.title_en)
        dataset = new_dataset(session, organization.code, title=metadata.title, slugs=slugs)
        session.flush()
        replace_metadata(session, dataset, metadata)
        _merge_extras(dataset, extras or {})
        for spec in resources or []:
            _add_resource(session, dataset, spec)
        session.flush()
        refresh_search_text(dataset)
        record_activity(session, "dataset_created", dataset, actor=actor, title=dataset.title)
        return dataset.slug


def update_dataset(
    catalog: Catalog,
    ref: str,
    *,
    metadata: DatasetMetadata,
    extras: dict[str, Any] | None = None,
    resources: list[ResourceSpec] | None = None,
    listed: bool | None = None,
    actor: str = "",
) -> str:
    """Replace the metadata of dataset ``ref`` (and its resources, when given); ``listed``
    True lists a withdrawn dataset again, False withdraws it. Its id."""
    with catalog.write() as session:
        dataset = find_dataset(session, ref)
        was_withdrawn = dataset.withdrawn is not None
        replace_metadata(session, dataset, metadata)
        _merge_extras(dataset, extras or {})
        if resources is not None:
            _set_resources(session, dataset, resources)
        if listed is not None:
            dataset.withdrawn = None if listed else (dataset.withdrawn or utcnow())
        dataset.modified = utcnow()
        session.flush()
        refresh_search_text(dataset)
        record_activity(session, "metadata_edited", dataset, actor=actor)
        if was_withdrawn != (dataset.withdrawn is not None):
            kind = "dataset_withdrawn" if dataset.withdrawn else "dataset_restored"
            record_activity(session, kind, dataset, actor=actor)
        return dataset.slug


def add_resource(catalog: Catalog, dataset_ref: str, spec: ResourceSpec) -> str:
    """A new, empty resource of dataset ``dataset_ref``; its id."""
    with catalog.write() as session:
        dataset = find_dataset(session, dataset_ref)
        resource = _add_resource(session, dataset, spec)
        dataset.modified = utcnow()
        session.flush()
        return resource.slug


def rename_resource(catalog: Catalog, ref: str, name: str) -> None:
    with catalog.write() as session:
        resource = session.scalar(
            select(Resource).where((Resource.slug == ref) | (Resource.identifier == ref.upper()))
        )
        if resource is not None and name.strip():
            resource.name = name.strip()
            resource.modified = utcnow()


def withdraw_dataset(catalog: Catalog, ref: str, *, actor: str = "") -> str:
    """Withdraw dataset ``ref``: out of listings, search and counts; record and versions
    kept. Withdrawing it again changes nothing. Its id."""
    with catalog.write() as session:
        dataset = find_dataset(session, ref)
        if dataset.withdrawn is None:
            dataset.withdrawn = utcnow()
            record_activity(session, "dataset_withdrawn", dataset, actor=actor)
        return dataset.slug
