"""``publish_file``: read -> screen -> cluster -> store -> register, all or nothing.

Everything that can be checked is checked before anything is written: the organization, the
dataset and resource, the metadata and license, the policy file, and the file itself (read in
full by ``open_table``). Then, under the storage lock of the resource, the next version number
is taken past every number the catalog or the store knows (a version stored by a publish that
died before registering it is skipped, never overwritten), the rows are streamed to Parquet,
and one catalog transaction registers the version, makes it current and records the
dataset's openness score for it (in that same transaction, so that every registered version
has its score record; scoring is a pure function of the catalog rows plus one manifest check
per resource, so the write lock is held a few milliseconds longer). A crash before that
commit leaves the previous version current.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from sqlalchemy import select

from kaifang.catalog.db import Catalog, open_catalog
from kaifang.catalog.licenses import license_info
from kaifang.catalog.metadata import DatasetMetadata, load_metadata, validate_metadata
from kaifang.catalog.models import Resource
from kaifang.catalog.registry import (
    NewVersion,
    Target,
    new_resource_slug,
    plan_target,
    register_version,
)
from kaifang.errors import ValidationError
from kaifang.publish.clustering import cluster_columns, clustered
from kaifang.publish.manifest import (
    build_manifest,
    described_fields,
    file_sha256,
    published_fields,
    version_summary,
)
from kaifang.publish.prefetch import prefetched
from kaifang.publish.result import Progress, PublishResult
from kaifang.publish.screening import load_policy, screen_step
from kaifang.reading import Field, Table, open_table
from kaifang.scoring import record_registered_version
from kaifang.settings import Settings
from kaifang.storage import VersionStore

BATCH_ROWS = 122_880
PUBLISH_MEMORY_LIMIT = "512MB"  # DuckDB spills the sort beyond this; keeps 10M rows < 1 GB
MetadataInput = str | Path | Mapping[str, Any] | DatasetMetadata | None


def _metadata(metadata: MetadataInput, license: str | None) -> DatasetMetadata | None:
    if metadata is None:
        meta = None
    elif isinstance(metadata, DatasetMetadata):
        meta = metadata
    elif isinstance(metadata, Mapping):
        meta = validate_metadata(metadata)
    else:
        meta = load_metadata(metadata)
    if license is not None:
        meta = meta or DatasetMetadata()
        meta.license = license_info(license).id
        if meta.license == "other" and not meta.license_url:
            raise ValidationError(
                "license: 'other' needs the license's URL",
                hint="Set license_url: in the --metadata file.",
                key="license_url",
            )
    return meta


def _check_fields(meta: DatasetMetadata | None, table: Table) -> None:
    if meta is None or not meta.fields:
        return
    columns = [f.name for f in table.fields]
    unknown = [name for name in meta.fields if name not in columns]
    if unknown:
        raise ValidationError(
            f"fields: {', '.join(repr(u) for u in unknown)} not in {table.file.name}",
            hint=f"Describe the file's columns: {', '.join(columns)}.",
            key="fields",
        )


def _with_progress(
    reader: pa.RecordBatchReader, total: int, progress: Progress | None
) -> pa.RecordBatchReader:
    if progress is None:
        return reader

    def batches() -> Iterator[pa.RecordBatch]:
        done = 0
        for batch in reader:
            done += batch.num_rows
            progress(done, total)
            yield batch

    return pa.RecordBatchReader.from_batches(reader.schema, batches())


def result_for(catalog: Catalog, resource_slug: str, **extra: Any) -> PublishResult:
    with catalog.read() as session:
        resource = session.scalar(select(Resource).where(Resource.slug == resource_slug))
        assert resource is not None  # registered in this publish or found by plan_target
        current = next(v for v in resource.versions if v.number == resource.current_version)
        return PublishResult(
            dataset=resource.dataset.slug,
            dataset_identifier=resource.dataset.identifier,
            resource=resource.slug,
            resource_identifier=resource.identifier,
            version=current.number,
            rows=current.rows,
            source_file=current.source_file,
            source_hash=current.source_hash,
            content_hash=current.content_hash,
            legal_basis=current.legal_basis or None,
            rollback_of=current.rollback_of,
            screening=current.summary.get("screening", {}),
            clustered_by=current.summary.get("clustered_by", []),
            **extra,
        )


def registered_numbers(catalog: Catalog, resource_slug: str) -> list[int]:
    with catalog.read() as session:
        resource = session.scalar(select(Resource).where(Resource.slug == resource_slug))
        return [v.number for v in resource.versions] if resource is not None else []


def publish_file(
    settings: Settings,
    file: str | Path,
    *,
    org: str,
    title: str | None = None,
    dataset: str | None = None,
    resource: str | None = None,
    metadata: MetadataInput = None,
    license: str | None = None,
    policy: str | Path | None = None,
    allow_personal_data: str | None = None,
    publisher: str | None = None,
    progress: Progress | None = None,
) -> PublishResult:
    """Publish ``file`` as a new dataset, or (with ``dataset``) as a new version of one of its
    resources. Publishing the file that is already current changes nothing (``unchanged``)."""
    path = Path(file)
    meta = _metadata(metadata, license)
    policy_map = load_policy(policy)
    title = (title or (meta.title if meta else "") or "").strip()
    legal_basis = (allow_personal_data or "").strip() or None
    with open_table(path) as table, open_catalog(settings) as catalog:
        _check_fields(meta, table)
        source_hash = file_sha256(path)
        with catalog.read() as session:
            target = plan_target(
                session,
                org=org,
                dataset=dataset,
                resource=resource,
                file=path,
                title=title,
                source_hash=source_hash,
            )
        if target.new_dataset and not title:
            raise ValidationError(
                "title: a new dataset needs a title",
                hint="Pass --title TITLE (or title: in --metadata), or --dataset ID to add a "
                "version to an existing dataset.",
                key="title",
            )
        if target.resource is not None and target.current_source_hash == source_hash:
            return result_for(catalog, target.resource, unchanged=True)
        workdir = Path(tempfile.mkdtemp(prefix="kaifang-publish-"))
        con = duckdb.connect(
            config={"memory_limit": PUBLISH_MEMORY_LIMIT, "temp_directory": str(workdir)}
        )
        try:
            rows, screening = screen_step(
                table.relation(con),
                policy_map,
                settings,
                legal_basis,
                name=path.name,
                rows=table.rows,
            )
            fields = published_fields(table.fields, rows)
            order = cluster_columns(fields)
            rows = clustered(rows, order)
            return _store_and_register(
                catalog,
                VersionStore(settings),
                target,
                table=table,
                rows=rows,
                meta=meta,
                title=title,
                source_hash=source_hash,
                screening=screening,
                clustered_by=order,
                legal_basis=legal_basis,
                publisher=publisher or "",
                progress=progress,
                published=fields,
            )
        finally:
            con.close()
            shutil.rmtree(workdir, ignore_errors=True)


def _store_and_register(
    catalog: Catalog,
    store: VersionStore,
    target: Target,
    *,
    table: Table,
    rows: duckdb.DuckDBPyRelation,
    meta: DatasetMetadata | None,
    title: str,
    source_hash: str,
    screening: dict[str, Any],
    clustered_by: list[str],
    legal_basis: str | None,
    publisher: str,
    progress: Progress | None,
    published: list[Field],
) -> PublishResult:
    descriptions = {**target.field_descriptions, **(meta.fields if meta else {})}
    fields = described_fields(published, descriptions)
    while True:
        if target.resource is not None:
            slug = target.resource
        else:
            with catalog.read() as session:
                slug = new_resource_slug(session, target, title)
        with store.lock(slug):
            known = registered_numbers(catalog, slug)
            if target.resource is None and known:
                continue  # another publish registered this slug meanwhile: pick another
            number = max([*known, *store.list_versions(slug)], default=0) + 1
            manifest = build_manifest(
                table,
                resource=slug,
                fields=fields,
                source_hash=source_hash,
                publisher=publisher,
                screening=screening,
                legal_basis=legal_basis,
                clustered_by=clustered_by,
            )
            reader = _with_progress(
                prefetched(rows.to_arrow_reader(BATCH_ROWS)), table.rows, progress
            )
            stored = store.write_version(slug, number, reader, manifest)
            version = NewVersion(
                number=number,
                rows=stored.rows,
                publisher=publisher,
                source_file=table.file.name,
                source_hash=source_hash,
                content_hash=stored.content_hash,
                fields=fields,
                legal_basis=legal_basis or "",
                summary=version_summary(table, screening=screening, clustered_by=clustered_by),
            )
            with catalog.write() as session:
                _, registered = register_version(
                    session,
                    target,
                    version,
                    resource_slug=slug,
                    title=title,
                    metadata=meta,
                    file=table.file,
                )
                record_registered_version(session, store, registered, now=datetime.now(UTC))
            return result_for(
                catalog,
                slug,
                created_dataset=target.new_dataset,
                created_resource=target.new_resource,
            )
