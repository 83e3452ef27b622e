"""Freeway (TDCS) history on Spark: bulk import of the headerless CSV files into Parquet, and
the analyses both engines run, so DuckDB and Spark can be compared on the same files.

``import_freeway_spark(settings, path)`` is the Spark path of ``kaifang import freeway
--engine spark``: the cluster parses every day of history in parallel and writes typed Parquet
(zstd) that the publish pipeline then registers. The files are the upstream layout
(``M03A/20240325/08/TDCS_M03A_20240325_080000.csv``), as
:func:`kaifang.sources.freeway.generate.generate_freeway` writes them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kaifang.errors import ReadError, ValidationError
from kaifang.publish.adopted import PartitionedFiles
from kaifang.query.spark_session import spark_session
from kaifang.settings import Settings
from kaifang.sources.freeway.columns import DATASETS, TdcsDataset
from kaifang.sources.freeway.load import DATE_COLUMN, time_column
from kaifang.sources.freeway.spark_files import write_partitioned_spark
from kaifang.sqlutil import quote_ident, quote_literal

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

_SPARK_TYPES = {"integer": "BIGINT", "number": "DOUBLE"}


def time_format(code: str, *, spark: bool) -> str:
    """How ``code`` writes its timestamps: M03A with dashes, the others with slashes; M06A's
    detection times carry seconds."""
    sep = "-" if code == "M03A" else "/"
    seconds = code == "M06A"
    if spark:
        return f"yyyy{sep}MM{sep}dd HH:mm" + (":ss" if seconds else "")
    return f"%Y{sep}%m{sep}%d %H:%M" + (":%S" if seconds else "")


def tdcs_files(root: Path, code: str) -> list[str]:
    """The dataset's CSV files under ``root`` in time order."""
    return sorted(str(p) for p in root.glob(f"{code}/*/*/TDCS_{code}_*.csv"))


def read_tdcs_spark(session: SparkSession, code: str, files: list[str]) -> DataFrame:
    """The dataset's files as one typed DataFrame (columns as the TDCS manual names them)."""
    dataset = _dataset(code)
    schema = ", ".join(f"`{c.name}` STRING" for c in dataset.columns)
    raw = session.read.schema(schema).option("header", "false").csv(files)
    fmt = time_format(code, spark=True)
    typed = []
    for column in dataset.columns:
        name = f"`{column.name}`"
        if column.type == "datetime":
            typed.append(f"to_timestamp_ntz({name}, '{fmt}') AS {name}")
        elif column.type in _SPARK_TYPES:
            typed.append(f"CAST({name} AS {_SPARK_TYPES[column.type]}) AS {name}")
        else:
            typed.append(name)
    return raw.selectExpr(*typed)


def tdcs_duckdb_sql(code: str, files: list[str]) -> str:
    """DuckDB SQL reading the same files with the same types (the single-machine peer)."""
    dataset = _dataset(code)
    columns = ", ".join(f"{quote_literal(c.name)}: 'VARCHAR'" for c in dataset.columns)
    listed = ", ".join(quote_literal(f) for f in files)
    fmt = quote_literal(time_format(code, spark=False))
    typed = []
    for column in dataset.columns:
        name = quote_ident(column.name)
        if column.type == "datetime":
            typed.append(f"strptime({name}, {fmt}) AS {name}")
        elif column.type in _SPARK_TYPES:
            typed.append(f"CAST({name} AS {_SPARK_TYPES[column.type]}) AS {name}")
        else:
            typed.append(name)
    return (
        f"SELECT {', '.join(typed)} FROM read_csv([{listed}], header = false, "
        f"columns = {{{columns}}}, auto_detect = false)"
    )


@dataclass
class SparkImport:
    """Per dataset: the Parquet folder Spark wrote and its row count."""

    folders: dict[str, Path]
    rows: dict[str, int]


def import_freeway_spark(
    settings: Settings,
    path: Path,
    *,
    datasets: tuple[str, ...] = ("M03A", "M04A", "M05A", "M08A"),
    out_dir: Path | None = None,
) -> SparkImport:
    """Parse the TDCS history under ``path`` on ``settings.spark_master`` and write one
    Parquet folder per dataset (``<out_dir>/<code>/part-*.parquet``, zstd; default
    ``<data_dir>/staging/freeway-spark``). Datasets with no files are skipped."""
    session = spark_session(settings, app_name="kaifang-import-freeway")
    target = out_dir or settings.data_dir / "staging" / "freeway-spark"
    result = SparkImport(folders={}, rows={})
    for code in datasets:
        files = tdcs_files(path, code)
        if not files:
            continue
        frame = read_tdcs_spark(session, code, files)
        folder = target / code
        frame.write.mode("overwrite").option("compression", "zstd").parquet(str(folder))
        result.folders[code] = folder
        result.rows[code] = session.read.parquet(str(folder)).count()
    if not result.folders:
        raise ValidationError(
            f"no TDCS files under {path}",
            hint="Expected the upstream layout, e.g. M03A/20240325/08/TDCS_M03A_*.csv.",
        )
    return result


# The freeway analyses, as users' SQL over resources m03a and m05a (run by either engine).
ANALYSES: dict[str, str] = {
    "volume_by_day_and_type": (
        "SELECT CAST(TimeInterval AS DATE) AS day, VehicleType, sum(Volume) AS vehicles "
        "FROM m03a GROUP BY 1, 2 ORDER BY 1, 2"
    ),
    "busiest_gantries": (
        "SELECT GantryID, Direction, sum(Volume) AS vehicles FROM m03a GROUP BY 1, 2 "
        "ORDER BY vehicles DESC, GantryID, Direction LIMIT 10"
    ),
    "hourly_profile": (
        "SELECT hour(TimeInterval) AS h, sum(Volume) AS vehicles, count(*) AS records "
        "FROM m03a GROUP BY 1 ORDER BY 1"
    ),
    "speed_by_segment": (
        "SELECT GantryFrom, GantryTo, sum(SpaceMeanSpeed * Volume) AS speed_volume, "
        "sum(Volume) AS vehicles FROM m05a WHERE VehicleType = '31' "
        "GROUP BY 1, 2 ORDER BY vehicles DESC, 1, 2 LIMIT 20"
    ),
    "slow_segments": (
        "WITH slow AS (SELECT GantryFrom, TimeInterval FROM m05a "
        "WHERE SpaceMeanSpeed BETWEEN 1 AND 59 AND Volume > 0) "
        "SELECT GantryFrom, count(*) AS slow_slots FROM slow GROUP BY 1 "
        "ORDER BY 2 DESC, 1 LIMIT 10"
    ),
}


def _dataset(code: str) -> TdcsDataset:
    if code not in DATASETS:
        raise ValidationError(f"unknown TDCS dataset {code!r}", hint=f"Use {', '.join(DATASETS)}.")
    return DATASETS[code]


SPARK_DATASETS = ("M03A", "M04A", "M05A", "M08A")


@dataclass(frozen=True)
class SparkDataset:
    """What :func:`write_dataset_spark` wrote: the version's files with their fingerprints,
    the lines read and the lines left out (no time)."""

    written: PartitionedFiles
    lines: int
    left_out: int


def write_dataset_spark(
    settings: Settings, code: str, files: list[Path], out_dir: Path, *, order_by: Sequence[str]
) -> SparkDataset:
    """The bulk-history path of ``kaifang import freeway --engine spark``: Spark parses and
    types ``files`` with the columns of :func:`kaifang.sources.freeway.load.load_dataset`
    (counts as INTEGER, plus ``Date``), leaves out lines without a time (counted as problems)
    and writes the version's files under ``<out_dir>/<code>``, partitioned by ``Date`` and
    sorted by ``order_by`` within a day (:func:`write_partitioned_spark`)."""
    from pyspark.sql import Observation
    from pyspark.sql.functions import expr

    session = spark_session(settings, app_name="kaifang-import-freeway")
    dataset = _dataset(code)
    time = f"`{time_column(dataset)}`"
    typed = [
        f"CAST(`{c.name}` AS INT) AS `{c.name}`" if c.type == "integer" else f"`{c.name}`"
        for c in dataset.columns
    ]
    lines = Observation(f"{code.lower()}_lines")
    frame = (
        read_tdcs_spark(session, code, [str(f) for f in files])
        .observe(
            lines, expr("count(*)").alias("total"), expr(f"count_if({time} IS NULL)").alias("bad")
        )
        .where(f"{time} IS NOT NULL")
        .selectExpr(*typed, f"CAST({time} AS DATE) AS `{DATE_COLUMN}`")
    )
    written = write_partitioned_spark(
        frame, out_dir / code, partition_by=DATE_COLUMN, order_by=order_by
    )
    total, bad = int(lines.get["total"]), int(lines.get["bad"])
    if total == bad:
        raise ReadError(
            f"no {code} row could be read by Spark ({total} lines)",
            file=files[0],
            hint="Check the files are TDCS " + code + "; or import without --engine spark.",
        )
    return SparkDataset(written, total, bad)
