"""Freeway TDCS: import and traffic analyses, kaifang vs PostgreSQL (COPY) vs SQLite.

Generates N days of M03A, M04A and M05A at full network scale (about 1.4 M rows a day) under
benchmarks/data/, then, in the same run on the same files:

- kaifang: ``kaifang import freeway DIR`` in a child process (wall time, rows/s, peak RSS),
  then the analyses through ``Portal.freeway`` (the code behind /api/analyses/freeway/*);
- PostgreSQL: a throwaway server (scripts/pg-test-server), typed tables loaded with COPY,
  then the indexes a careful DBA would add and ANALYZE;
- SQLite: typed tables loaded with executemany in one transaction (journal off), the same
  indexes, ANALYZE.

Each analysis runs ``--repeat`` times per engine; p50 and p99 are reported in milliseconds.

    python benchmarks/bench_freeway.py --days 30
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kaifang.service import Service  # noqa: E402
from kaifang.settings import load_settings  # noqa: E402
from kaifang.sources.freeway.generate import FreewayPlan, generate_freeway  # noqa: E402

START = date(2024, 3, 25)
DATASETS = ("M03A", "M04A", "M05A")
TABLES = {
    "m03a": "timeinterval TIMESTAMP, gantryid TEXT, direction TEXT, vehicletype TEXT, "
    "volume INTEGER",
    "m04a": "timeinterval TIMESTAMP, gantryfrom TEXT, gantryto TEXT, vehicletype TEXT, "
    "traveltime INTEGER, volume INTEGER",
    "m05a": "timeinterval TIMESTAMP, gantryfrom TEXT, gantryto TEXT, vehicletype TEXT, "
    "spacemeanspeed INTEGER, volume INTEGER",
}
INDEXES = (
    "CREATE INDEX m03a_gantry_time ON m03a (gantryid, timeinterval)",
    "CREATE INDEX m03a_time ON m03a (timeinterval)",
    "CREATE INDEX m04a_pair_time ON m04a (gantryfrom, gantryto, timeinterval)",
    "CREATE INDEX m05a_pair_time ON m05a (gantryfrom, gantryto, timeinterval)",
    "CREATE INDEX m05a_time ON m05a (timeinterval)",
)


def generate(out: Path, days: int) -> dict[str, int]:
    marker = out / "plan.json"
    if marker.exists() and json.loads(marker.read_text())["days"] == days:
        return dict(json.loads(marker.read_text())["rows"])
    shutil.rmtree(out, ignore_errors=True)
    result = generate_freeway(out, FreewayPlan(start=START, days=days, datasets=DATASETS))
    marker.write_text(json.dumps({"days": days, "rows": result.rows}))
    return result.rows


def files_of(out: Path, code: str) -> list[Path]:
    return sorted((out / code).rglob("*.csv"))


def import_kaifang(out: Path, data_dir: Path) -> dict[str, float]:
    shutil.rmtree(data_dir, ignore_errors=True)
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "kaifang",
            "--data-dir",
            str(data_dir),
            "import",
            "freeway",
            str(out),
            "--json",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"seconds": seconds, "peak_rss_mb": peak_kb / 1024}


def load_postgres(url: str, out: Path) -> float:
    import psycopg

    started = time.perf_counter()
    with psycopg.connect(url.replace("postgresql+psycopg", "postgresql"), autocommit=True) as con:
        for name, columns in TABLES.items():
            con.execute(f"CREATE UNLOGGED TABLE {name} ({columns})")
            with con.cursor() as cur, cur.copy(f"COPY {name} FROM STDIN (FORMAT csv)") as copy:
                for file in files_of(out, name.upper()):
                    copy.write(file.read_bytes())
        for statement in INDEXES:
            con.execute(statement)
        con.execute("ANALYZE")
    return time.perf_counter() - started


def _sqlite_rows(files: list[Path]) -> Iterator[tuple[Any, ...]]:
    for file in files:
        with file.open(encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle):
                yield (row[0].replace("/", "-"), *row[1:4], *(int(v) for v in row[4:]))


def load_sqlite(path: Path, out: Path) -> float:
    path.unlink(missing_ok=True)
    started = time.perf_counter()
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode = OFF")
    con.execute("PRAGMA synchronous = OFF")
    for name, columns in TABLES.items():
        con.execute(f"CREATE TABLE {name} ({columns})")
        marks = ", ".join("?" * len(columns.split(",")))
        con.executemany(
            f"INSERT INTO {name} VALUES ({marks})", _sqlite_rows(files_of(out, name.upper()))
        )
        con.commit()
    for statement in INDEXES:
        con.execute(statement)
    con.execute("ANALYZE")
    con.commit()
    con.close()
    return time.perf_counter() - started


def timed(run: Callable[[], Any], repeat: int) -> dict[str, float]:
    run()  # warm-up, as a server would be
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {
        "p50_ms": statistics.median(samples),
        "p99_ms": samples[min(len(samples) - 1, round(0.99 * (len(samples) - 1)))],
    }


def pick_keys(out: Path) -> tuple[str, str, str]:
    """A gantry (M03A) and a section with traffic (M05A) that the generated network has."""
    with files_of(out, "M03A")[0].open(encoding="utf-8") as handle:
        gantry = next(csv.reader(handle))[1]
    with files_of(out, "M05A")[100].open(encoding="utf-8") as handle:
        row = next(r for r in csv.reader(handle) if int(r[5]) > 0 and r[1] != r[2])
    return gantry, row[1], row[2]


def analyses(day: date, keys: tuple[str, str, str]) -> dict[str, dict[str, Any]]:
    """Each analysis: kaifang call arguments and the peers' SQL (? placeholders)."""
    gantry, source, target = keys
    start = datetime(day.year, day.month, day.day)
    morning = (start + timedelta(hours=7), start + timedelta(hours=9))
    whole = (start, start + timedelta(days=1))
    week = (start - timedelta(days=6), start + timedelta(days=1))
    return {
        "volume: 1 gantry, 2 h": {
            "kaifang": ("volume", {"start": morning[0], "end": morning[1], "gantry": gantry}),
            "sql": "SELECT gantryid, {hour} AS hour, vehicletype, sum(volume) FROM m03a "
            "WHERE timeinterval >= ? AND timeinterval < ? AND gantryid = ? "
            "GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
            "params": [morning[0], morning[1], gantry],
        },
        "volume: 1 gantry, 7 days": {
            "kaifang": ("volume", {"start": week[0], "end": week[1], "gantry": gantry}),
            "sql": "SELECT gantryid, {hour} AS hour, vehicletype, sum(volume) FROM m03a "
            "WHERE timeinterval >= ? AND timeinterval < ? AND gantryid = ? "
            "GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
            "params": [week[0], week[1], gantry],
        },
        "travel: 1 pair, 1 day": {
            "kaifang": (
                "travel",
                {"gantry_from": source, "gantry_to": target, "start": whole[0], "end": whole[1]},
            ),
            "sql": "SELECT s.timeinterval, sum(s.volume), "
            "sum(s.spacemeanspeed * s.volume) * 1.0 / nullif(sum(s.volume), 0), "
            "sum(t.traveltime * s.volume) * 1.0 / nullif(sum(s.volume), 0) FROM m05a s "
            "JOIN m04a t ON t.timeinterval = s.timeinterval AND t.gantryfrom = s.gantryfrom "
            "AND t.gantryto = s.gantryto AND t.vehicletype = s.vehicletype "
            "WHERE s.timeinterval >= ? AND s.timeinterval < ? AND s.gantryfrom = ? "
            "AND s.gantryto = ? GROUP BY 1 ORDER BY 1",
            "params": [whole[0], whole[1], source, target],
        },
        "busiest sections: 1 day": {
            "kaifang": ("busiest_sections", {"day": day, "limit": 10}),
            "sql": "SELECT gantryfrom, gantryto, sum(volume) AS v, "
            "sum(spacemeanspeed * volume) * 1.0 / nullif(sum(volume), 0) FROM m05a "
            "WHERE timeinterval >= ? AND timeinterval < ? GROUP BY 1, 2 "
            "ORDER BY v DESC, 1, 2 LIMIT 10",
            "params": [whole[0], whole[1]],
        },
    }


def run_queries(
    service: Service,
    pg_url: str | None,
    sqlite_path: Path | None,
    day: date,
    keys: tuple[str, str, str],
    repeat: int,
) -> dict[str, dict[str, dict[str, float]]]:
    results: dict[str, dict[str, dict[str, float]]] = {}
    pg = None
    if pg_url:
        import psycopg

        pg = psycopg.connect(pg_url.replace("postgresql+psycopg", "postgresql"))
    lite = sqlite3.connect(sqlite_path) if sqlite_path else None
    for name, spec in analyses(day, keys).items():
        method, kwargs = spec["kaifang"]
        row = {
            "kaifang": timed(lambda m=method, k=kwargs: getattr(service.freeway, m)(**k), repeat)
        }
        if pg is not None:
            sql = spec["sql"].format(hour="date_trunc('hour', timeinterval)").replace("?", "%s")
            row["postgres"] = timed(
                lambda s=sql, p=spec["params"]: pg.execute(s, p).fetchall(), repeat
            )
        if lite is not None:
            sql = spec["sql"].format(hour="substr(timeinterval, 1, 13)")
            params = [
                p.strftime("%Y-%m-%d %H:%M") if isinstance(p, datetime) else p
                for p in spec["params"]
            ]
            row["sqlite"] = timed(lambda s=sql, p=params: lite.execute(s, p).fetchall(), repeat)
        results[name] = row
    if pg is not None:
        pg.close()
    if lite is not None:
        lite.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--days", type=int, default=30, help="days to generate (default 30)")
    parser.add_argument("--repeat", type=int, default=30, help="runs per analysis (default 30)")
    parser.add_argument("--no-postgres", action="store_true", help="skip PostgreSQL")
    parser.add_argument("--no-sqlite", action="store_true", help="skip SQLite")
    args = parser.parse_args()
    base = ROOT / "benchmarks" / "data" / "freeway"
    out = base / f"tdcs-{args.days}d"
    started = time.perf_counter()
    rows = generate(out, args.days)
    total = sum(rows.values())
    report: dict[str, Any] = {
        "days": args.days,
        "rows": rows,
        "generate_s": time.perf_counter() - started,
    }
    kaifang_load = import_kaifang(out, base / "kaifang-data")
    report["load"] = {
        "kaifang import": {**kaifang_load, "rows_per_s": total / kaifang_load["seconds"]}
    }
    pg_url, pg_dir = None, None
    if not args.no_postgres:
        started_pg = subprocess.run(
            [str(ROOT / "scripts" / "pg-test-server"), "start"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split("\n")
        pg_url, pg_dir = started_pg[0], started_pg[1]
    try:
        if pg_url:
            seconds = load_postgres(pg_url, out)
            report["load"]["postgres COPY + indexes"] = {
                "seconds": seconds,
                "rows_per_s": total / seconds,
            }
        sqlite_path = None
        if not args.no_sqlite:
            sqlite_path = base / "freeway.sqlite"
            seconds = load_sqlite(sqlite_path, out)
            report["load"]["sqlite executemany + indexes"] = {
                "seconds": seconds,
                "rows_per_s": total / seconds,
            }
        settings = load_settings({}, data_dir=base / "kaifang-data")
        service = Service(settings)
        try:
            day = START + timedelta(days=args.days - 1)
            report["queries"] = run_queries(
                service, pg_url, sqlite_path, day, pick_keys(out), args.repeat
            )
        finally:
            service.close()
    finally:
        if pg_dir:
            subprocess.run([str(ROOT / "scripts" / "pg-test-server"), "stop", pg_dir], check=False)
    json.dump(report, sys.stdout, indent=2, default=str)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
