"""``import_freeway(settings, path)``: TDCS files → one versioned, date-partitioned resource per
dataset (M03A…M08A), plus the gantry coordinate table, registered under 交通部高速公路局.

Steps: discover the files (:mod:`.discover`), read each dataset with one ``read_csv``
(:mod:`.load`), protect trips (:mod:`.protect`), publish with
:func:`kaifang.publish.relation.publish_relation` partitioned by ``Date``: days already
published with the same rows are kept as they are, changed days are replaced and new days
appended in a new version that reuses the other days' files.

With ``engine="spark"`` the cluster parses M03A, M04A, M05A and M08A
(:func:`kaifang.sources.freeway.spark.write_dataset_spark`) and parses, protects and verifies
M06A trips (:func:`kaifang.sources.freeway.spark_trips.protect_trips_spark`), and writes each
version's files itself, partitioned by ``Date``, sorted like the DuckDB path's and
fingerprinted per day; :func:`kaifang.publish.adopted.files_item` has the store adopt the
files of new or changed days (no row is read on this machine) with the same catalog
guarantees. M07A (small hourly
averages) and the gantry table stay on DuckDB.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from kaifang.catalog.db import open_catalog
from kaifang.errors import PublishRefusedError, ReadError, ValidationError
from kaifang.publish.adopted import files_item
from kaifang.publish.relation import (
    BatchItem,
    RelationPublishResult,
    RelationSpec,
    publish_batch,
    relation_item,
)
from kaifang.settings import Settings
from kaifang.sources.common.atomic import failing_table
from kaifang.sources.common.previous import current_version
from kaifang.sources.freeway import catalog_entries as entries
from kaifang.sources.freeway.columns import DATASETS, GANTRY_TABLE_COLUMNS, PUBLISHER
from kaifang.sources.freeway.coverage import Merge, merge_with_current
from kaifang.sources.freeway.discover import discover
from kaifang.sources.freeway.grains import trip_steps
from kaifang.sources.freeway.load import (
    DATE_COLUMN,
    ImportProblem,
    LoadedDataset,
    load_dataset,
    time_column,
)
from kaifang.sources.freeway.parse import gantry_id_sql
from kaifang.sources.freeway.protect import protect_trips
from kaifang.sources.sqltext import trim_padding_sql
from kaifang.sqlutil import quote_ident, quote_literal

WORK_MEMORY_LIMIT = "1500MB"
# Within a day, rows are sorted by gantry (pair) and then time: a question about one gantry
# reads one row group of the day's file, and the day itself is one partition.
_KEYS: dict[str, tuple[str, ...]] = {
    "M03A": ("GantryID",),
    "M04A": ("GantryFrom", "GantryTo"),
    "M05A": ("GantryFrom", "GantryTo"),
    "M06A": ("GantryID_O",),
    "M07A": ("GantryFrom",),
    "M08A": ("GantryFrom", "GantryTo"),
}
SPARK_CODES = ("M03A", "M04A", "M05A", "M06A", "M08A")
"""What ``engine="spark"`` parses and writes on the cluster (M07A is a small file an hour)."""
_AGGREGATES = {"status": "not_personal", "publishable": True, "message": "aggregate counts"}


@dataclass
class ImportedResource:
    """What one dataset's import did."""

    code: str
    dataset: str
    resource: str
    version: int
    rows: int
    files: int
    unchanged: bool
    days_written: list[str] = field(default_factory=list)
    days_kept: list[str] = field(default_factory=list)
    problem_count: int = 0
    problems: list[dict[str, Any]] = field(default_factory=list)
    screening: dict[str, Any] = field(default_factory=dict)
    changes: dict[str, Any] = field(default_factory=dict)
    rows_in: int = 0
    rows_out: int = 0
    suppressed: list[dict[str, Any]] = field(default_factory=list)
    coarsened: list[dict[str, Any]] = field(default_factory=list)
    utility: dict[str, Any] = field(default_factory=dict)


@dataclass
class FreewayImport:
    """The result of ``kaifang import freeway`` (its ``--json`` object)."""

    path: str
    organization: str
    resources: list[ImportedResource] = field(default_factory=list)
    files_skipped: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _imported(
    code: str,
    result: RelationPublishResult,
    files: int,
    problem_count: int = 0,
    problems: Sequence[ImportProblem] = (),
) -> ImportedResource:
    return ImportedResource(
        code=code,
        dataset=result.dataset,
        resource=result.resource,
        version=result.version,
        rows=result.rows,
        files=files,
        unchanged=result.unchanged,
        days_written=result.partitions_written,
        days_kept=result.partitions_reused,
        problem_count=problem_count,
        problems=[p.to_dict() for p in problems],
        screening=result.screening,
    )


@dataclass
class _Staged:
    """One table read, protected and screened, waiting to be published."""

    code: str
    spec: RelationSpec
    files: int
    item: BatchItem
    problem_count: int = 0
    problems: Sequence[ImportProblem] = ()
    changes: dict[str, Any] = field(default_factory=dict)
    rows_in: int = 0
    rows_out: int = 0


def import_freeway(
    settings: Settings,
    path: str | Path,
    *,
    org: str = entries.ORG_CODE,
    engine: str = "duckdb",
    accept_utility_loss: bool = False,
) -> FreewayImport:
    """Import every TDCS file under ``path``; see the module docstring. ``engine="spark"``
    parses the bulk datasets (M03A, M04A, M05A, M08A) and parses and protects the trips
    (M06A) on ``settings.spark_master``; M07A and the gantry table are read by DuckDB either
    way. ``accept_utility_loss`` publishes trips whose protection loses more than
    ``freeway_trip_max_loss`` of the trips or vehicle-km (recorded in the version).

    All or none: every table is read, protected and screened before any is written, then
    :func:`kaifang.publish.relation.publish_batch` writes every version and registers them in
    one catalog transaction; a failure anywhere (a file that cannot be read, rows the privacy
    gate refuses, a write) leaves every table at its previous version, and a reading failure
    names the table."""
    if engine not in ("duckdb", "spark"):
        raise ValidationError(f"unknown engine {engine!r}", hint="Engines: duckdb, spark.")
    source = Path(path)
    trip_steps(settings)  # a bad grain setting fails before any write
    workdir = Path(tempfile.mkdtemp(prefix="kaifang-freeway-"))
    try:
        found = discover(source, workdir / "extracted")
        with open_catalog(settings) as catalog:
            entries.ensure_organization(catalog, org)
        outcome = FreewayImport(path=str(source), organization=org, files_skipped=found.skipped)
        con = duckdb.connect(
            str(workdir / "work.duckdb"),
            config={"memory_limit": WORK_MEMORY_LIMIT, "temp_directory": str(workdir / "tmp")},
        )
        try:
            con.execute("SET enable_progress_bar = false")
            staged: list[_Staged] = []
            total = len(found.files) + (1 if found.gantry_tables else 0)
            for code in sorted(found.files):
                ready = [s.code for s in staged]
                with failing_table(code, total, ready):
                    staged.append(
                        _stage_dataset(
                            con,
                            settings,
                            org,
                            code,
                            found.files[code],
                            engine,
                            workdir,
                            accept_utility_loss=accept_utility_loss,
                        )
                    )
            if found.gantry_tables:
                with failing_table("gantries", total, [s.code for s in staged]):
                    staged.append(
                        _stage_gantries(con, settings, org, found.gantry_tables[-1], workdir)
                    )
            results = publish_batch(settings, [item.item for item in staged])
            outcome.resources = [
                _published(item, result) for item, result in zip(staged, results, strict=True)
            ]
        finally:
            con.close()
        return outcome
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _published(item: _Staged, result: RelationPublishResult) -> ImportedResource:
    imported = _imported(item.code, result, item.files, item.problem_count, item.problems)
    imported.changes = item.changes
    imported.rows_in, imported.rows_out = item.rows_in, item.rows_out
    rules = {r.get("code"): r for r in result.screening.get("rules", [])}
    suppressed = int(result.screening.get("suppressed_rows") or 0)
    if suppressed:
        reason = rules.get("rare_trips_suppressed", {}).get("message")
        imported.suppressed = [
            {"rows": suppressed, "reason": reason or "suppressed by the privacy rules"}
        ]
    coarsened = int(result.screening.get("coarsened_rows") or 0)
    if coarsened:
        imported.coarsened = [
            {"rows": coarsened, "reason": rules["rare_trips_coarsened"]["message"]}
        ]
    imported.utility = dict(result.screening.get("utility") or {})
    return imported


def _load(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    code: str,
    files: list[Path],
    *,
    accept_utility_loss: bool = False,
) -> tuple[LoadedDataset, str, dict[str, Any]]:
    """The rows to publish (a table or view of ``con``) and their screening report."""
    loaded = load_dataset(con, code, files)
    if code == "M06A":
        table, screening = protect_trips(
            con, loaded.table, settings, accept_utility_loss=accept_utility_loss
        )
        return loaded, table, screening
    return loaded, loaded.table, dict(_AGGREGATES)


FREEWAY_APPROVER = f"{PUBLISHER} (source publisher)"
NOT_ABOUT_PEOPLE = {
    "aggregate counts": "ETC 門架彙總資料：每列為一個門架或路段、時段與車種之車次、車速或旅行時間，"
    "非個別車輛或個人之紀錄",
    "gantry locations": "門架位置表：每列為一座門架之代碼、里程與座標，非個人紀錄",
}


def _recorded(screening: dict[str, Any], fields: list[dict[str, Any]]) -> dict[str, Any]:
    """An aggregate table's screening as a reviewable record: not screened row by row, it
    says why (a ``not_about_people`` exception: reason, the columns, the approver)."""
    if screening.get("status") != "not_personal":
        return screening
    reason = NOT_ABOUT_PEOPLE.get(str(screening.get("message")), str(screening.get("message")))
    exception = {
        "kind": "not_about_people",
        "reason": reason,
        "columns": [str(f["name"]) for f in fields],
        "approved_by": FREEWAY_APPROVER,
    }
    return {**screening, "status": "exception", "about_people": False, "exception": exception}


def _spec(
    org: str, code: str, files: list[Path], screening: dict[str, Any], reading: dict[str, Any]
) -> RelationSpec:
    return RelationSpec(
        org=org,
        title=entries.dataset_title(code),
        resource=entries.resource_name(code),
        dataset_id=entries.resource_name(code),
        fields=entries.dataset_fields(code),
        metadata=entries.dataset_metadata(code),
        partition_by=DATE_COLUMN,
        order_by=(*_KEYS[code], time_column(DATASETS[code])),
        publisher=PUBLISHER,
        source_file=f"{len(files)} {code} files",
        screening=_recorded(screening, entries.dataset_fields(code)),
        extra_manifest={"reading": reading},
    )


def _stage_dataset(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    org: str,
    code: str,
    files: list[Path],
    engine: str,
    workdir: Path,
    *,
    accept_utility_loss: bool = False,
) -> _Staged:
    if engine == "spark" and code in SPARK_CODES:
        return _stage_dataset_spark(
            settings, org, code, files, workdir, accept_utility_loss=accept_utility_loss
        )
    loaded, table, screening = _load(
        con, settings, code, files, accept_utility_loss=accept_utility_loss
    )
    rows_out = int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])
    reading = {
        "problems": [p.to_dict() for p in loaded.problems],
        "problem_count": loaded.problem_count,
    }
    spec = _spec(org, code, files, screening, reading)
    current = current_version(settings, org=org, title=spec.title, resource=spec.resource)
    columns = [str(f["name"]) for f in spec.fields]
    table, merge = merge_with_current(con, settings, code, table, columns, current)
    if code == "M06A":
        _check_trip_days(settings, merge)
    return _Staged(
        code,
        spec,
        len(files),
        relation_item(con.table(table), spec),
        loaded.problem_count,
        loaded.problems,
        merge.to_dict(),
        rows_in=loaded.rows + loaded.problem_count,
        rows_out=rows_out,
    )


def _check_trip_days(settings: Settings, merge: Merge) -> None:
    """Refuse to keep the current version's trips of the hours no file covers when a step
    is coarser than the hour: such a class spans several hour files, so protecting the new
    hours alone could publish a trip twice (once at 06:00 for 6 hours, once at 08:00) and
    split a class below k. M06A is computed for whole days upstream; import the whole day."""
    kept = sorted(day for day, part in merge.days_partly_replaced.items() if part["rows_kept"])
    coarsest = max(step.time.minutes for step in trip_steps(settings))
    if kept and 60 % coarsest:
        raise PublishRefusedError(
            f"M06A: the files cover only part of {', '.join(kept)}, whose trips are published "
            f"at grains up to {coarsest} minutes, across the day's hour files",
            hint="Import the whole day (its 24 hour files or the daily archive), or publish "
            "at grains within the hour (KAIFANG_FREEWAY_TRIP_COARSER_GRAINS, e.g. '15 minutes, "
            "hour/5 km').",
        )


def _stage_dataset_spark(
    settings: Settings,
    org: str,
    code: str,
    files: list[Path],
    workdir: Path,
    *,
    accept_utility_loss: bool = False,
) -> _Staged:
    """Spark parses (and for M06A protects and verifies) the rows and writes the version's
    files itself; the store adopts them (:func:`kaifang.publish.adopted.files_item`).
    Spark files replace whole days (they are not merged with the current version)."""
    from kaifang.sources.freeway.spark import write_dataset_spark
    from kaifang.sources.freeway.spark_trips import protect_trips_spark

    order = (*_KEYS[code], time_column(DATASETS[code]))
    if code == "M06A":
        trips = protect_trips_spark(
            settings,
            files,
            workdir / "spark",
            order_by=order,
            accept_utility_loss=accept_utility_loss,
        )
        written, left_out, screening = trips.written, trips.left_out, trips.report
    else:
        bulk = write_dataset_spark(settings, code, files, workdir / "spark", order_by=order)
        written, left_out, screening = bulk.written, bulk.left_out, dict(_AGGREGATES)
    # Spark does not know a line's file and line number: the lines left out are a count.
    spec = _spec(org, code, files, screening, {"problems": [], "problem_count": left_out})
    return _Staged(code, spec, len(files), files_item(written, spec), left_out)


def _stage_gantries(
    con: duckdb.DuckDBPyConnection, settings: Settings, org: str, file: Path, workdir: Path
) -> _Staged:
    try:
        text = file.read_bytes().decode("cp950")
    except UnicodeDecodeError as error:
        raise ReadError(
            f"not Big5/CP950 text at byte {error.start}",
            file=file,
            hint="The gantry table is published in Big5; pass the file as downloaded.",
        ) from None
    utf8 = workdir / "gantries.csv"
    utf8.write_text(text, encoding="utf-8")
    names = [c.name for c in GANTRY_TABLE_COLUMNS]
    columns = ", ".join(f"{quote_literal(n)}: 'VARCHAR'" for n in names)
    typed = [f"nullif({gantry_id_sql('gantry_code')}, '') AS GantryID"]
    for column in GANTRY_TABLE_COLUMNS:
        raw = trim_padding_sql(quote_ident(column.name))
        value = f"try_cast({raw} AS DOUBLE)" if column.type == "number" else raw
        typed.append(f"{value} AS {quote_ident(column.name)}")
    con.execute(
        f"CREATE OR REPLACE TABLE gantries AS SELECT {', '.join(typed)} FROM read_csv("
        f"{quote_literal(str(utf8))}, header = true, auto_detect = false, delim = ',', "
        f"quote = '\"', columns = {{{columns}}}) WHERE trim(gantry_code) <> ''"
    )
    spec = RelationSpec(
        org=org,
        title=entries.GANTRY_TITLE,
        resource=entries.GANTRY_RESOURCE,
        dataset_id=entries.GANTRY_RESOURCE,
        fields=entries.gantry_fields(),
        metadata=entries.gantry_metadata(),
        order_by=("GantryID",),
        publisher=PUBLISHER,
        source_file=file.name,
        screening=_recorded(
            {"status": "not_personal", "publishable": True, "message": "gantry locations"},
            entries.gantry_fields(),
        ),
    )
    count = int(con.execute("SELECT count(*) FROM gantries").fetchall()[0][0])
    item = relation_item(con.table("gantries"), spec)
    return _Staged("gantries", spec, 1, item, rows_in=count, rows_out=count)
