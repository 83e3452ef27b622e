"""``publish_relation``: publish rows an importer already holds as a DuckDB relation.

The guarantees of :func:`kaifang.publish.publish_file` hold: everything is validated before
anything is written (organization, metadata, fields against the relation's columns); the
version is stored by the commit step (:mod:`kaifang.publish.commit`) under the resource's
storage lock with a number past every number the catalog or the store knows; one catalog
transaction registers it, makes it current and records the dataset's openness score; a crash
(even ``kill -9``) before that commit leaves the previous version current.

With ``partition_by`` (e.g. a ``Date`` column), each partition value gets a fingerprint
(row count and an order-independent sum of row hashes) kept in the version's summary. A
publish then writes only the partitions that are new or whose rows changed, and *reuses* the
current version's files of every other partition (no copying). Publishing rows whose
partitions all have their current fingerprints changes nothing (``unchanged``).

:func:`publish_partitions` is the catalog side shared with
:func:`kaifang.publish.adopted.publish_files`, which publishes files Spark already wrote.
:func:`publish_batch` publishes several resources all or none (an importer's tables): every
version is written to the store, then one catalog transaction registers them all.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from sqlalchemy import select
from sqlalchemy.orm import Session

from kaifang.catalog.db import Catalog, open_catalog
from kaifang.catalog.metadata import DatasetMetadata
from kaifang.catalog.models import Dataset, Organization, Resource, utcnow
from kaifang.catalog.registry import NewVersion, Target, new_resource_slug, plan_target
from kaifang.errors import ConflictError, KaifangError, ReadError, ValidationError
from kaifang.publish.commit import (
    commit_version,
    current_fields,
    next_number,
    register_and_score,
    registered_numbers,
    score_registered,
)
from kaifang.publish.pipeline import BATCH_ROWS
from kaifang.publish.result import PublishResult, result_for
from kaifang.settings import Settings
from kaifang.sqlutil import quote_ident, quote_literal
from kaifang.storage import FileEntry, StoredVersion, VersionStore
from kaifang.storage.columns import schema_difference


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
    dataset_id: str | None = None
    """The id a new dataset gets when it is free (else with a short suffix), e.g.
    ``cec_2020_president``; an existing dataset, found by organization and title, keeps its."""
    former_names: Sequence[str] = ()
    """Names the resource had under earlier importers (``cec_2020_1a2b3c_elctks``): a
    catalog that has one keeps adding versions to it instead of making a second resource."""


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


def _plan(catalog: Catalog, spec: RelationSpec) -> Target:
    """Where ``spec``'s rows go: its dataset (found by organization and title) and resource
    (found by its name or a former one), either of which may be new."""
    dataset = _find_dataset(catalog, spec.org, spec.title)
    with catalog.read() as session:
        for name in (spec.resource, *spec.former_names):
            target = plan_target(
                session,
                org=spec.org,
                dataset=dataset,
                resource=name,
                file=Path(name),
                title=spec.title,
                source_hash="",
            )
            if not target.new_resource:
                return target
        target.resource_name = spec.resource
        if spec.dataset_id:
            target.id_candidates = [spec.dataset_id]
        return target


def _current(catalog: Catalog, storage: str) -> tuple[int | None, dict[str, str]]:
    with catalog.read() as session:
        resource = session.scalar(select(Resource).where(Resource.storage == storage))
        version = resource.current if resource is not None else None
        if version is None:
            return None, {}
        return version.number, dict(version.summary.get("partitions", {}))


WriteVersion = Callable[
    [VersionStore, str, int, dict[str, Any], list[FileEntry], list[str]], StoredVersion
]
"""Stores version ``number`` of the resource stored as ``storage``: ``(store, storage,
number, manifest, reuse, changed partitions)``; called under the resource's storage lock."""


def publish_relation(
    settings: Settings, relation: duckdb.DuckDBPyRelation, spec: RelationSpec
) -> RelationPublishResult:
    """Publish ``relation`` as the next version of ``spec.resource`` (creating the dataset and
    resource on first use); see the module docstring for partitions and reuse."""
    item = relation_item(relation, spec)
    return publish_partitions(settings, spec, item.prints, item.write, source_format="relation")


@dataclass
class BatchItem:
    """One resource of :func:`publish_batch`: its spec, fingerprints and writer."""

    spec: RelationSpec
    prints: Mapping[str, str]
    write: WriteVersion
    source_format: str


def relation_item(relation: duckdb.DuckDBPyRelation, spec: RelationSpec) -> BatchItem:
    """Check ``relation`` against ``spec`` and fingerprint it, ready to publish."""
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

    return BatchItem(spec, prints, write, "relation")


def publish_batch(settings: Settings, items: Sequence[BatchItem]) -> list[RelationPublishResult]:
    """Publish every item's next version, all or none.

    Each version is written to the store first (under the locks of every resource, taken in
    order and held to the end); then ONE catalog transaction registers them all and makes
    them current. A failure before that commit (a write, a conflict, the catalog) leaves
    every resource at its previous version: versions already in the store stay unregistered,
    like those of a crashed publish, and the next publish numbers past them."""
    store = VersionStore(settings)
    with open_catalog(settings) as catalog:
        planned: list[tuple[BatchItem, Target, str]] = []
        for item in items:
            spec = item.spec
            target = _plan(catalog, spec)
            with catalog.read() as session:
                reserved = {s for _, _, s in planned}
                slug = target.storage or new_resource_slug(session, target, spec.title, reserved)
            if slug in {s for _, _, s in planned}:
                raise ConflictError(
                    f"two tables of one import would both be resource {slug!r}",
                    hint="Give every table its own resource name.",
                )
            planned.append((item, target, slug))
        with ExitStack() as locks:
            for slug in sorted(s for _, _, s in planned):
                locks.enter_context(store.lock(slug))
            staged: list[_Staged] = []
            for place, (item, target, slug) in enumerate(planned, start=1):
                if target.storage is None and registered_numbers(catalog, slug):
                    raise ConflictError(
                        f"resource {slug!r} was created by another publish meanwhile",
                        hint="Import again.",
                    )
                with _naming_the_table(target.resource or slug, place, len(planned)):
                    staged.append(
                        _write(
                            catalog, store, target, slug, item.spec, dict(item.prints),
                            next_number(catalog, store, slug), item.write, item.source_format,
                        )
                    )  # fmt: skip
            with catalog.write() as session:
                created: dict[tuple[str, str], str] = {}
                last_of: dict[str, Resource] = {}  # each dataset's last registered resource
                for one in staged:
                    if one.version is None:
                        continue
                    key = (one.spec.org, one.spec.title)
                    if one.target.dataset is None and key in created:
                        one.target.dataset = created[key]  # made by an earlier item
                    registered = _register(session, store, one)
                    session.flush()
                    created.setdefault(key, registered.dataset.slug)
                    last_of[registered.dataset.slug] = registered
                for resource in last_of.values():  # one score record per dataset
                    score_registered(session, store, resource)
        return [_result(catalog, one) for one in staged]


@contextmanager
def _naming_the_table(slug: str, place: int, total: int) -> Iterator[None]:
    """A failure while a batch writes ``slug`` says which table failed and that none was
    published (its input may have changed or broken after it was read and screened)."""
    prefix = f"{slug} (table {place} of {total}) could not be written, so no table was published"
    try:
        yield
    except KaifangError as error:
        error.message = f"{prefix}: {error.message}"
        error.args = (error.message,)
        error.details["failed_table"] = slug
        raise
    except (duckdb.Error, OSError, pa.ArrowException) as error:
        failed = ReadError(
            f"{prefix}: {error}",
            hint="Check that table's source files (did they change during the import?) and "
            "import again; every table stays at its previous version.",
        )
        failed.details["failed_table"] = slug
        raise failed from error


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
        target = _plan(catalog, spec)
        staged: list[_Staged] = []

        def step(slug: str, number: int) -> NewVersion | None:
            staged.append(
                _write(catalog, store, target, slug, spec, dict(prints), number, write,
                       source_format)
            )  # fmt: skip
            return staged[-1].version

        commit_version(
            catalog,
            store,
            target,
            step,
            title=spec.title,
            metadata=spec.metadata,
            file=Path(spec.resource),
        )
        return _result(catalog, staged[-1])


@dataclass
class _Staged:
    """A version written to the store but not yet registered (``version`` None: unchanged)."""

    target: Target
    slug: str
    spec: RelationSpec
    version: NewVersion | None
    changed: list[str]
    kept: list[str]


def _write(
    catalog: Catalog,
    store: VersionStore,
    target: Target,
    slug: str,
    spec: RelationSpec,
    prints: dict[str, str],
    number: int,
    write: WriteVersion,
    source_format: str,
) -> _Staged:
    """Store version ``number`` of ``slug`` (visible in the store, not yet in the catalog)."""
    current, old_prints = _current(catalog, slug)
    changed = sorted(p for p, fp in prints.items() if old_prints.get(p) != fp)
    if current is not None and not changed:
        return _Staged(target, slug, spec, None, [], sorted(old_prints))
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
    # An importer owns its source's schema, so a change is not refused, only recorded.
    before = current_fields(catalog, slug)[1] if current is not None else spec.fields
    summary = {
        "screening": dict(spec.screening),
        "clustered_by": list(order),
        "partitions": all_prints,
        "partitions_written": changed,
        "schema_change": schema_difference(before, spec.fields),
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
    return _Staged(target, slug, spec, version, changed, sorted(kept))


def _register(session: Session, store: VersionStore, staged: _Staged) -> Resource:
    """Register ``staged.version`` in ``session`` and make it current (the caller scores)."""
    assert staged.version is not None
    return register_and_score(
        session,
        store,
        staged.target,
        staged.version,
        resource_slug=staged.slug,
        title=staged.spec.title,
        metadata=staged.spec.metadata,
        file=Path(staged.spec.resource),
        score=False,
    )


def _result(catalog: Catalog, staged: _Staged) -> RelationPublishResult:
    if staged.version is None:
        base = result_for(catalog, staged.slug, unchanged=True)
        return RelationPublishResult(**base.to_dict(), partitions_reused=staged.kept)
    target = staged.target
    base = result_for(
        catalog,
        staged.slug,
        created_dataset=target.new_dataset,
        created_resource=target.new_resource,
    )
    return RelationPublishResult(
        **base.to_dict(), partitions_written=staged.changed, partitions_reused=staged.kept
    )
