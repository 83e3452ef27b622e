"""Scale-out benchmark: the freeway analyses and the M06A trip import on DuckDB and on a Spark
standalone cluster (one master, one worker on 127.0.0.1), over the same generated TDCS
history, in one run.

    python benchmarks/bench_scaleout.py --days 7 --scale 0.25 --spark-cores 2
    python benchmarks/bench_scaleout.py --parts trips --trip-days 2 --trips-per-day 200000

Analyses: generates M03A and M05A under benchmarks/data/scaleout (kept between runs for the
same plan), imports them to Parquet with both engines (DuckDB COPY; Spark CSV -> Parquet),
then runs each analysis in kaifang.sources.freeway.spark.ANALYSES on both (best of --repeat)
through the real query engines (QueryEngine, SparkEngine). Prints a Markdown table and rows/s
per core.

Overhead (``--parts overhead``): on a warm :class:`SparkEngine`, a grouped count over a
1 M-row Parquet file through ``run_sql`` (guard, transpile, a session with its temp view,
collect, plain values) against Spark's own execution of the same SQL on a view registered
once (``spark.sql(...).collect()``), alternating, medians of ``--repeat`` runs; the
difference is kaifang's overhead per Spark query (issue 22: at most 2 s).

Trips: generates M06A (--trip-days days of --trips-per-day trips) and runs the whole
``import_freeway`` (parse, protect, verify, publish partitioned by day) with engine duckdb and
engine spark into fresh data folders, checking both publish the same rows and report; then
the publish step alone on the trips Spark wrote: DuckDB reading them back and writing the
version vs the store adopting Spark's files.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from kaifang.catalog.db import open_catalog  # noqa: E402
from kaifang.publish.adopted import PartitionedFiles, publish_files  # noqa: E402
from kaifang.publish.relation import RelationSpec, publish_relation  # noqa: E402
from kaifang.query import QueryEngine  # noqa: E402
from kaifang.query.spark_engine import SparkEngine  # noqa: E402
from kaifang.query.spark_session import spark_session  # noqa: E402
from kaifang.settings import Settings, load_settings  # noqa: E402
from kaifang.sources.freeway import catalog_entries as entries  # noqa: E402
from kaifang.sources.freeway.generate import FreewayPlan, generate_freeway  # noqa: E402
from kaifang.sources.freeway.importer import import_freeway  # noqa: E402
from kaifang.sources.freeway.spark import (  # noqa: E402
    ANALYSES,
    import_freeway_spark,
    tdcs_duckdb_sql,
    tdcs_files,
)
from kaifang.sources.freeway.spark_trips import protect_trips_spark  # noqa: E402
from kaifang.storage import AdoptedFile  # noqa: E402

CODES = ("M03A", "M05A")


def best_of(repeat: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def trips_data(days: int, trips_per_day: int) -> Path:
    """Generated M06A days (kept between runs of the same plan)."""
    data = ROOT / "benchmarks" / "data" / "scaleout" / f"trips-d{days}-t{trips_per_day}"
    if not (data / "M06A").exists():
        plan = FreewayPlan(
            start=date(2024, 3, 25), days=days, datasets=("M06A",), trips_per_day=trips_per_day
        )
        generate_freeway(data, plan)
    return data


def import_trips(settings: Settings, data: Path, repeat: int) -> list[str]:
    """``import_freeway`` of the generated trips with each engine into a fresh data folder
    (best of ``repeat``); returns the report lines (seconds, rows, screening) and checks both
    engines agree. The Spark session is started first; each import's time includes
    publishing the small gantry table."""
    outcomes = {}
    spark_session(settings).sql("SELECT 1").collect()  # the JVM starts before the clock does
    for engine in ("duckdb", "spark"):
        target = data / f"kaifang-{engine}"
        times = []
        for _ in range(repeat):
            shutil.rmtree(target, ignore_errors=True)
            started = time.perf_counter()
            result = import_freeway(
                settings.replace(data_dir=target), data, engine=engine, accept_utility_loss=True
            )
            times.append(time.perf_counter() - started)
        (m06a,) = [r for r in result.resources if r.code == "M06A"]
        outcomes[engine] = (times, m06a)
    duck, spark = outcomes["duckdb"][1], outcomes["spark"][1]
    if (duck.rows, duck.screening) != (spark.rows, spark.screening):
        raise SystemExit(f"engines disagree: {duck.rows} vs {spark.rows} rows published")
    size = sum(f.stat().st_size for f in (data / "M06A").rglob("*.csv"))
    rows_in = int(duck.screening["rows_in"])
    lines = [
        f"trips: {rows_in:,} trips in {duck.files} files ({size / 1e6:,.0f} MB of CSV), "
        f"{duck.rows:,} published, {duck.screening['suppressed_rows']:,} suppressed "
        f"(k = {settings.k_anonymity}, grain {settings.freeway_trip_time_grain})",
        "| engine | import M06A s (best) | trips/s | every run s |",
        "|---|---:|---:|---|",
    ]
    for engine, (times, _) in outcomes.items():
        runs = ", ".join(f"{t:.1f}" for t in times)
        lines.append(f"| {engine} | {min(times):.1f} | {rows_in / min(times):,.0f} | {runs} |")
    return lines


def analyses_duckdb(
    args: argparse.Namespace,
) -> tuple[Path, dict[str, int], dict[str, list[str]], float]:
    """Generate M03A/M05A and import them with DuckDB: the data folder, rows per dataset,
    DuckDB's Parquet files per table and the import seconds."""
    data = ROOT / "benchmarks" / "data" / "scaleout" / f"d{args.days}-s{args.scale}"
    if not (data / "M03A").exists():
        plan = FreewayPlan(
            start=date(2024, 3, 25), days=args.days, datasets=CODES, scale=args.scale
        )
        generate_freeway(data, plan)
    rows = {}
    duck_files: dict[str, list[str]] = {}
    con = duckdb.connect(config={"threads": args.duckdb_threads})
    started = time.perf_counter()
    for code in CODES:
        target = data / f"{code}-duckdb.parquet"
        con.execute(
            f"COPY ({tdcs_duckdb_sql(code, tdcs_files(data, code))}) TO '{target}' "
            "(FORMAT parquet, COMPRESSION zstd)"
        )
        duck_files[code.lower()] = [str(target)]
        rows[code] = con.execute(f"SELECT count(*) FROM '{target}'").fetchall()[0][0]
    duck_import = time.perf_counter() - started
    con.close()
    return data, rows, duck_files, duck_import


def analyses_spark(args: argparse.Namespace, settings: Settings) -> list[str]:
    """The analyses part on both engines (DuckDB's import first); the report lines."""
    data, rows, duck_files, duck_import = analyses_duckdb(args)
    started = time.perf_counter()
    imported = import_freeway_spark(settings, data, datasets=CODES, out_dir=data / "spark")
    spark_import = time.perf_counter() - started
    spark_files = {
        code.lower(): sorted(str(p) for p in f.glob("part-*.parquet"))
        for code, f in imported.folders.items()
    }
    spark = SparkEngine(settings)
    spark.run_sql("SELECT count(*) FROM m03a", resolver=spark_files.get)  # warm executors
    results = []
    with QueryEngine(settings, allowed_directories=[data]) as duck:
        for name, sql in ANALYSES.items():
            table_rows = rows["M05A" if "m05a" in sql else "M03A"]
            d = best_of(args.repeat, lambda q=sql: duck.run_sql(q, resolver=duck_files.get))
            s = best_of(args.repeat, lambda q=sql: spark.run_sql(q, resolver=spark_files.get))
            results.append((name, table_rows, d, s))
    total = sum(rows.values())
    lines = [
        f"history: {args.days} days, scale {args.scale}: "
        + ", ".join(f"{c} {n:,} rows" for c, n in rows.items()),
        f"import CSV -> Parquet ({total:,} rows): DuckDB {duck_import:.2f} s "
        f"({total / duck_import / args.duckdb_threads:,.0f} rows/s/core), "
        f"Spark {spark_import:.2f} s ({total / spark_import / args.spark_cores:,.0f} rows/s/core)",
        "| analysis | rows scanned | DuckDB s | Spark s | DuckDB rows/s/core | Spark rows/s/core |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, n, d, s in results:
        lines.append(
            f"| {name} | {n:,} | {d:.3f} | {s:.3f} | {n / d / args.duckdb_threads:,.0f} | "
            f"{n / s / args.spark_cores:,.0f} |"
        )
    return lines


OVERHEAD_SQL = "SELECT grp, count(*) AS n, avg(x) AS mean FROM overhead GROUP BY grp ORDER BY grp"


def query_overhead(settings: Settings, repeat: int) -> list[str]:
    """kaifang's cost per query on a warm Spark session over Spark's own execution time."""
    import statistics

    folder = ROOT / "benchmarks" / "data" / "scaleout" / "overhead"
    folder.mkdir(parents=True, exist_ok=True)
    parquet = folder / "overhead.parquet"
    if not parquet.exists():
        duckdb.execute(
            "COPY (SELECT i % 97 AS grp, hash(i) % 1000 AS x FROM range(1000000) r(i)) "
            f"TO '{parquet}' (FORMAT parquet)"
        )
    files = {"overhead": [str(parquet)]}
    engine = SparkEngine(settings)
    began = time.perf_counter()
    engine.run_sql(OVERHEAD_SQL, resolver=files.get)  # starts and warms the session
    cold = time.perf_counter() - began
    bare = engine.spark.newSession()
    bare.read.parquet(str(parquet)).createOrReplaceTempView("overhead")
    bare.sql(OVERHEAD_SQL).collect()
    kaifang_runs, spark_runs = [], []
    for _ in range(max(repeat, 5)):
        kaifang_runs.append(best_of(1, lambda: engine.run_sql(OVERHEAD_SQL, resolver=files.get)))
        spark_runs.append(best_of(1, lambda: bare.sql(OVERHEAD_SQL).collect()))
    k, s = statistics.median(kaifang_runs), statistics.median(spark_runs)
    return [
        f"Spark query overhead (1,000,000 rows, {len(kaifang_runs)} alternating runs, medians): "
        f"first query with start-up {cold:.2f} s; on the warm session kaifang run_sql "
        f"{k:.3f} s, Spark's own execution {s:.3f} s, overhead {k - s:.3f} s "
        f"(runs: kaifang {', '.join(f'{v:.2f}' for v in kaifang_runs)}; "
        f"Spark {', '.join(f'{v:.2f}' for v in spark_runs)})"
    ]


def publish_step(settings: Settings, data: Path, repeat: int) -> list[str]:
    """The publish step alone, on the same protected trips Spark wrote (partitioned by day,
    sorted): DuckDB reading them back (fingerprints, sort, write_version; the path before
    Spark wrote the versions) vs the store adopting Spark's files (publish_files). Each run
    publishes a fresh copy of the files into a fresh data folder (the copy is not timed)."""
    files = [Path(f) for f in tdcs_files(data, "M06A")]
    work = data / "publish-step"
    shutil.rmtree(work, ignore_errors=True)
    order = ("GantryID_O", "DetectionTime_O")
    trips = protect_trips_spark(
        settings, files, work / "spark", order_by=order, accept_utility_loss=True
    )
    spec = RelationSpec(
        org=entries.ORG_CODE,
        title=entries.dataset_title("M06A"),
        resource=entries.resource_name("M06A"),
        fields=entries.dataset_fields("M06A"),
        metadata=entries.dataset_metadata("M06A"),
        partition_by="Date",
        order_by=order,
        source_file=f"{len(files)} M06A files",
        screening=trips.report,
    )
    names = ", ".join(f["name"] for f in spec.fields)
    times: dict[str, list[float]] = {"duckdb": [], "adopt": []}
    for run in range(repeat):
        for method in times:
            copy = work / f"{method}-{run}"
            shutil.copytree(trips.folder, copy / "files")
            target = settings.replace(data_dir=copy / "data")
            with open_catalog(target) as catalog:
                entries.ensure_organization(catalog, entries.ORG_CODE)
            started = time.perf_counter()
            if method == "duckdb":
                con = duckdb.connect(config={"threads": target.query_threads})
                scan = f"read_parquet('{copy / 'files' / '*' / '*.parquet'}')"
                con.execute(f"CREATE VIEW trips AS SELECT {names} FROM {scan}")
                result = publish_relation(target, con.table("trips"), spec)
                con.close()
            else:
                moved = [
                    AdoptedFile(
                        str(copy / "files" / Path(f.source).relative_to(trips.folder)), f.partition
                    )
                    for f in trips.written.files
                ]
                written = PartitionedFiles(
                    moved, trips.written.fingerprints, trips.written.source_format
                )
                result = publish_files(target, written, spec)
            times[method].append(time.perf_counter() - started)
            if result.rows != trips.report["rows_out"]:
                raise SystemExit(f"{method}: {result.rows} rows published")
    rows = result.rows
    lines = [
        f"publish step: {rows:,} protected trips in {len(trips.written.files)} day files",
        "| publish | best s | trips/s | every run s |",
        "|---|---:|---:|---|",
    ]
    for method, runs in times.items():
        every = ", ".join(f"{t:.2f}" for t in runs)
        lines.append(f"| {method} | {min(runs):.2f} | {rows / min(runs):,.0f} | {every} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=7, help="Days of history to generate.")
    parser.add_argument("--scale", type=float, default=0.25, help="Share of the gantry network.")
    parser.add_argument("--spark-cores", type=int, default=2, help="Cores of the Spark worker.")
    parser.add_argument("--duckdb-threads", type=int, default=2, help="DuckDB threads.")
    parser.add_argument("--repeat", type=int, default=3, help="Runs per analysis (best kept).")
    parser.add_argument(
        "--parts",
        choices=("all", "analyses", "trips", "overhead"),
        default="all",
        help="What to measure: the analyses, the M06A trip import, both, or the per-query "
        "overhead of kaifang on a warm Spark session.",
    )
    parser.add_argument("--trip-days", type=int, default=2, help="Days of M06A trips.")
    parser.add_argument(
        "--trips-per-day", type=int, default=200_000, help="M06A trips per generated day."
    )
    args = parser.parse_args()
    with_trips = args.parts in ("all", "trips")
    trips = trips_data(args.trip_days, args.trips_per_day) if with_trips else None

    cluster = ROOT / "scripts" / "spark-test-cluster"
    env = {**os.environ, "KAIFANG_PYTHON": sys.executable, "SPARK_LOCAL_IP": "127.0.0.1"}
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    up = subprocess.run(
        [str(cluster), "start", str(args.spark_cores), "3g"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        timeout=300,
    )
    master, folder = up.stdout.split()[:2]
    lines: list[str] = []
    try:
        settings = load_settings(
            {},
            data_dir=ROOT / "benchmarks" / "data" / "scaleout" / "kaifang",
            spark_master=master,
            query_timeout=3600.0,
            spark_query_timeout=3600.0,
            query_threads=args.duckdb_threads,
            query_memory_limit="4GB",
        )
        if args.parts == "overhead":
            lines += query_overhead(settings, args.repeat)
        if args.parts in ("all", "analyses"):
            lines += analyses_spark(args, settings)
        if trips is not None:
            lines += import_trips(settings, trips, args.repeat)
            lines += publish_step(settings, trips, args.repeat)
        spark_session(settings).stop()
    finally:
        subprocess.run([str(cluster), "stop", folder], check=False, timeout=120)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
