"""Registering many catalog entries at once, each a new dataset with one resource described
by its columns (version 1, no stored file): what a publish registers, with the metadata
applied by the registry's own :func:`_apply_metadata` and identifiers, slugs and index texts
made as the registry makes them, but with lookups batched and one flush per batch, so that
``kaifang generate catalog`` loads hundreds of datasets per second. The whole batch is one
transaction (the caller's)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kaifang.catalog.accounts import find_organization
from kaifang.catalog.identifiers import dataset_identifier, resource_identifier, unique_slug
from kaifang.catalog.metadata import DatasetMetadata
from kaifang.catalog.models import Dataset, Organization, Resource, Tag, Version, utcnow
from kaifang.catalog.registry import _apply_metadata
from kaifang.catalog.search import refresh_search_text


@dataclass(frozen=True)
class Entry:
    org: str
    metadata: DatasetMetadata
    file_name: str
    fields: list[dict[str, Any]] = field(default_factory=list)
    rows: int = 0
    publisher: str = ""


class _Slugs:
    """Slugs taken in the catalog or earlier in the batch."""

    def __init__(self, session: Session, model: type[Dataset] | type[Resource]) -> None:
        self.session, self.model, self.batch = session, model, set[str]()

    def taken(self, slug: str) -> bool:
        if slug in self.batch:
            return True
        return self.session.scalar(select(self.model.id).where(self.model.slug == slug)) is not None

    def pick(self, candidates: list[str], fallback: str) -> str:
        slug = unique_slug(candidates, fallback, self.taken)
        self.batch.add(slug)
        return slug


def register_entries(session: Session, entries: list[Entry]) -> list[Dataset]:
    """Register ``entries`` as new datasets inside ``session``'s transaction."""
    out: list[Dataset] = []
    with session.no_autoflush:
        orgs: dict[str, Organization] = {}
        serials: dict[int, int] = {}
        tags: dict[str, Tag] = {}
        dataset_slugs, resource_slugs = _Slugs(session, Dataset), _Slugs(session, Resource)
        words = {w for e in entries for w in e.metadata.keywords}
        for tag in session.scalars(select(Tag).where(Tag.name.in_(words))):
            tags[tag.name] = tag
        for entry in entries:
            org = orgs.get(entry.org) or find_organization(session, entry.org)
            orgs[entry.org] = org
            if org.id not in serials:
                serials[org.id] = (
                    session.scalar(
                        select(func.coalesce(func.max(Dataset.serial), 0)).where(
                            Dataset.organization_id == org.id
                        )
                    )
                    or 0
                )
            serials[org.id] += 1
            out.append(_new_dataset(session, entry, org, serials[org.id], tags,
                                    dataset_slugs, resource_slugs))  # fmt: skip
    session.flush()
    return out


def _new_dataset(
    session: Session,
    entry: Entry,
    org: Organization,
    serial: int,
    tags: dict[str, Tag],
    dataset_slugs: _Slugs,
    resource_slugs: _Slugs,
) -> Dataset:
    meta, stem = entry.metadata, entry.file_name.rsplit(".", 1)[0]
    identifier = dataset_identifier(org.code, serial)
    dataset = Dataset(
        slug=dataset_slugs.pick([meta.title, stem], f"d_{org.code.lower()}"),
        identifier=identifier,
        organization=org,
        serial=serial,
        title=meta.title,
        license_id="OGDL-Taiwan-1.0",
        extras={},
        tags=[],
        resources=[],
    )
    _apply_metadata(dataset, replace(meta, keywords=[]), session)
    dataset.tags = [tags.setdefault(w, Tag(name=w)) for w in dict.fromkeys(meta.keywords)]
    key = f"{org.code}/{meta.title}/{entry.file_name}".encode()
    digest = "sha256:" + hashlib.sha256(key).hexdigest()
    now = utcnow()
    resource = Resource(
        slug=resource_slugs.pick([stem, meta.title], f"t_{org.code.lower()}"),
        identifier=resource_identifier(identifier, 1),
        serial=1,
        name=stem,
        current_version=1,
        fields=entry.fields,
        modified=now,
        versions=[
            Version(
                number=1,
                rows=entry.rows,
                created=now,
                publisher=entry.publisher,
                source_file=entry.file_name,
                source_hash=digest,
                content_hash=digest,
            )
        ],
    )
    dataset.resources = [resource]
    dataset.modified = now
    refresh_search_text(dataset)
    session.add(dataset)
    return dataset
