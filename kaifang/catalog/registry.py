"""The catalog side of a publish: find where a file goes, then register a stored version and
make it current, in one transaction.

:func:`plan_target` only reads; :func:`register_version` runs inside ``catalog.write()`` while
the caller holds the storage lock of the resource. On PostgreSQL the rows that number things
(the organization for dataset serials, the dataset for resource serials, the resource for
version numbers) are locked with ``SELECT ... FOR UPDATE``; on SQLite the write transaction
already holds the database's write lock (``BEGIN IMMEDIATE``).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kaifang.catalog.accounts import find_organization
from kaifang.catalog.aliases import id_taken, moved_to, resource_id_taken
from kaifang.catalog.datasets import find_dataset
from kaifang.catalog.identifiers import (
    check_id,
    dataset_identifier,
    readable_id,
    resource_identifier,
    slugify,
    unique_slug,
)
from kaifang.catalog.metadata import DatasetMetadata
from kaifang.catalog.metadata_writes import merge_metadata
from kaifang.catalog.models import Dataset, Organization, Resource, Version, utcnow
from kaifang.catalog.search import refresh_search_text
from kaifang.errors import ConflictError, ForbiddenError, ValidationError


@dataclass
class Target:
    """Where a publish goes. ``resource`` is the slug of an existing resource (None: a new
    one) and ``storage`` its storage name, which the publish writes under and registers by
    (a rename meanwhile changes the slug, never the storage name)."""

    org_code: str
    resource_name: str
    dataset: str | None = None  # slug of an existing dataset
    resource: str | None = None  # slug of an existing resource
    storage: str | None = None  # the storage name of that resource
    current_source_hash: str = ""
    new_id: str | None = None  # the id the publisher chose for a new dataset
    id_candidates: list[str] = field(default_factory=list)  # an importer's, before the title's
    field_descriptions: dict[str, str] = field(default_factory=dict)

    @property
    def new_dataset(self) -> bool:
        return self.dataset is None

    @property
    def new_resource(self) -> bool:
        return self.resource is None


def _pick_resource(dataset: Dataset, resource_ref: str | None, file: Path) -> Resource | None:
    resources = list(dataset.resources)
    if resource_ref is not None:
        wanted = resource_ref.strip()
        return next(
            (r for r in resources if wanted in (r.slug, r.identifier, r.name)),
            None,
        )
    if len(resources) == 1:
        return resources[0]
    names = {file.name, file.stem, slugify(file.stem)}
    return next((r for r in resources if r.name in names or r.slug in names), None)


def _target_for(
    org: Organization, dataset: Dataset | None, resource: Resource | None, name: str
) -> Target:
    target = Target(org_code=org.code, resource_name=name)
    if dataset is not None:
        target.dataset = dataset.slug
    if resource is not None:
        target.resource = resource.slug
        target.storage = resource.storage
        target.resource_name = resource.name
        target.field_descriptions = {
            f["name"]: f["description"] for f in resource.fields if f.get("description")
        }
        current = resource.current
        target.current_source_hash = current.source_hash if current is not None else ""
    return target


def plan_target(
    session: Session,
    *,
    org: str,
    dataset: str | None,
    resource: str | None,
    file: Path,
    title: str,
    source_hash: str,
    new_id: str | None = None,
) -> Target:
    """Check the organization and dataset exist and say which resource the file updates.

    Without ``dataset``, an earlier publish of the same file under the same title by the same
    organization is found again (so running a demo twice creates nothing new); else a new
    dataset is planned, with the id ``new_id`` when the publisher chose one (it must be
    free)."""
    organization = find_organization(session, org)
    name = resource.strip() if resource else file.stem
    if dataset is not None and new_id:
        raise ValidationError(
            f"id: {new_id!r} names a new dataset, but the file goes to dataset {dataset!r}",
            hint="Give --id only on a dataset's first publish; it cannot be changed by a "
            "publish (kaifang catalog rename changes it).",
            key="id",
        )
    if dataset is None:
        same_title = session.scalars(
            select(Dataset).where(
                Dataset.organization_id == organization.id, Dataset.title == title
            )
        ).all()
        for candidate in same_title:
            for res in candidate.resources:
                current = res.current
                if current is not None and current.source_hash == source_hash:
                    return _target_for(organization, candidate, res, name)
        target = _target_for(organization, None, None, name)
        if new_id:
            target.new_id = check_id(new_id)
            if id_taken(session, "dataset", target.new_id):
                raise ConflictError(
                    f"id: dataset id {target.new_id!r} is already in use",
                    hint=f"Choose another id, or add a version to it with --dataset "
                    f"{target.new_id}.",
                    key="id",
                )
        return target
    found = find_dataset(session, dataset)
    if found.organization_id != organization.id:
        raise ForbiddenError(
            f"dataset {found.slug!r} belongs to organization {found.organization.code}, "
            f"not {organization.code}",
            hint=f"Publish it with --org {found.organization.code}.",
        )
    return _target_for(organization, found, _pick_resource(found, resource, file), name)


def new_resource_slug(
    session: Session, target: Target, title: str, reserved: Collection[str] = ()
) -> str:
    """A free slug for a new resource: from its name, else the title, else the organization
    (``reserved``: slugs other resources of the same publish will take)."""

    def taken(slug: str) -> bool:
        return slug in reserved or resource_id_taken(session, slug)

    # a name taken gets a suffix (data_2) rather than another candidate's id
    candidates = [target.resource_name] if slugify(target.resource_name) else [title]
    return unique_slug(candidates, f"t_{target.org_code.lower()}", taken)


def _locked(session: Session, stmt: Any) -> Any:
    """``stmt`` with ``FOR UPDATE`` where the backend supports row locks."""
    return (
        stmt.with_for_update() if session.bind and session.bind.dialect.name != "sqlite" else stmt
    )


def readable_ids(title: str, title_en: str = "") -> list[str]:
    """Id candidates people can read, best first: from the English title, else the Chinese
    title in pinyin (:func:`kaifang.catalog.identifiers.readable_id`); never a file name."""
    return [c for c in (readable_id(title_en), readable_id(title)) if c]


def _create_dataset(
    session: Session, target: Target, title: str, metadata: DatasetMetadata | None
) -> Dataset:
    if target.new_id:
        if id_taken(session, "dataset", target.new_id):
            raise ConflictError(
                f"id: dataset id {target.new_id!r} was taken by another publish meanwhile",
                hint="Choose another id.",
                key="id",
            )
        slugs = [target.new_id]
    else:
        title_en = metadata.title_en if metadata is not None else ""
        slugs = target.id_candidates or readable_ids(title, title_en)
    return new_dataset(session, target.org_code, title=title, slugs=slugs)


def new_dataset(session: Session, org_code: str, *, title: str, slugs: list[str]) -> Dataset:
    """A new dataset of ``org_code`` numbered next in its organization (whose row is locked),
    its id the first of ``slugs`` that is free once slugified (a former id of a renamed
    dataset is not free), else the first one with a short suffix (``_2``); added to
    ``session``."""
    org = session.scalar(
        _locked(session, select(Organization).where(Organization.code == org_code))
    )
    serial = (
        session.scalar(select(func.max(Dataset.serial)).where(Dataset.organization_id == org.id))
        or 0
    ) + 1

    slug = unique_slug(slugs, f"d_{org.code.lower()}", lambda s: id_taken(session, "dataset", s))
    dataset = Dataset(
        slug=slug,
        identifier=dataset_identifier(org.code, serial),
        organization=org,
        serial=serial,
        title=title,
        license_id="OGDL-Taiwan-1.0",
        extras={},
        tags=[],
        resources=[],
    )
    session.add(dataset)
    return dataset


def new_resource(session: Session, dataset: Dataset, *, slug: str, name: str) -> Resource:
    """A new resource of ``dataset`` without versions, numbered next in it, stored under its
    slug (check it with :func:`resource_id_taken` first); added."""
    session.flush()
    serial = (
        session.scalar(select(func.max(Resource.serial)).where(Resource.dataset_id == dataset.id))
        or 0
    ) + 1
    resource = Resource(
        slug=slug,
        storage=slug,
        identifier=resource_identifier(dataset.identifier, serial),
        dataset=dataset,
        serial=serial,
        name=name,
        fields=[],
        versions=[],
    )
    session.add(resource)
    return resource


@dataclass
class NewVersion:
    number: int
    rows: int
    publisher: str
    source_file: str
    source_hash: str
    content_hash: str
    fields: list[dict[str, Any]]
    legal_basis: str = ""
    rollback_of: int | None = None
    summary: dict[str, Any] = field(default_factory=dict)


def register_version(
    session: Session,
    target: Target,
    version: NewVersion,
    *,
    resource_slug: str,
    title: str,
    metadata: DatasetMetadata | None,
    file: Path,
) -> tuple[Dataset, Resource]:
    """Create the dataset/resource if new (a new resource's id and storage name are
    ``resource_slug``; an existing one is found by ``target.storage``), add the version and
    make it current."""
    if target.dataset is None:
        dataset = _create_dataset(session, target, title, metadata)
    else:
        slug = target.dataset
        dataset = session.scalar(_locked(session, select(Dataset).where(Dataset.slug == slug)))
        if dataset is None:  # renamed since the publish was planned: its id now
            now_called = moved_to(session, "dataset", slug)
            dataset = session.scalar(
                _locked(session, select(Dataset).where(Dataset.slug == now_called))
            )
        if title:
            dataset.title = title
    if metadata is not None:
        merge_metadata(session, dataset, metadata)
    if target.resource is None:
        resource = new_resource(session, dataset, slug=resource_slug, name=target.resource_name)
    else:
        resource = session.scalar(
            _locked(session, select(Resource).where(Resource.storage == target.storage))
        )
    latest = (
        session.scalar(select(func.max(Version.number)).where(Version.resource_id == resource.id))
        if resource.id
        else None
    )
    if latest is not None and latest >= version.number:
        raise ConflictError(
            f"resource {resource.slug!r} already has version {latest}; "
            f"version {version.number} would not be the newest",
            hint="Another publish got there first; publish again.",
        )
    now = utcnow()
    resource.versions.append(
        Version(
            number=version.number,
            rows=version.rows,
            created=now,
            publisher=version.publisher,
            source_file=version.source_file,
            source_hash=version.source_hash,
            content_hash=version.content_hash,
            legal_basis=version.legal_basis,
            rollback_of=version.rollback_of,
            summary=version.summary,
        )
    )
    resource.current_version = version.number
    resource.fields = version.fields
    resource.modified = now
    dataset.modified = now
    dataset.withdrawn = None  # a new version lists a withdrawn dataset again
    session.flush()
    refresh_search_text(dataset)
    return dataset, resource
