"""``publish_relation``: publish rows an importer already holds as a DuckDB relation.

The guarantees of :func:`kaifang.publish.publish_file` hold: everything is validated before
anything is written (organization, metadata, fields against the relation's columns); the
version is stored under the resource's storage lock with a number past every number the
catalog or the store knows; one catalog transaction registers it and makes it current; a crash
(even ``kill -9``) before that commit leaves the previous version current.

With ``partition_by`` (e.g. a ``Date`` column), each partition value gets a fingerprint
(row count and an order-independent sum of row hashes) kept in the version's summary. A
publish then writes only the partitions that are new or whose rows changed, and *reuses* the
current version's files of every other partition (no copying). Publishing rows whose
partitions all have their current fingerprints changes nothing (``unchanged``).

:func:`publish_partitions` is the catalog side shared with
:func:`kaifang.publish.adopted.publish_files`, which publishes files Spark already wrote.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
from sqlalchemy import select

from kaifang.catalog.db import Catalog, open_catalog
from kaifang.catalog.metadata import DatasetMetadata
from kaifang.catalog.models import Dataset, Organization, Resource, utcnow
from kaifang.catalog.registry import NewVersion, Target, new_resource_slug, plan_target
from kaifang.catalog.registry import register_version as register
from kaifang.errors import ValidationError
from kaifang.publish.pipeline import BATCH_ROWS, registered_numbers, result_for
from kaifang.publish.result import PublishResult
from kaifang.settings import Settings
from kaifang.sqlutil import quote_ident, quote_literal
from kaifang.storage import FileEntry, StoredVersion, VersionStore


@dataclass
class RelationPublishResult(PublishResult):
    """A :class:`PublishResult` plus which partitions were written and which reused."""

    partitions_written: list[str] = field(default_factory=list)
    partitions_reused: list[str] = field(default_factory=list)


@dataclass
class RelationSpec:
    """Where and how rows are published: the catalog entries and the version's shape."""

    org: str
    title: str
    resource: str
    fields: list[dict[str, Any]]
    metadata: DatasetMetadata | None = None
    partition_by: str | None = None
    order_by: Sequence[str] = ()
    publisher: str = ""
    legal_basis: str | None = None
    source_file: str = ""
    screening: Mapping[str, Any] = field(default_factory=dict)
    extra_manifest: Mapping[str, Any] = field(default_factory=dict)


def check_fields(spec: RelationSpec, columns: list[str]) -> None:
    names = [str(f.get("name")) for f in spec.fields]
    if names != columns:
        raise ValidationError(
            f"resource {spec.resource!r}: fields {names} do not match the rows' columns {columns}",
            hint="Describe every column, in the rows' order.",
            key="fields",
        )
    if spec.partition_by is not None and spec.partition_by not in names:
        raise ValidationError(
            f"cannot partition by {spec.partition_by!r}: no such column",
            hint=f"Choose one of {', '.join(names)}.",
            key="partition_by",
        )
    if not spec.title.strip():
        raise ValidationError("title: a dataset needs a title", key="title")


def fingerprints(relation: duckdb.DuckDBPyRelation, partition_by: str | None) -> dict[str, str]:
    """``{partition value: "rows:hashsum"}`` (one entry ``"*"`` when not partitioned)."""
    columns = ", ".join(quote_ident(c) for c in relation.columns)
    key = f"CAST({quote_ident(partition_by)} AS VARCHAR)" if partition_by else "'*'"
    grouped = relation.query(
        "fingerprint_rows",
        f"SELECT {key}, count(*), CAST(sum(hash({columns})) AS VARCHAR) "
        f"FROM fingerprint_rows GROUP BY ALL",
    )
    rows = grouped.fetchall() if grouped is not None else []
    return {str(k): f"{n}:{s}" for k, n, s in rows}


def _find_dataset(catalog: Catalog, org: str, title: str) -> str | None:
    with catalog.read() as session:
        found = session.scalar(
            select(Dataset.slug)
            .join(Organization, Dataset.organization_id == Organization.id)
            .where(Organization.code == org.strip().upper(), Dataset.title == title)
            .order_by(Dataset.id)
        )
        return str(found) if found is not None else None


def _current(catalog: Catalog, slug: str) -> tuple[int | None, dict[str, str]]:
    with catalog.read() as session:
        resource = session.scalar(select(Resource).where(Resource.slug == slug))
        version = resource.current if resource is not None else None
        if version is None:
            return None, {}
        return version.number, dict(version.summary.get("partitions", {}))


WriteVersion = Callable[
    [VersionStore, str, int, dict[str, Any], list[FileEntry], list[str]], StoredVersion
]
"""Stores version ``number`` of resource ``slug``: ``(store, slug, number, manifest, reuse,
changed partitions)``; called under the resource's storage lock."""


def publish_relation(
    settings: Settings, relation: duckdb.DuckDBPyRelation, spec: RelationSpec
) -> RelationPublishResult:
    """Publish ``relation`` as the next version of ``spec.resource`` (creating the dataset and
    resource on first use); see the module docstring for partitions and reuse."""
    check_fields(spec, list(relation.columns))
    prints = fingerprints(relation, spec.partition_by)

    def write(
        store: VersionStore,
        slug: str,
        number: int,
        manifest: dict[str, Any],
        reuse: list[FileEntry],
        changed: list[str],
    ) -> StoredVersion:
        rows = relation
        if spec.partition_by is not None:
            listed = ", ".join(quote_literal(p) for p in changed)
            key = f"CAST({quote_ident(spec.partition_by)} AS VARCHAR)"
            rows = relation.filter(f"{key} IN ({listed})")
        order = clustering(spec)
        if order:
            rows = rows.order(", ".join(quote_ident(c) for c in order))
        return store.write_version(
            slug,
            number,
            rows.to_arrow_reader(BATCH_ROWS),
            manifest,
            partition_by=spec.partition_by,
            reuse=reuse,
        )

    return publish_partitions(settings, spec, prints, write, source_format="relation")


def clustering(spec: RelationSpec) -> list[str]:
    """The columns a version's rows are sorted by: the partition column, then ``order_by``."""
    return [*([spec.partition_by] if spec.partition_by else []), *spec.order_by]


def publish_partitions(
    settings: Settings,
    spec: RelationSpec,
    prints: Mapping[str, str],
    write: WriteVersion,
    *,
    source_format: str,
) -> RelationPublishResult:
    """The catalog side of a publish whose rows have fingerprints ``prints``: find or create
    the dataset and resource, and under the resource's storage lock compare ``prints`` with
    the current version's, let ``write`` store the next version (changed partitions written,
    the others reused), and register it in one catalog transaction."""
    store = VersionStore(settings)
    with open_catalog(settings) as catalog:
        dataset = _find_dataset(catalog, spec.org, spec.title)
        with catalog.read() as session:
            target = plan_target(
                session,
                org=spec.org,
                dataset=dataset,
                resource=spec.resource,
                file=Path(spec.resource),
                title=spec.title,
                source_hash="",
            )
        while True:
            if target.resource is not None:
                slug = target.resource
            else:
                with catalog.read() as session:
                    slug = new_resource_slug(session, target, spec.title)
            with store.lock(slug):
                known = registered_numbers(catalog, slug)
                if target.resource is None and known:
                    continue  # another publish took this slug meanwhile
                return _write_and_register(
                    catalog, store, target, slug, spec, dict(prints), known, write, source_format
                )


def _write_and_register(
    catalog: Catalog,
    store: VersionStore,
    target: Target,
    slug: str,
    spec: RelationSpec,
    prints: dict[str, str],
    known: list[int],
    write: WriteVersion,
    source_format: str,
) -> RelationPublishResult:
    current, old_prints = _current(catalog, slug)
    changed = sorted(p for p, fp in prints.items() if old_prints.get(p) != fp)
    if current is not None and not changed:
        base = result_for(catalog, slug, unchanged=True)
        return RelationPublishResult(**base.to_dict(), partitions_reused=sorted(old_prints))
    reuse: list[FileEntry] = []
    kept: dict[str, str] = {}
    if spec.partition_by is not None:
        if current is not None:
            for entry in store.file_entries(slug, current):
                value = (entry.partition or {}).get(spec.partition_by)
                if value is not None and value not in changed:
                    reuse.append(entry)
            kept = {p: fp for p, fp in old_prints.items() if p not in changed}
    order = clustering(spec)
    all_prints = {**kept, **{p: prints[p] for p in changed}}
    source_hash = (
        "sha256:" + hashlib.sha256(json.dumps(all_prints, sort_keys=True).encode()).hexdigest()
    )
    number = max([*known, *store.list_versions(slug)], default=0) + 1
    summary = {
        "screening": dict(spec.screening),
        "clustered_by": list(order),
        "partitions": all_prints,
        "partitions_written": changed,
    }
    manifest = {
        "resource": slug,
        "schema": {"fields": spec.fields},
        "source": {"file": spec.source_file, "sha256": source_hash, "format": source_format},
        "created": utcnow().isoformat(),
        "publisher": spec.publisher,
        "legal_basis": spec.legal_basis,
        **summary,
        **spec.extra_manifest,
    }
    stored = write(store, slug, number, manifest, reuse, changed)
    version = NewVersion(
        number=number,
        rows=stored.rows,
        publisher=spec.publisher,
        source_file=spec.source_file,
        source_hash=source_hash,
        content_hash=stored.content_hash,
        fields=spec.fields,
        legal_basis=spec.legal_basis or "",
        summary=summary,
    )
    with catalog.write() as session:
        register(
            session,
            target,
            version,
            resource_slug=slug,
            title=spec.title,
            metadata=spec.metadata,
            file=Path(spec.resource),
        )
    base = result_for(
        catalog, slug, created_dataset=target.new_dataset, created_resource=target.new_resource
    )
    return RelationPublishResult(
        **base.to_dict(), partitions_written=changed, partitions_reused=sorted(kept)
    )
