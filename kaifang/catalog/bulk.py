"""Registering many catalog entries at once, each a new dataset with its resources described
by their columns (version 1 each, no stored file): what a publish registers, with the
metadata applied by the registry's own :func:`merge_metadata`, identifiers and slugs made
as the registry makes them and index texts by :func:`search_texts`, but with every lookup
batched and each table written with one multi-row ``INSERT ... RETURNING``, so that
``kaifang generate catalog`` loads a national catalog at hundreds of datasets per second.
The whole batch is one transaction (the caller's); the engine's full-text index follows in
it (SQLite triggers, PostgreSQL's generated column).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from kaifang.catalog.accounts import find_organization
from kaifang.catalog.aliases import id_taken, resource_id_taken
from kaifang.catalog.identifiers import (
    dataset_identifier,
    resource_identifier,
    slugify,
    unique_slug,
)
from kaifang.catalog.metadata import DatasetMetadata
from kaifang.catalog.metadata_writes import merge_metadata
from kaifang.catalog.models import (
    Dataset,
    IdAlias,
    Organization,
    Resource,
    Tag,
    Version,
    dataset_tags,
    utcnow,
)
from kaifang.catalog.registry import readable_ids
from kaifang.catalog.search import search_texts


@dataclass(frozen=True)
class Table:
    """A further resource of an entry: its file name, columns and rows."""

    file_name: str
    fields: list[dict[str, Any]] = field(default_factory=list)
    rows: int = 0


@dataclass(frozen=True)
class Entry:
    """A new dataset: its first resource (``file_name``, ``fields``, ``rows``), any further
    ones (``tables``), and ``modified``, when it was published (default: now)."""

    org: str
    metadata: DatasetMetadata
    file_name: str
    fields: list[dict[str, Any]] = field(default_factory=list)
    rows: int = 0
    publisher: str = ""
    tables: tuple[Table, ...] = ()
    modified: datetime | None = None

    @property
    def all_tables(self) -> list[Table]:
        return [Table(self.file_name, self.fields, self.rows), *self.tables]


class _Slugs:
    """Slugs taken in the catalog (looked up for a whole batch at once) or earlier in it; a
    resource's storage name counts as taken too (a new resource is stored under its slug)."""

    def __init__(self, session: Session, model: type[Dataset] | type[Resource]) -> None:
        self.session, self.model = session, model
        self.columns = [Resource.slug, Resource.storage] if model is Resource else [Dataset.slug]
        self.known: set[str] = set()  # taken
        self.free: set[str] = set()  # looked up, not taken
        self.families: set[str] = set()  # bases whose numbered slugs (base_2...) are all known
        # SQLite compares text byte by byte (BINARY), so the slugs starting with "base_" are
        # one range of its indexes; PostgreSQL's order follows a collation: one query a slug
        bind = session.get_bind()
        self.by_range = bind.dialect.name == "sqlite"

    def prefetch(self, slugs: Iterable[str]) -> None:
        wanted = list(set(slugs) - self.known - self.free)
        for chunk in range(0, len(wanted), 500):
            part = wanted[chunk : chunk + 500]
            for column in self.columns:
                self.known.update(self.session.scalars(select(column).where(column.in_(part))))
            self.known.update(  # a former id is not free either: its links redirect
                self.session.scalars(
                    select(IdAlias.old).where(IdAlias.kind == self.kind, IdAlias.old.in_(part))
                )
            )
            self.free.update(set(part) - self.known)

    @property
    def kind(self) -> str:
        return "dataset" if self.model is Dataset else "resource"

    def taken(self, slug: str) -> bool:
        if slug in self.known:
            return True
        if slug in self.free:
            return False
        base, _, number = slug.rpartition("_")
        if self.by_range and number.isdigit() and base in self.known:
            # a clash numbered (unique_slug: base_2, base_3...): fetch the taken slugs of the
            # whole family once, instead of one query for each number tried
            if base not in self.families:
                self._fetch_family(base)
            return slug in self.known
        if self.model is Resource:
            return resource_id_taken(self.session, slug)
        return id_taken(self.session, "dataset", slug)

    def _fetch_family(self, base: str) -> None:
        """Every taken slug that starts with ``base_`` (SQLite: one index range a column)."""
        low, high = f"{base}_", f"{base}`"  # "`" follows "_" in ASCII
        for column in self.columns:
            self.known.update(
                self.session.scalars(select(column).where(column >= low, column < high))
            )
        self.known.update(
            self.session.scalars(
                select(IdAlias.old).where(
                    IdAlias.kind == self.kind, IdAlias.old >= low, IdAlias.old < high
                )
            )
        )
        self.families.add(base)

    def pick(self, candidates: list[str], fallback: str) -> str:
        slug = unique_slug(candidates, fallback, self.taken)
        self.known.add(slug)
        self.free.discard(slug)
        return slug


def _stem(file_name: str) -> str:
    return file_name.rsplit(".", 1)[0]


def _organizations(session: Session, codes: set[str]) -> dict[str, Organization]:
    found = {
        o.code: o for o in session.scalars(select(Organization).where(Organization.code.in_(codes)))
    }
    for code in codes - set(found):
        found[code] = find_organization(session, code)  # names the missing code, or finds it
    return found


def _serials(session: Session, org_ids: list[int]) -> dict[int, int]:
    rows = session.execute(
        select(Dataset.organization_id, func.max(Dataset.serial))
        .where(Dataset.organization_id.in_(org_ids))
        .group_by(Dataset.organization_id)
    )
    return {org_id: int(serial or 0) for org_id, serial in rows}


def _tag_ids(session: Session, words: set[str]) -> dict[str, int]:
    ids = dict(session.execute(select(Tag.name, Tag.id).where(Tag.name.in_(words))).all())
    new = sorted(words - set(ids))
    if new:
        stmt = insert(Tag).returning(Tag.name, Tag.id, sort_by_parameter_order=True)
        ids.update(session.execute(stmt, [{"name": w} for w in new]).all())
    return ids


def _column_values(dataset: Dataset) -> dict[str, Any]:
    """Every column of a transient dataset, unset ones at their column default."""
    out = {}
    for column in Dataset.__table__.columns:
        if column.key == "id":
            continue
        value = getattr(dataset, column.key)
        default = column.default
        if value is None and default is not None and hasattr(default, "arg"):
            value = default.arg(None) if callable(default.arg) else default.arg
        out[column.key] = value
    return out


def _dataset_row(
    session: Session, entry: Entry, org: Organization, serial: int, slug: str
) -> dict[str, Any]:
    """The dataset's column values, with the metadata applied as a publish applies it."""
    meta = entry.metadata
    identifier = dataset_identifier(org.code, serial)
    dataset = Dataset(
        slug=slug,
        identifier=identifier,
        organization_id=org.id,
        serial=serial,
        title=meta.title,
        license_id="OGDL-Taiwan-1.0",
        extras={},
    )
    merge_metadata(session, dataset, replace(meta, keywords=[]))  # no keywords: no lookup
    modified = entry.modified or utcnow()
    row = _column_values(dataset)
    row.update(
        search_texts(
            title=meta.title,
            title_en=row["extras"].get("title_en", ""),
            identifier=identifier,
            keywords=dict.fromkeys(meta.keywords),
            fields=[f for table in entry.all_tables for f in table.fields],
            organization=org.name,
            organization_en=org.name_en,
            description=row["description"],
        ),
        created=modified,
        modified=modified,
        downloads=0,
    )
    return row


def register_entries(session: Session, entries: list[Entry]) -> list[int]:
    """Register ``entries`` as new datasets inside ``session``'s transaction; their ids."""
    if not entries:
        return []
    orgs = _organizations(session, {e.org.strip().upper() for e in entries})
    serials = _serials(session, [o.id for o in orgs.values()])
    tags = _tag_ids(session, {w for e in entries for w in e.metadata.keywords})
    dataset_slugs, resource_slugs = _Slugs(session, Dataset), _Slugs(session, Resource)
    titles = [slugify(e.metadata.title) for e in entries]
    readable = [readable_ids(e.metadata.title, e.metadata.title_en) for e in entries]
    dataset_slugs.prefetch([slugify(c) for candidates in readable for c in candidates])
    resource_slugs.prefetch(
        [*titles, *(slugify(_stem(t.file_name)) for e in entries for t in e.all_tables)]
    )
    rows: list[dict[str, Any]] = []
    owners: list[Organization] = []
    for entry, candidates in zip(entries, readable, strict=True):
        org = orgs[entry.org.strip().upper()]
        serials[org.id] = serials.get(org.id, 0) + 1
        # an id people can read, as a publish makes it: never the file's name
        slug = dataset_slugs.pick(candidates, f"d_{org.code.lower()}")
        rows.append(_dataset_row(session, entry, org, serials[org.id], slug))
        owners.append(org)
    stmt = insert(Dataset).returning(Dataset.id, sort_by_parameter_order=True)
    ids = list(session.scalars(stmt, rows))
    resources: list[dict[str, Any]] = []
    keywords: list[dict[str, int]] = []
    for entry, dataset_id, row, org in zip(entries, ids, rows, owners, strict=True):
        for serial, table in enumerate(entry.all_tables, start=1):
            stem = _stem(table.file_name)
            resources.append(
                {
                    "slug": resource_slugs.pick([stem, entry.metadata.title],
                                                f"t_{org.code.lower()}"),
                    "identifier": resource_identifier(row["identifier"], serial),
                    "dataset_id": dataset_id,
                    "serial": serial,
                    "name": stem,
                    "current_version": 1,
                    "fields": table.fields,
                    "created": row["modified"],
                    "modified": row["modified"],
                }
            )  # fmt: skip
        keywords.extend(
            {"dataset_id": dataset_id, "tag_id": tags[w]}
            for w in dict.fromkeys(entry.metadata.keywords)
        )
    for resource in resources:
        resource["storage"] = resource["slug"]
    stmt = insert(Resource).returning(Resource.id, sort_by_parameter_order=True)
    resource_ids = list(session.scalars(stmt, resources))
    versions = []
    tables = [(entry, t) for entry in entries for t in entry.all_tables]
    for resource_id, resource, (entry, table) in zip(resource_ids, resources, tables, strict=True):
        key = f"{resource['identifier']}/{entry.metadata.title}/{table.file_name}".encode()
        digest = "sha256:" + hashlib.sha256(key).hexdigest()
        versions.append(
            {
                "resource_id": resource_id,
                "number": 1,
                "rows": table.rows,
                "created": resource["modified"],
                "publisher": entry.publisher,
                "source_file": table.file_name,
                "source_hash": digest,
                "content_hash": digest,
                "legal_basis": "",
                "summary": {},
            }
        )
    session.execute(insert(Version), versions)
    if keywords:
        session.execute(insert(dataset_tags), keywords)
    return ids
