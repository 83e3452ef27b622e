"""Screening throughput in cells per second on a petitions-like table (9 columns: case number,
name, national ID, phone, e-mail, address, subject, free text with a phone in 1 row in 100,
date; nearly every value distinct): kaifang's ``screen`` over every row against Presidio
(``presidio_setup.py``, the bench extra) over the first ``--presidio-rows``, in the same run.

    python benchmarks/bench_screen_text.py --rows 200000 --presidio-rows 300 --repeats 2

Cells per second = rows × columns / seconds; both wall-clock and CPU seconds (all threads)
are reported, since the machine is shared. Results go to benchmarks/results/screen_text.json.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from privacy_corpus import Faker

from kaifang.privacy import screen
from kaifang.settings import load_settings

HERE = Path(__file__).resolve().parent
TOPICS = [
    "路燈故障已多日",
    "垃圾清運時間不固定",
    "公園遊具損壞",
    "道路坑洞造成危險",
    "違規停車嚴重",
]


def petitions(rows: int, seed: int = 11) -> pa.Table:
    f = Faker(seed)
    columns: dict[str, list[str]] = {
        name: []
        for name in (
            "案號",
            "陳情人",
            "身分證字號",
            "聯絡電話",
            "電子郵件",
            "地址",
            "陳情主旨",
            "陳情內容",
            "受理日期",
        )
    }
    for i in range(rows):
        topic = f.r.choice(TOPICS)
        body = (
            f"{topic}，地點在{f.r.randint(1, 900)}號附近，已持續{f.r.randint(2, 60)}天，請儘速處理"
        )
        if f.r.randrange(100) == 0:
            body += f"，聯絡方式 {f.mobile()}"
        row = (
            f"1130{i:07d}",
            f.name(),
            f.national_id(),
            f.phone(),
            f"user{i}@example.com.tw",
            f.address(),
            f"{topic}（第{i}號）",
            body,
            f.roc_date(),
        )
        for name, value in zip(columns, row, strict=True):
            columns[name].append(value)
    return pa.table(columns)


def timed(run: Any) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = run()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def figures(table: pa.Table, wall: float, cpu: float) -> dict[str, Any]:
    cells = table.num_rows * table.num_columns
    return {
        "cells": cells,
        "wall_seconds": round(wall, 3),
        "cpu_seconds": round(cpu, 3),
        "cells_per_second_wall": round(cells / wall),
        "cells_per_cpu_second": round(cells / cpu),
    }


def run_kaifang(table: pa.Table, repeats: int) -> dict[str, Any]:
    settings = load_settings({}, data_dir=HERE / "data" / "screen_text")
    con = duckdb.connect()
    relation = con.from_arrow(table)
    runs = [timed(lambda: screen(relation, settings=settings, table_name="petitions"))]
    runs += [timed(lambda: screen(relation, settings=settings)) for _ in range(repeats - 1)]
    report, wall, cpu = min(runs, key=lambda r: r[1])
    return {
        **figures(table, wall, cpu),
        "verdicts": {c.name: [c.category, c.detectors] for c in report.columns},
    }


def run_presidio(table: pa.Table, rows: int) -> dict[str, Any]:
    from presidio_setup import build_analyzer

    analyzer = build_analyzer()
    part = table.slice(0, rows)

    def analyze() -> None:
        for name in part.column_names:
            values = [v for v in part.column(name).to_pylist() if v]
            for _ in analyzer.analyze_iterator(values, language="zh", context=[name]):
                pass

    _, wall, cpu = timed(analyze)
    return figures(part, wall, cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--presidio-rows", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=2, help="timed kaifang runs (best kept)")
    parser.add_argument("--skip-presidio", action="store_true")
    args = parser.parse_args()
    table = petitions(args.rows)
    results: dict[str, Any] = {"rows": args.rows, "kaifang": run_kaifang(table, args.repeats)}
    if not args.skip_presidio:
        results["presidio"] = run_presidio(table, args.presidio_rows)
    out = HERE / "results" / "screen_text.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
