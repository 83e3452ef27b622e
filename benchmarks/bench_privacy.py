"""Personal-data screening: kaifang vs Microsoft Presidio on a labeled Taiwanese corpus, and
kaifang's scan of a 10-million-row Parquet table vs DuckDB running one regex per column.

    python benchmarks/bench_privacy.py                      # everything (needs the bench extra)
    python benchmarks/bench_privacy.py --big-rows 1000000   # a smaller scale test
    python benchmarks/bench_privacy.py --skip-presidio --skip-big

Data is generated under benchmarks/data/ (git-ignored); results go to
benchmarks/results/privacy.json and are summarized on stdout.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from privacy_corpus import LabeledTable, corpus

from kaifang.privacy import gate, screen
from kaifang.settings import load_settings

HERE = Path(__file__).resolve().parent
DIRECT = "direct_identifier"


def run_both(tables: list[LabeledTable], presidio_rows: int, with_presidio: bool) -> dict[str, Any]:
    """Screen each table with kaifang, then the same table with Presidio, so both see the
    same machine load; wall-clock and CPU seconds are both recorded."""
    settings = load_settings({}, data_dir=HERE / "data" / "privacy")
    con = duckdb.connect()
    analyzer = None
    if with_presidio:
        from presidio_setup import build_analyzer

        analyzer = build_analyzer()
    runs: dict[str, Any] = {
        tool: {"predictions": {}, "wall": 0.0, "cpu": 0.0, "rows": 0}
        for tool in ("kaifang", "presidio")
    }
    for table in tables:
        rel = con.from_arrow(pa.table({c.name: c.values for c in table.columns}))
        wall, cpu = time.perf_counter(), time.process_time()
        report = screen(rel, settings=settings, table_name=table.name)
        kaifang = runs["kaifang"]
        kaifang["wall"] += time.perf_counter() - wall
        kaifang["cpu"] += time.process_time() - cpu
        kaifang["rows"] += table.rows
        blocking = {f.column for f in gate(report, None)}
        for col in report.columns:
            kaifang["predictions"][f"{table.name}.{col.name}"] = {
                "category": col.category,
                "detectors": set(col.detectors),
                "blocks": col.name in blocking or col.category == DIRECT,
            }
        if analyzer is not None:
            presidio = runs["presidio"]
            wall, cpu = time.perf_counter(), time.process_time()
            presidio["predictions"].update(presidio_table(analyzer, table, presidio_rows))
            presidio["wall"] += time.perf_counter() - wall
            presidio["cpu"] += time.process_time() - cpu
            presidio["rows"] += min(presidio_rows, table.rows)
    return runs


def presidio_table(analyzer: Any, table: LabeledTable, rows: int) -> dict[str, Any]:
    from presidio_setup import ENTITY_TO_DETECTOR

    predictions: dict[str, Any] = {}
    for col in table.columns:
        values = [v for v in col.values[:rows] if v]
        hits: dict[str, int] = defaultdict(int)
        for cell in analyzer.analyze_iterator(
            values, language="zh", batch_size=64, context=[col.name]
        ):
            for name in {
                ENTITY_TO_DETECTOR[r.entity_type]
                for r in cell
                if r.entity_type in ENTITY_TO_DETECTOR
            }:
                hits[name] += 1
        # Same column rule as kaifang's strong detectors: 0.5 % of the cells.
        fired = {n for n, h in hits.items() if h >= max(1, 0.005 * len(values))}
        predictions[f"{table.name}.{col.name}"] = {
            "category": DIRECT if fired else "none",
            "detectors": fired,
            "blocks": bool(fired),
        }
    return predictions


def score(tables: list[LabeledTable], predictions: dict[str, Any]) -> dict[str, Any]:
    direct_total = direct_found = none_total = none_blocking = correct = columns = 0
    missed: list[str] = []
    false_blocks: list[str] = []
    per_detector: dict[str, dict[str, int]] = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0})
    for table in tables:
        for col in table.columns:
            key = f"{table.name}.{col.name}"
            pred = predictions[key]
            columns += 1
            correct += pred["category"] == col.category
            if col.category == DIRECT:
                direct_total += 1
                if pred["category"] == DIRECT:
                    direct_found += 1
                else:
                    missed.append(key)
            if col.category == "none":
                none_total += 1
                if pred["blocks"]:
                    none_blocking += 1
                    false_blocks.append(key)
            for name in pred["detectors"] | col.detectors:
                cell = per_detector[name]
                if name in pred["detectors"] and name in col.detectors:
                    cell["tp"] += 1
                elif name in pred["detectors"]:
                    cell["fp"] += 1
                else:
                    cell["fn"] += 1
    detectors = {
        name: {
            **cell,
            "precision": round(cell["tp"] / max(1, cell["tp"] + cell["fp"]), 3),
            "recall": round(cell["tp"] / max(1, cell["tp"] + cell["fn"]), 3),
        }
        for name, cell in sorted(per_detector.items())
    }
    return {
        "direct_recall": round(direct_found / max(1, direct_total), 4),
        "direct_columns": direct_total,
        "missed_direct": missed,
        "none_columns": none_total,
        "none_blocking": none_blocking,
        "false_blocks": false_blocks,
        "category_accuracy": round(correct / columns, 4),
        "detectors": detectors,
    }


def big_table(path: Path, rows: int) -> None:
    """A 6-column table with text columns, written by DuckDB straight to Parquet."""
    if path.exists() and duckdb.sql(f"SELECT count(*) FROM '{path}'").fetchall()[0][0] == rows:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    surname = "['陳','林','黃','張','李','王'][1 + i % 6]"
    given = "['志明','美玲','建宏','雅婷','家豪'][1 + (i // 7) % 5]"
    phone_tail = "lpad(CAST(i % 1000 AS VARCHAR), 3, '0')"
    select = f"""SELECT
        i AS 案號,
        {surname} || {given} AS 姓名,
        '09' || lpad(CAST(hash(i) % 100000000 AS VARCHAR), 8, '0') AS 手機,
        CASE WHEN i % 100 = 0 THEN '請回電 0912-345-' || {phone_tail} || ' 謝謝'
             ELSE '路燈故障已多日，請儘速派員修復，案件編號 ' || CAST(i AS VARCHAR) END
          AS 陳情內容,
        ['中正區','大安區','信義區','中山區','松山區'][1 + i % 5] AS 行政區,
        strftime(TIMESTAMP '2024-01-01' + to_seconds(i % 31536000), '%Y-%m-%d %H:%M:%S')
          AS 受理時間
        FROM range({rows}) t(i)"""
    duckdb.sql(f"COPY ({select}) TO '{path}' (FORMAT parquet, COMPRESSION zstd)")


BASELINE_REGEX = {
    "案號": "^[0-9]+$",
    "姓名": "^[陳林黃張李王][\u4e00-\u9fff]{1,2}$",
    "手機": "09[0-9]{2}-?[0-9]{3}-?[0-9]{3}",
    "陳情內容": "09[0-9]{2}-[0-9]{3}-[0-9]{3}",
    "行政區": "(區|鄉|鎮|市)$",
    "受理時間": "^[0-9]{4}-[0-9]{2}-[0-9]{2}",
}


def run_big(rows: int, repeats: int) -> dict[str, Any]:
    path = HERE / "data" / f"privacy_big_{rows}.parquet"
    start = time.perf_counter()
    big_table(path, rows)
    generate = time.perf_counter() - start
    con = duckdb.connect()
    regex_sql = ", ".join(
        f"count_if(regexp_matches(CAST(\"{col}\" AS VARCHAR), '{rx}'))"
        for col, rx in BASELINE_REGEX.items()
    )
    baseline, scan = [], []
    settings = load_settings({}, data_dir=HERE / "data" / "privacy")
    report = None
    for _ in range(repeats):
        start = time.perf_counter()
        con.execute(f"SELECT {regex_sql} FROM read_parquet('{path}')").fetchall()
        baseline.append(time.perf_counter() - start)
        start = time.perf_counter()
        report = screen(con.read_parquet(str(path)), settings=settings, table_name=path.name)
        scan.append(time.perf_counter() - start)
    assert report is not None
    return {
        "rows": rows,
        "generate_seconds": round(generate, 2),
        "duckdb_regex_seconds": round(min(baseline), 3),
        "kaifang_scan_seconds": round(min(scan), 3),
        "ratio": round(min(scan) / min(baseline), 2),
        "categories": {c.name: c.category for c in report.columns},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=3000, help="rows per corpus table")
    parser.add_argument(
        "--presidio-rows",
        type=int,
        default=1000,
        help="rows per table Presidio analyzes (it is slow)",
    )
    parser.add_argument("--big-rows", type=int, default=10_000_000)
    parser.add_argument("--repeats", type=int, default=2, help="timed runs of the big scan")
    parser.add_argument("--skip-presidio", action="store_true")
    parser.add_argument("--skip-big", action="store_true")
    args = parser.parse_args()

    tables = corpus(args.rows)
    results: dict[str, Any] = {"tables": len(tables), "rows_per_table": args.rows}
    runs = run_both(tables, args.presidio_rows, not args.skip_presidio)
    for tool, run in runs.items():
        if not run["rows"]:
            continue
        results[tool] = {
            **score(tables, run["predictions"]),
            "rows": run["rows"],
            "wall_seconds": round(run["wall"], 3),
            "cpu_seconds": round(run["cpu"], 3),
            "wall_us_per_row": round(run["wall"] / run["rows"] * 1e6, 2),
            "cpu_us_per_row": round(run["cpu"] / run["rows"] * 1e6, 2),
        }
    if "presidio" in results:
        for clock in ("wall", "cpu"):
            results[f"speedup_{clock}"] = round(
                results["presidio"][f"{clock}_us_per_row"]
                / results["kaifang"][f"{clock}_us_per_row"],
                1,
            )
    if not args.skip_big:
        results["big"] = run_big(args.big_rows, args.repeats)
    out = HERE / "results" / "privacy.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    summarize(results)


def summarize(results: dict[str, Any]) -> None:
    for tool in ("kaifang", "presidio"):
        if tool not in results:
            continue
        r = results[tool]
        print(
            f"{tool:9} direct-identifier column recall {r['direct_recall']:.1%} "
            f"({r['direct_columns']} columns), none columns blocking {r['none_blocking']}/"
            f"{r['none_columns']}, category accuracy {r['category_accuracy']:.1%}, "
            f"{r['wall_us_per_row']} µs/row wall, {r['cpu_us_per_row']} µs/row CPU over "
            f"{r['rows']} rows"
        )
        if r["missed_direct"]:
            print(f"          missed: {', '.join(r['missed_direct'])}")
        if r["false_blocks"]:
            print(f"          false blocks: {', '.join(r['false_blocks'])}")
        for name, d in r["detectors"].items():
            print(f"          {name:24} precision {d['precision']:.2f} recall {d['recall']:.2f}")
    if "speedup_wall" in results:
        print(
            f"kaifang per row vs Presidio: {results['speedup_wall']}x faster (wall clock), "
            f"{results['speedup_cpu']}x less CPU"
        )
    if "big" in results:
        b = results["big"]
        print(
            f"{b['rows']:,} rows x 6 columns: DuckDB one regex per column "
            f"{b['duckdb_regex_seconds']} s, kaifang scan {b['kaifang_scan_seconds']} s "
            f"(ratio {b['ratio']})"
        )


if __name__ == "__main__":
    main()
