"""Scale-out benchmark: the freeway analyses on DuckDB and on a Spark standalone cluster
(one master, one worker on 127.0.0.1), over the same generated TDCS history, in one run.

    python benchmarks/bench_scaleout.py --days 7 --scale 0.25 --spark-cores 2

Generates M03A and M05A under benchmarks/data/scaleout (kept between runs for the same plan),
imports them to Parquet with both engines (DuckDB COPY; Spark CSV -> Parquet), then runs each
analysis in kaifang.scaleout.freeway.ANALYSES on both (best of --repeat) through the real query
engines (QueryEngine, SparkEngine). Prints a Markdown table and rows/s per core.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from kaifang.query import QueryEngine  # noqa: E402
from kaifang.query.spark_engine import SparkEngine  # noqa: E402
from kaifang.scaleout.freeway import (  # noqa: E402
    ANALYSES,
    import_freeway_spark,
    tdcs_duckdb_sql,
    tdcs_files,
)
from kaifang.scaleout.session import spark_session  # noqa: E402
from kaifang.settings import load_settings  # noqa: E402
from kaifang.sources.freeway.generate import FreewayPlan, generate_freeway  # noqa: E402

CODES = ("M03A", "M05A")


def best_of(repeat: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=7, help="Days of history to generate.")
    parser.add_argument("--scale", type=float, default=0.25, help="Share of the gantry network.")
    parser.add_argument("--spark-cores", type=int, default=2, help="Cores of the Spark worker.")
    parser.add_argument("--duckdb-threads", type=int, default=2, help="DuckDB threads.")
    parser.add_argument("--repeat", type=int, default=3, help="Runs per analysis (best kept).")
    args = parser.parse_args()

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
    try:
        settings = load_settings(
            {},
            data_dir=data / "kaifang",
            spark_master=master,
            query_timeout=3600.0,
            query_threads=args.duckdb_threads,
            query_memory_limit="4GB",
        )
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
        spark_session(settings).stop()
    finally:
        subprocess.run([str(cluster), "stop", folder], check=False, timeout=120)

    total = sum(rows.values())
    print(
        f"history: {args.days} days, scale {args.scale}: "
        + ", ".join(f"{c} {n:,} rows" for c, n in rows.items())
    )
    print(
        f"import CSV -> Parquet ({total:,} rows): DuckDB {duck_import:.2f} s "
        f"({total / duck_import / args.duckdb_threads:,.0f} rows/s/core), "
        f"Spark {spark_import:.2f} s ({total / spark_import / args.spark_cores:,.0f} rows/s/core)"
    )
    print(
        "| analysis | rows scanned | DuckDB s | Spark s | DuckDB rows/s/core | Spark rows/s/core |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for name, n, d, s in results:
        print(
            f"| {name} | {n:,} | {d:.3f} | {s:.3f} | {n / d / args.duckdb_threads:,.0f} | "
            f"{n / s / args.spark_cores:,.0f} |"
        )


if __name__ == "__main__":
    main()
