"""``publish_file``: read -> screen -> cluster -> store -> register, all or nothing.

Everything that can be checked is checked before anything is written: the organization, the
dataset and resource, the metadata and license, the policy file, and the file itself (read in
full by ``open_table``). Then the commit step (:mod:`kaifang.publish.commit`) takes the storage
lock of the resource and the next version number, and this module streams the rows to Parquet
in the store's staging area — in the file's own order when it already follows the time column,
sorted otherwise — where the screening gate checks the written rows before they become visible
(a refusal discards them); the commit step then registers the version, makes it current and
records the dataset's openness score in one catalog transaction. A crash before that commit
leaves the previous version current.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.dataset as pads
import pyarrow.fs as pafs

from kaifang.catalog.db import Catalog, open_catalog
from kaifang.catalog.identifiers import check_id
from kaifang.catalog.licenses import license_info
from kaifang.catalog.metadata import DatasetMetadata, load_metadata, validate_metadata
from kaifang.catalog.registry import NewVersion, Target, plan_target
from kaifang.errors import ValidationError
from kaifang.privacy.legal_basis import LegalBasis
from kaifang.publish.checks import check_ragged, check_schema
from kaifang.publish.clustering import cluster_columns, clustered
from kaifang.publish.commit import commit_version, current_fields
from kaifang.publish.manifest import (
    build_manifest,
    described_fields,
    file_sha256,
    published_fields,
    version_summary,
)
from kaifang.publish.ordering import OutOfOrder, in_order
from kaifang.publish.prefetch import prefetched
from kaifang.publish.result import Progress, PublishResult, result_for
from kaifang.publish.sampling import StreamSample
from kaifang.publish.screening import (
    ScreeningPlan,
    finish_screening,
    load_policy,
    prepare_screening,
)
from kaifang.reading import Table, open_table
from kaifang.reading.limits import ReadLimits
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


def publish_file(
    settings: Settings,
    file: str | Path,
    *,
    org: str,
    title: str | None = None,
    dataset: str | None = None,
    resource: str | None = None,
    dataset_id: str | None = None,
    metadata: MetadataInput = None,
    license: str | None = None,
    policy: str | Path | None = None,
    allow_personal_data: LegalBasis | None = None,
    publisher: str | None = None,
    progress: Progress | None = None,
    allow_ragged: bool = False,
    allow_schema_change: bool = False,
) -> PublishResult:
    """Publish ``file`` as a new dataset, or (with ``dataset``) as a new version of one of its
    resources. Publishing the file that is already current changes nothing (``unchanged``).

    A new dataset's id is ``dataset_id`` when given (a free, valid id), else one made from
    its English title, else its title in pinyin (:func:`kaifang.catalog.registry.readable_ids`).

    A file with more than 1 % ragged rows (more or fewer cells than the header) is refused
    unless ``allow_ragged``; a new version whose columns differ from the current version's
    is refused unless ``allow_schema_change`` (see :mod:`kaifang.publish.checks`).

    ``allow_personal_data`` is a structured legal basis (:func:`kaifang.privacy.legal_basis.
    choose_basis`: a listed basis or a citation, with the exact columns it covers); the
    caller checked who may cite an unlisted law. Its law, article, note, columns and approver
    (``publisher`` unless the basis names one) are kept in the version's screening summary."""
    if allow_personal_data is not None and not isinstance(allow_personal_data, LegalBasis):
        raise ValidationError(
            f"legal basis {str(allow_personal_data)!r} is free text, not a law and article",
            hint="Choose a listed basis (kaifang privacy bases) or cite a law and article, "
            "with the columns it covers (kaifang.privacy.legal_basis.choose_basis).",
            key="legal_basis",
        )
    path = Path(file)
    if dataset_id is not None:
        dataset_id = check_id(dataset_id)  # before the file is read
    meta = _metadata(metadata, license)
    policy_map = load_policy(policy)
    title = (title or (meta.title if meta else "") or "").strip()
    legal_basis = allow_personal_data
    if legal_basis is not None and not legal_basis.approved_by:
        legal_basis = replace(legal_basis, approved_by=publisher or "")
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kaifang-hash") as hashing:
        # The source hash reads the file once more; it runs while the reader analyses it.
        source_hash_future = hashing.submit(file_sha256, path)
        limits = ReadLimits.from_settings(settings)
        with open_table(path, limits=limits) as table, open_catalog(settings) as catalog:
            _check_fields(meta, table)
            check_ragged(table, allow_ragged=allow_ragged)
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
                    new_id=dataset_id,
                )
            if target.new_dataset and not title:
                raise ValidationError(
                    "title: a new dataset needs a title",
                    hint="Pass --title TITLE (or title: in --metadata), or --dataset ID to add "
                    "a version to an existing dataset.",
                    key="title",
                )
            if target.storage is not None and target.current_source_hash == source_hash:
                return result_for(catalog, target.storage, unchanged=True)
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
                if not plan.in_file_order:
                    # The file's order is gone (the policy's count groups rows by class), so
                    # DuckDB need not keep the order it produces them in: the count's rows
                    # then stream out on every core instead of one.
                    con.execute("SET preserve_insertion_order = false")
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
                    allow_schema_change=allow_schema_change,
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
    legal_basis: LegalBasis | None,
    publisher: str,
    progress: Progress | None,
    allow_schema_change: bool,
) -> PublishResult:
    published = published_fields(table.fields, rows)
    descriptions = {**target.field_descriptions, **(meta.fields if meta else {})}
    fields = described_fields(published, descriptions)

    def write(slug: str, number: int) -> NewVersion:
        current, before = current_fields(catalog, slug)
        schema_change = (
            check_schema(
                target.resource or slug,
                current,
                before,
                fields,
                allow_schema_change=allow_schema_change,
            )
            if current
            else {}
        )
        manifest = build_manifest(
            table,
            resource=slug,
            fields=fields,
            source_hash=source_hash,
            publisher=publisher,
            screening={},  # both filled in by _write_clustered: the gate's summary
            legal_basis=legal_basis.label if legal_basis else None,
            clustered_by=[],  # and the order the rows were written in
            schema_change=schema_change,
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
        return NewVersion(
            number=number,
            rows=stored.rows,
            publisher=publisher,
            source_file=table.file.name,
            source_hash=source_hash,
            content_hash=stored.content_hash,
            fields=fields,
            legal_basis=legal_basis.label if legal_basis else "",
            summary=version_summary(
                table,
                screening=screening.summary,
                clustered_by=clustered_by,
                schema_change=schema_change,
            ),
        )

    committed = commit_version(
        catalog, store, target, write, title=title, metadata=meta, file=table.file
    )
    return result_for(
        catalog,
        committed.storage,
        created_dataset=target.new_dataset,
        created_resource=target.new_resource,
    )
