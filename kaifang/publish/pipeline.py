"""``publish_file``: read -> screen -> cluster -> store -> register, all or nothing.

Everything that can be checked is checked before anything is written: the organization, the
dataset and resource, the metadata and license, the policy file, and the file itself (read in
full by ``open_table``). Then, under the storage lock of the resource, the next version number
is taken past every number the catalog or the store knows (a version stored by a publish that
died before registering it is skipped, never overwritten), the rows are streamed to Parquet in
the store's staging area — in the file's own order when it already follows the time column,
sorted otherwise — the screening gate checks the written rows before they become visible (a
refusal discards them), and one catalog transaction registers the version, makes it current and
records the dataset's openness score for it (in that same transaction, so that every registered
version has its score record; scoring is a pure function of the catalog rows plus one manifest
check per resource, so the write lock is held a few milliseconds longer). A crash before that
commit leaves the previous version current.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.dataset as pads
import pyarrow.fs as pafs
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
from kaifang.publish.ordering import OutOfOrder, in_order
from kaifang.publish.prefetch import prefetched
from kaifang.publish.result import Progress, PublishResult
from kaifang.publish.sampling import StreamSample
from kaifang.publish.screening import (
    ScreeningPlan,
    finish_screening,
    load_policy,
    prepare_screening,
)
from kaifang.reading import Table, open_table
from kaifang.reading.limits import ReadLimits
from kaifang.scoring import record_registered_version
from kaifang.settings import Settings
from kaifang.storage import StoredVersion, VersionStore, parquet_scan_sql

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
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kaifang-hash") as hashing:
        # The source hash reads the file once more; it runs while the reader analyses it.
        source_hash_future = hashing.submit(file_sha256, path)
        limits = ReadLimits.from_settings(settings)
        with open_table(path, limits=limits) as table, open_catalog(settings) as catalog:
            _check_fields(meta, table)
            source_hash = source_hash_future.result()
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
                    hint="Pass --title TITLE (or title: in --metadata), or --dataset ID to add "
                    "a version to an existing dataset.",
                    key="title",
                )
            if target.resource is not None and target.current_source_hash == source_hash:
                return result_for(catalog, target.resource, unchanged=True)
            workdir = Path(tempfile.mkdtemp(prefix="kaifang-publish-"))
            con = duckdb.connect(
                config={"memory_limit": PUBLISH_MEMORY_LIMIT, "temp_directory": str(workdir)}
            )
            try:
                rows, plan = prepare_screening(
                    table.relation(con),
                    policy_map,
                    settings,
                    legal_basis,
                    name=path.name,
                    rows=table.rows,
                )
                return _store_and_register(
                    catalog,
                    VersionStore(settings),
                    target,
                    table=table,
                    rows=rows,
                    screening=ScreeningGate(plan, settings, con),
                    meta=meta,
                    title=title,
                    source_hash=source_hash,
                    legal_basis=legal_basis,
                    publisher=publisher or "",
                    progress=progress,
                )
            finally:
                con.close()
                shutil.rmtree(workdir, ignore_errors=True)


class ScreeningGate:
    """The second half of the screening step, run on a version's written files before they
    become visible (``VersionStore.write_version``'s ``before_commit``): what is screened is
    exactly what would be published. A refusal discards the files."""

    def __init__(self, plan: ScreeningPlan, settings: Settings, con: duckdb.DuckDBPyConnection):
        self.plan, self.settings, self.con = plan, settings, con
        self.summary: dict[str, Any] = {}
        self.sample: StreamSample | None = None  # drawn while the files were written

    def __call__(self, staged: pads.Dataset) -> dict[str, Any]:
        if isinstance(staged.filesystem, pafs.LocalFileSystem):
            written = self.con.sql(f"SELECT * FROM {parquet_scan_sql(staged.files)}")
        else:
            written = self.con.from_arrow(staged)
        rows = staged.count_rows()
        sample = self.sample.table() if self.sample is not None else None
        self.summary = finish_screening(self.plan, written, self.settings, rows=rows, sample=sample)
        return {"screening": self.summary}


def _write_clustered(
    store: VersionStore,
    slug: str,
    number: int,
    rows: duckdb.DuckDBPyRelation,
    order: list[str],
    *,
    expected_rows: int,
    manifest: dict[str, Any],
    gate: ScreeningGate,
    progress: Callable[[pa.RecordBatchReader], pa.RecordBatchReader],
) -> tuple[StoredVersion, list[str]]:
    """Write the version clustered by ``order``: in the file's own order when it already
    follows the first clustering column (no sort, see :mod:`kaifang.publish.ordering`),
    sorted otherwise. Returns the stored version and the order it is clustered by."""

    def write(reader: pa.RecordBatchReader, clustered_by: list[str]) -> StoredVersion:
        gate.sample = StreamSample(expected_rows)
        return store.write_version(
            slug,
            number,
            progress(prefetched(gate.sample.tap(reader))),
            {**manifest, "clustered_by": clustered_by},
            before_commit=gate,
        )

    if order:
        in_file_order = rows.to_arrow_reader(BATCH_ROWS)
        try:
            return write(in_order(in_file_order, order[0]), order[:1]), order[:1]
        except OutOfOrder:
            pass  # nothing was committed; write the sorted rows instead
        finally:
            in_file_order.close()  # frees the connection for the sorted query
    return write(clustered(rows, order).to_arrow_reader(BATCH_ROWS), order), order


def _store_and_register(
    catalog: Catalog,
    store: VersionStore,
    target: Target,
    *,
    table: Table,
    rows: duckdb.DuckDBPyRelation,
    screening: ScreeningGate,
    meta: DatasetMetadata | None,
    title: str,
    source_hash: str,
    legal_basis: str | None,
    publisher: str,
    progress: Progress | None,
) -> PublishResult:
    published = published_fields(table.fields, rows)
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
                screening={},  # both filled in by _write_clustered: the gate's summary
                legal_basis=legal_basis,
                clustered_by=[],  # and the order the rows were written in
            )
            stored, clustered_by = _write_clustered(
                store,
                slug,
                number,
                rows,
                cluster_columns(published),
                expected_rows=table.rows,
                manifest=manifest,
                gate=screening,
                progress=(lambda reader: _with_progress(reader, table.rows, progress)),
            )
            version = NewVersion(
                number=number,
                rows=stored.rows,
                publisher=publisher,
                source_file=table.file.name,
                source_hash=source_hash,
                content_hash=stored.content_hash,
                fields=fields,
                legal_basis=legal_basis or "",
                summary=version_summary(
                    table, screening=screening.summary, clustered_by=clustered_by
                ),
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
