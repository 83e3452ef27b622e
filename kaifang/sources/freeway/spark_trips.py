"""M06A trips on Spark: parse, protect and verify a year of trip files on the cluster.

The Spark path of ``kaifang import freeway --engine spark`` for M06A, giving the same rows,
types and screening report as the DuckDB path (:mod:`kaifang.sources.freeway.load`,
:mod:`kaifang.sources.freeway.parse`, :mod:`kaifang.sources.freeway.protect`):

1. **Parse.** The headerless CSV files are read as strings (one extra column catches lines
   with too many values) and typed in Spark SQL exactly as the DuckDB SQL does: padding
   trimmed, gantry ids normalized, timestamps with ``/`` or ``-`` and with or without seconds,
   ``TripInformation`` as ``array<struct<time: timestamp_ntz, gantry: string>>`` (DuckDB's
   ``STRUCT(time TIMESTAMP, gantry VARCHAR)[]`` once written to Parquet). Lines that cannot be
   typed are left out and counted (the DuckDB path also names their file and line; Spark
   does not know a row's line, so here they are a count). The counts are observed metrics of
   the job that writes the protected rows, so the CSV files are read once.
2. **Protect.** The rules of :mod:`kaifang.sources.freeway.protect`, written in Spark SQL by
   the same functions as DuckDB's (``dialect="spark"``): each trip's class at every step
   (every published column at the step's grains, also inside the ``TripInformation`` array
   with Spark's higher-order ``transform``; the floor mirrors DuckDB's ``time_bucket``),
   the step each trip is published at (window counts over the row number and the class
   hashes, joined back), the utility of the result (trips, vehicle-km and gantry passages
   kept), and the published rows, written as typed zstd Parquet. The classed and stepped
   trips are persisted, so the files are read once.
3. **Verify, then report.** The screening the DuckDB path stores with the version is the
   protection report: rows in, rows out, the rules, the utility and a verification of the
   protected rows. Here the verification runs on Spark over the *written* Parquet read
   back, i.e. over the exact rows that are published, grouped by every published column,
   and it scales with the cluster (one aggregation). :func:`protection_report` (shared with
   DuckDB) builds the report and refuses the publish if a class is below k, a time or
   length is off its grain, or the loss passes ``freeway_trip_max_loss`` unaccepted.

The protected rows are written as the version's own files
(:mod:`kaifang.sources.freeway.spark_files`: one folder per ``Date``, sorted by gantry and
time within a day, with per-day fingerprints), which the importer publishes with
:func:`kaifang.publish.adopted.publish_files`: the store adopts the files, and no row passes
through this machine. M07A (one small file per hour of
averages) stays on DuckDB.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kaifang.errors import ReadError
from kaifang.publish.adopted import PartitionedFiles
from kaifang.query.spark_session import spark_session
from kaifang.settings import Settings
from kaifang.sources.freeway.columns import M06A
from kaifang.sources.freeway.load import DATE_COLUMN, EXTRA_COLUMN
from kaifang.sources.freeway.protect import (
    PUBLISHED_COLUMNS,
    TripVerification,
    protection_report,
    published_trips_sql,
    stepped_trips_sql,
    trip_classes_sql,
    trip_steps_sql,
    trip_verification_sql,
)
from kaifang.sources.freeway.spark_files import write_partitioned_spark
from kaifang.sources.freeway.utility import TripUtility, utility_sql
from kaifang.sources.sqltext import PADDING

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

_CODE_PATTERN = r"^([0-9]{2}[A-Z]+)-([0-9]{3})\.([0-9])([NSEW])$"
_COLUMNS = tuple(c.name for c in M06A.columns)


def _trim(expr: str) -> str:
    return f"trim(BOTH '{PADDING}' FROM {expr})"


def timestamp_spark_sql(expr: str) -> str:
    """Spark's :func:`~kaifang.sources.freeway.parse.tdcs_timestamp_sql`: a TIMESTAMP_NTZ
    from ``2024-03-25 08:00:11``, ``2024/03/25 08:00`` or ``2016/6/6 7:25``; NULL otherwise."""
    text = f"replace({_trim(expr)}, '/', '-')"
    return (
        f"coalesce(to_timestamp_ntz({text}, 'yyyy-M-d H:m:s'), "
        f"to_timestamp_ntz({text}, 'yyyy-M-d H:m'))"
    )


def trip_information_spark_sql(expr: str) -> str:
    """Spark's :func:`~kaifang.sources.freeway.parse.trip_information_sql`."""
    stamp = timestamp_spark_sql("split_part(s, '+', 1)")
    gantry = _trim("split_part(s, '+', 2)")
    return (
        f"transform(filter(split({expr}, ';'), s -> trim(s) <> ''), "
        f"s -> named_struct('time', {stamp}, 'gantry', {gantry}))"
    )


def parse_trips_spark_sql(view: str) -> str:
    """Spark SQL typing the raw string columns of ``view`` as the DuckDB path does, with
    ``is_bad`` (the line is left out) and ``Date``."""
    typed = {
        "VehicleType": f"nullif({_trim('VehicleType')}, '')",
        "DetectionTime_O": timestamp_spark_sql("DetectionTime_O"),
        "GantryID_O": _gantry("GantryID_O"),
        "DetectionTime_D": timestamp_spark_sql("DetectionTime_D"),
        "GantryID_D": _gantry("GantryID_D"),
        "TripLength": f"CAST({_trim('TripLength')} AS DOUBLE)",
        "TripEnd": f"nullif({_trim('TripEnd')}, '')",
        "TripInformation": trip_information_spark_sql("TripInformation"),
    }
    select = ", ".join(f"{sql} AS {name}" for name, sql in typed.items())
    bad = " OR ".join(
        [
            "wrong_count",
            *(f"{name} IS NULL" for name in _COLUMNS),
            "size(TripInformation) = 0",
            "exists(TripInformation, p -> p.time IS NULL)",
        ]
    )
    return (
        f"SELECT {', '.join(_COLUMNS)}, coalesce({bad}, true) AS is_bad, "
        f"CAST(DetectionTime_O AS DATE) AS {DATE_COLUMN} FROM (SELECT "
        f"({EXTRA_COLUMN} IS NOT NULL OR TripInformation IS NULL) AS wrong_count, {select} "
        f"FROM {view})"
    )


def _gantry(name: str) -> str:
    return f"nullif(regexp_replace(upper({_trim(name)}), '{_CODE_PATTERN}', '$1$2$3$4'), '')"


def verify_trips_spark(session: SparkSession, view: str, settings: Settings) -> TripVerification:
    """The :class:`TripVerification` of the protected trips in ``view``."""
    row = session.sql(trip_verification_sql(view, settings, dialect="spark")).collect()[0]
    return TripVerification.from_row(row)


def read_trips_spark(session: SparkSession, files: list[Path]) -> DataFrame:
    """The M06A ``files`` parsed: the typed columns, ``is_bad`` and ``Date``
    (:func:`parse_trips_spark_sql`)."""
    schema = ", ".join(f"`{name}` STRING" for name in (*_COLUMNS, EXTRA_COLUMN))
    raw = session.read.schema(schema).option("header", "false").csv([str(f) for f in files])
    raw.createOrReplaceTempView("m06a_raw")
    return session.sql(parse_trips_spark_sql("m06a_raw"))


@dataclass(frozen=True)
class ProtectedTripsSpark:
    """What :func:`protect_trips_spark` wrote: the version's files with their fingerprints,
    the line count, the count of lines left out and the screening report."""

    written: PartitionedFiles
    folder: Path
    lines: int
    left_out: int
    report: dict[str, Any]


def protect_trips_spark(
    settings: Settings,
    files: list[Path],
    out_dir: Path,
    *,
    order_by: Sequence[str] = ("GantryID_O", "DetectionTime_O"),
    accept_utility_loss: bool = False,
) -> ProtectedTripsSpark:
    """Parse, protect and verify the M06A ``files`` on ``settings.spark_master``; write the
    protected trips under ``<out_dir>/M06A`` as a version's files, partitioned by ``Date``
    and sorted by ``order_by`` within a day (:func:`write_partitioned_spark`)."""
    from pyspark.sql import Observation
    from pyspark.sql.functions import expr

    session = spark_session(settings, app_name="kaifang-import-freeway")
    # Lines read and left out are counted while the trips are first read (one pass).
    lines = Observation("m06a_lines")
    parsed = read_trips_spark(session, files).observe(
        lines, expr("count(*)").alias("total"), expr("count_if(is_bad)").alias("bad")
    )
    parsed.createOrReplaceTempView("m06a_parsed")
    folder = out_dir / "M06A"
    readable = "(SELECT * FROM m06a_parsed WHERE NOT is_bad) AS parsed"
    classed = session.sql(trip_classes_sql(readable, settings, dialect="spark")).persist()
    classed.createOrReplaceTempView("m06a_classed")
    steps = session.sql(trip_steps_sql("m06a_classed", settings, dialect="spark"))
    steps.createOrReplaceTempView("m06a_steps")
    stepped = session.sql(stepped_trips_sql("m06a_classed", "m06a_steps")).persist()
    stepped.createOrReplaceTempView("m06a_stepped")
    try:
        utility = TripUtility.from_rows(
            *(
                session.sql(sql).collect()
                for sql in utility_sql("m06a_stepped", settings, dialect="spark")
            )
        )
        protected = session.sql(published_trips_sql("m06a_stepped", settings, dialect="spark"))
        written = write_partitioned_spark(
            protected, folder, partition_by=DATE_COLUMN, order_by=order_by
        )
    finally:
        stepped.unpersist()
        classed.unpersist()
    total, bad = int(lines.get["total"]), int(lines.get["bad"])
    if total == bad:
        raise ReadError(
            f"no M06A row could be read by Spark ({total} lines)",
            file=files[0],
            hint="Check the files are TDCS M06A; or import without --engine spark.",
        )
    rows = session.read.parquet(str(folder)).select(*PUBLISHED_COLUMNS)
    rows.createOrReplaceTempView("m06a_protected")
    verification = verify_trips_spark(session, "m06a_protected", settings)
    report = protection_report(
        settings, utility, verification, accept_utility_loss=accept_utility_loss
    )
    return ProtectedTripsSpark(written, folder, total, bad, report)
