"""M06A trips on Spark: the same parsed rows, protected rows and screening report as the
DuckDB path on the same files, and ``import_freeway(engine="spark")`` publishes them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest

from kaifang.catalog.db import open_catalog
from kaifang.query import run_sql
from kaifang.query.resolver import catalog_resolver
from kaifang.query.spark_session import spark_session
from kaifang.settings import Settings
from kaifang.sources.freeway.generate import FreewayPlan, generate_freeway
from kaifang.sources.freeway.importer import import_freeway
from kaifang.sources.freeway.load import load_dataset
from kaifang.sources.freeway.protect import (
    PUBLISHED_COLUMNS,
    floor_spark_sql,
    parse_grain,
    protect_trips,
)
from kaifang.sources.freeway.spark import tdcs_files
from kaifang.sources.freeway.spark_trips import protect_trips_spark, read_trips_spark
from kaifang.storage import VersionStore

pytestmark = pytest.mark.spark
K = 3
GRAIN = "15 minutes"
PARSED = (
    "VehicleType, DetectionTime_O, GantryID_O, DetectionTime_D, GantryID_D, TripLength, "
    "TripEnd, TripInformation, Date"
)
COLUMNS = ", ".join(PUBLISHED_COLUMNS)
# Spellings both parsers must read alike: slashes, no seconds, unpadded month, padding
# (ideographic space, tab), the coordinate table's gantry spelling; then lines left out: a
# bad time, a time inside TripInformation that cannot be read, no TripInformation, one value
# too many, one value too few.
MESSY = [
    "\u300031,2024/03/25 23:10:05,01F-000.5S,2024/03/25 23:20,01F0017S,1.2,Y,"
    "2024/03/25 23:10:05+01F0005S; 2024/3/25 23:20+01F0017S",
    "31\t,2024-03-25 23:11:59,01f0005s,2024-3-25 23:21:00,01F0017S, 1.2 ,Y,"
    "2024-03-25 23:11:59+01F0005S;2024-03-25 23:21:00+01F0017S;",
    "31,2024-03-25 23:14:00,01F0005S,2024-03-25 23:24:00,01F0017S,1.2,N,"
    "2024-03-25 23:14:00+01F0005S; 2024-03-25 23:24:00+01F0017S",
    "31,2024-03-25 25:00:00,01F0005S,2024-03-25 23:24:00,01F0017S,1.2,Y,"
    "2024-03-25 23:14:00+01F0005S",
    "31,2024-03-25 23:14:00,01F0005S,2024-03-25 23:24:00,01F0017S,1.2,Y,garbage+01F0005S",
    "31,2024-03-25 23:14:00,01F0005S,2024-03-25 23:24:00,01F0017S,1.2,Y,",
    "31,2024-03-25 23:14:00,01F0005S,2024-03-25 23:24:00,01F0017S,1.2,Y,"
    "2024-03-25 23:14:00+01F0005S,extra",
    "31,2024-03-25 23:14:00,01F0005S,2024-03-25 23:24:00,01F0017S,1.2,Y",
]

MESSY_KEYS = {(23, minute, "01F0005S", "01F0017S") for minute in (10, 11, 14)}


@pytest.fixture(scope="module")
def trips(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("trips")
    generate_freeway(root, FreewayPlan(days=2, datasets=("M06A",), scale=0.02, trips_per_day=3000))
    last = Path(tdcs_files(root, "M06A")[23])  # the first day's 23:00 file
    with last.open("a", encoding="utf-8") as out:
        out.write("\n".join(MESSY) + "\n")
    return root


@pytest.fixture(scope="module")
def settings(
    spark_settings: Callable[..., Settings], tmp_path_factory: pytest.TempPathFactory
) -> Settings:
    return spark_settings(
        tmp_path_factory.mktemp("trips-data"),
        k_anonymity=K,
        freeway_trip_time_grain=GRAIN,
        freeway_trip_max_loss=1.0,
    )


@pytest.fixture(scope="module")
def both(
    trips: Path, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """Each engine's parsed rows, protected rows, left-out count and report."""
    files = [Path(f) for f in tdcs_files(trips, "M06A")]
    con = duckdb.connect()
    loaded = load_dataset(con, "M06A", files)
    table, duck_report = protect_trips(con, loaded.table, settings)
    out = tmp_path_factory.mktemp("spark-trips")
    spark = protect_trips_spark(settings, files, out)
    folder, total, bad, spark_report = spark.folder, spark.lines, spark.left_out, spark.report
    parsed_dir = out / "parsed"
    read_trips_spark(spark_session(settings), files).write.parquet(str(parsed_dir))
    parsed = f"read_parquet('{parsed_dir / '*.parquet'}')"
    written = f"read_parquet('{folder / '*' / '*.parquet'}')"  # one folder per Date
    result = {
        "duckdb_parsed": con.execute(
            f"SELECT {PARSED} FROM {loaded.table} ORDER BY ALL"
        ).fetchall(),
        "spark_parsed": con.execute(
            f"SELECT {PARSED} FROM {parsed} WHERE NOT is_bad ORDER BY ALL"
        ).fetchall(),
        "duckdb_rows": con.execute(f"SELECT {COLUMNS} FROM {table} ORDER BY ALL").fetchall(),
        "spark_rows": con.execute(f"SELECT {COLUMNS} FROM {written} ORDER BY ALL").fetchall(),
        "types": [
            con.execute(f"DESCRIBE SELECT {COLUMNS} FROM {source}").fetchall()
            for source in (table, written)
        ],
        "spark_classes": con.execute(
            f"SELECT min(n) FROM (SELECT count(*) AS n FROM {written} GROUP BY {COLUMNS})"
        ).fetchall()[0][0],
        "left_out": (loaded.problem_count, bad, total - bad, loaded.rows),
        "reports": (duck_report, spark_report),
    }
    con.close()
    return result


def test_spark_parses_trips_as_duckdb_does(both: dict[str, Any]) -> None:
    assert both["spark_parsed"] == both["duckdb_parsed"]
    duck_problems, spark_bad, spark_rows, duck_rows = both["left_out"]
    assert (spark_bad, spark_rows) == (duck_problems, duck_rows)
    assert spark_bad == 5  # the five bad MESSY lines
    messy = [
        row
        for row in both["spark_parsed"]
        if (row[1].hour, row[1].minute, row[2], row[4]) in MESSY_KEYS
    ]
    assert len(messy) == 3
    for row in messy:
        assert (row[0], row[5], [p["gantry"] for p in row[7]]) == (
            "31",
            1.2,
            ["01F0005S", "01F0017S"],
        )
        assert row[7][-1]["time"] == row[3] and row[3].minute in (20, 21, 24)


def test_spark_protects_trips_as_duckdb_does(both: dict[str, Any]) -> None:
    assert both["spark_rows"] == both["duckdb_rows"]
    assert both["types"][0] == both["types"][1]  # same column types, TripInformation included
    duck_report, spark_report = both["reports"]
    assert spark_report == duck_report
    assert spark_report["suppressed_rows"] > 0 and spark_report["coarsened_rows"] > 0
    assert spark_report["rows_out"] == len(both["spark_rows"])
    assert both["spark_classes"] >= K
    assert spark_report["verification"]["smallest_class"] >= K
    times = [
        (t, row[8])
        for row in both["spark_rows"]
        for t in (row[1], row[3], *(p["time"] for p in row[7]))
    ]
    assert all((t.hour * 60 + t.minute) % grain == 0 and t.second == 0 for t, grain in times)
    assert {grain for _, grain in times} >= {15, 60}


@pytest.mark.parametrize("grain", ["1 minute", "15 minutes", "90 minutes", "hour", "5 hours"])
def test_spark_floor_is_duckdb_time_bucket(settings: Settings, grain: str) -> None:
    stamps = ["2024-03-25 08:07:11", "1999-12-31 23:59:59.5", "2016-06-06 00:00:00"]
    parsed = parse_grain(grain)
    values = ", ".join(f"(TIMESTAMP '{s}')" for s in stamps)
    duck = duckdb.sql(
        f"SELECT time_bucket({parsed.duckdb_interval}, t) FROM (VALUES {values}) v(t) ORDER BY t"
    ).fetchall()
    spark_values = ", ".join(f"(TIMESTAMP_NTZ'{s}')" for s in stamps)
    floored = floor_spark_sql("t", parsed.microseconds)
    spark = (
        spark_session(settings)
        .sql(f"SELECT {floored} FROM VALUES {spark_values} AS v(t) ORDER BY t")
        .collect()
    )
    assert [tuple(row) for row in spark] == duck


def test_import_freeway_on_spark_publishes_protected_trips(
    trips: Path, settings: Settings, both: dict[str, Any]
) -> None:
    result = import_freeway(settings, trips, engine="spark")
    (m06a,) = [r for r in result.resources if r.code == "M06A"]
    duck_report = both["reports"][0]
    assert m06a.rows == duck_report["rows_out"]
    assert m06a.problem_count == 5
    assert m06a.days_written == ["2024-03-25", "2024-03-26"]
    store = VersionStore(settings)
    manifest = store.read_manifest(m06a.resource, m06a.version)
    assert manifest["screening"] == duck_report
    with open_catalog(settings) as catalog:
        rows = run_sql(
            f"SELECT {COLUMNS} FROM {m06a.resource} ORDER BY ALL",
            resolver=catalog_resolver(catalog, store),
            settings=settings,
            max_rows=100_000,
        ).rows
    assert [tuple(r) for r in rows] == both["duckdb_rows"]
