"""Publishing a large M06A-like trip CSV: `kaifang publish` (screening included) vs PostgreSQL
`COPY` into a typed table (how CKAN's xloader fills its DataStore) vs `sqlite-utils insert
--csv` (how Datasette users load data), on the same file in the same run, with peak memory.

    python benchmarks/bench_publish.py --rows 10000000 --repeat 3
    python benchmarks/bench_publish.py --rows 100000 --sqlite-utils-rows 100000   # quick check
    python benchmarks/bench_publish.py --freeway --rows 10000000 --repeat 3 \
        --skip kaifang-shuffled --skip sqlite-utils                   # issue 22, target 1

``--freeway`` publishes a headerless M06A day as the freeway bureau writes it (the hour files
of ``kaifang.sources.freeway.generate`` joined in order) with its screening **and protection**
(the policy ``kaifang scan --write-policy`` proposes for it, written once before the runs),
and adds DuckDB's bare ``read_csv → Parquet (zstd)`` of the same file as a contender: kaifang,
DuckDB and PostgreSQL alternate run by run; CPU time (user + system) is given for the two
that run as child processes.

The file is in time order, as TDCS writes its trip files, so kaifang keeps its order; the
``kaifang-shuffled`` contender publishes the same rows in hash order, which must be sorted.

The CSV is generated under benchmarks/data/ (deterministic; reused when present). sqlite-utils
runs on the first --sqlite-utils-rows rows and is extrapolated linearly to --rows, labelled so.
Needs the bench extra (`pip install -e '.[bench]'`) and PostgreSQL server binaries
(scripts/install-system-deps).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import duckdb
import psutil
import psycopg

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
PG_SERVER = ROOT / "scripts" / "pg-test-server"
ORG = "315000000H"

TYPED_TABLE = """
CREATE TABLE trips (
  "VehicleType" smallint, "DetectionTime_O" timestamp, "GantryID_O" text,
  "DetectionTime_D" timestamp, "GantryID_D" text, "TripLength" real, "TripEnd" char(1),
  "TripInformation" text
)"""


def generate(path: Path, rows: int) -> None:
    """A deterministic M06A-like day of trips, sorted by DetectionTime_O, with a header."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(config={"memory_limit": "2GB", "temp_directory": str(path.parent / "tmp")})
    con.execute(
        f"""
        COPY (
          WITH t AS (
            SELECT i,
                   TIMESTAMP '2024-03-05 00:00:00' + to_seconds((i * 86400) // {rows}) AS o,
                   (hash(i) >> 1)::BIGINT AS h
            FROM range({rows}) r(i)
          ), g AS (
            SELECT i, o, h,
                   CASE WHEN h % 2 = 0 THEN 'N' ELSE 'S' END AS way,
                   printf('%02dF%04d%s', 1 + h % 5, (h >> 8) % 3700, way) AS g1,
                   printf('%02dF%04d%s', 1 + h % 5, (h >> 20) % 3700, way) AS g2,
                   60 + (h >> 32) % 3000 AS dur
            FROM t
          )
          SELECT [31, 32, 41, 42, 5][1 + h % 5] AS VehicleType,
                 strftime(o, '%Y-%m-%d %H:%M:%S') AS DetectionTime_O,
                 g1 AS GantryID_O,
                 strftime(o + to_seconds(dur), '%Y-%m-%d %H:%M:%S') AS DetectionTime_D,
                 g2 AS GantryID_D,
                 round(1 + (h >> 40) % 3000 / 10.0, 1) AS TripLength,
                 CASE WHEN h % 10 = 0 THEN 'N' ELSE 'Y' END AS TripEnd,
                 strftime(o, '%Y-%m-%d %H:%M:%S') || '+' || g1 || '; '
                   || strftime(o + to_seconds(dur // 2), '%Y-%m-%d %H:%M:%S') || '+'
                   || printf('%02dF%04d%s', 1 + h % 5, (h >> 14) % 3700, 'N') || '; '
                   || strftime(o + to_seconds(dur), '%Y-%m-%d %H:%M:%S') || '+' || g2
                   AS TripInformation
          FROM g ORDER BY i
        ) TO '{path}' (HEADER, DELIMITER ',')
        """
    )
    con.close()


def head(src: Path, dst: Path, rows: int) -> None:
    with src.open("rb") as fin, dst.open("wb") as fout:
        for n, line in enumerate(fin):
            if n > rows:
                break
            fout.write(line)


class PeakMemory:
    """Samples the summed RSS of a process tree (or of given pids) every 0.1 s."""

    def __init__(self, pids: list[int]) -> None:
        self.pids = pids
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            total = 0
            for pid in self.pids:
                try:
                    proc = psutil.Process(pid)
                    total += proc.memory_info().rss
                    total += sum(c.memory_info().rss for c in proc.children(recursive=True))
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(0.1)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def run_timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, int, str]:
    elapsed, peak, out, _ = run_timed_cpu(cmd, env)
    return elapsed, peak, out


def run_timed_cpu(
    cmd: list[str], env: dict[str, str] | None = None
) -> tuple[float, int, str, float]:
    """Wall seconds, peak RSS, stdout and the CPU seconds (user + system) of the child."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    with PeakMemory([proc.pid]) as memory:
        out, err = proc.communicate()
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, memory.peak, out, cpu


def generate_freeway_day(path: Path, rows: int) -> None:
    """One headerless M06A day of ``rows`` trips: the generator's hour files joined in order."""
    from kaifang.sources.freeway.generate import FreewayPlan, generate_freeway

    folder = path.with_suffix("")
    shutil.rmtree(folder, ignore_errors=True)
    generate_freeway(folder, FreewayPlan(datasets=("M06A",), trips_per_day=rows))
    with path.open("wb") as out:
        for hour in sorted(folder.rglob("TDCS_M06A_*.csv")):
            with hour.open("rb") as source:
                shutil.copyfileobj(source, out, 1 << 22)
    shutil.rmtree(folder)


def write_policy(csv: Path, work: Path, source: Path) -> Path:
    """The policy ``kaifang scan --write-policy`` proposes for ``csv`` (written once)."""
    policy = csv.with_suffix(".policy.yaml")
    if not policy.exists():
        env = {**os.environ, "PYTHONPATH": str(source)}
        subprocess.run(
            [sys.executable, "-m", "kaifang", "--data-dir", str(work / "scan-data"), "scan",
             str(csv), "--write-policy", str(policy)],
            check=True, env=env, capture_output=True,
        )  # fmt: skip
    return policy


DUCKDB_BARE = """
import sys, duckdb
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
con.execute(
    "COPY (SELECT * FROM read_csv(?, header = false)) TO '" + sys.argv[2].replace("'", "''")
    + "' (FORMAT parquet, COMPRESSION zstd)",
    [sys.argv[1]],
)
"""


def bench_duckdb_bare(csv: Path, work: Path) -> dict[str, Any]:
    """DuckDB's own CSV → zstd Parquet of the file, nothing else (the floor of a publish)."""
    out = work / "duckdb-bare.parquet"
    out.unlink(missing_ok=True)
    seconds, peak, _, cpu = run_timed_cpu([sys.executable, "-c", DUCKDB_BARE, str(csv), str(out)])
    rows = duckdb.connect().execute("SELECT count(*) FROM read_parquet(?)", [str(out)]).fetchone()
    out.unlink()
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "peak_rss": peak,
        "rows": rows[0] if rows else 0,
    }


def bench_kaifang(
    csv: Path, work: Path, source: Path, policy: Path | None = None
) -> dict[str, Any]:
    """``kaifang publish`` end to end (with ``policy``, its protection), and ``kaifang
    inspect`` (reading alone) for the split."""
    data_dir = work / "kaifang-data"
    shutil.rmtree(data_dir, ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": str(source)}
    kaifang = [sys.executable, "-m", "kaifang", "--data-dir", str(data_dir)]
    reading, reading_peak, _ = run_timed([*kaifang, "inspect", str(csv), "--json"], env=env)
    subprocess.run(
        [*kaifang, "org", "create", ORG, "--name", "交通部高速公路局"],
        check=True,
        env=env,
        capture_output=True,
    )
    protect = ["--policy", str(policy)] if policy is not None else []
    seconds, peak, out, cpu = run_timed_cpu(
        [*kaifang, "publish", str(csv), "--org", ORG, "--title", "M06A trips", *protect, "--json"],
        env=env,
    )
    result = json.loads(out)
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "peak_rss": peak,
        "rows": result["rows"],
        "inspect_seconds": reading,
        "inspect_peak_rss": reading_peak,
        "clustered_by": result["clustered_by"],
        "screening": result["screening"]["status"],
    }


def shuffled(csv: Path) -> Path:
    """The same rows in a hash order (not in time order): the publish must sort them."""
    out = csv.with_name(csv.stem + "-shuffled.csv")
    if not out.exists():
        con = duckdb.connect(config={"memory_limit": "2GB", "temp_directory": str(csv.parent)})
        con.execute(
            f"COPY (SELECT * FROM read_csv('{csv}', all_varchar = true) "
            f"ORDER BY hash(TripInformation, VehicleType)) TO '{out}' (HEADER)"
        )
    return out


def bench_postgres(csv: Path, header: bool = True) -> dict[str, Any]:
    started = subprocess.run([str(PG_SERVER), "start"], capture_output=True, text=True, check=True)
    url, folder = started.stdout.split()[:2]
    try:
        conninfo = url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(TYPED_TABLE)
            backend = int(conn.execute("SELECT pg_backend_pid()").fetchone()[0])  # type: ignore[index]
            t0 = time.perf_counter()
            with PeakMemory([backend, os.getpid()]) as memory, conn.cursor() as cur:
                with (
                    cur.copy(
                        f"COPY trips FROM STDIN (FORMAT csv, HEADER {str(header).lower()})"
                    ) as copy,
                    csv.open("rb") as source,
                ):
                    while chunk := source.read(1 << 20):
                        copy.write(chunk)
            seconds = time.perf_counter() - t0
            rows = conn.execute("SELECT count(*) FROM trips").fetchone()[0]  # type: ignore[index]
        return {"seconds": seconds, "peak_rss": memory.peak, "rows": rows}
    finally:
        subprocess.run([str(PG_SERVER), "stop", folder], check=False)


def bench_sqlite_utils(csv: Path, work: Path, rows: int, full_rows: int) -> dict[str, Any]:
    subset = csv if rows >= full_rows else work / f"subset-{rows}.csv"
    if subset != csv and not subset.exists():
        head(csv, subset, rows)
    db = work / "sqlite-utils.db"
    db.unlink(missing_ok=True)
    tool = shutil.which("sqlite-utils") or str(Path(sys.executable).parent / "sqlite-utils")
    seconds, peak, _ = run_timed([tool, "insert", str(db), "trips", str(subset), "--csv"])
    return {
        "seconds": seconds,
        "peak_rss": peak,
        "rows": rows,
        "extrapolated_seconds": seconds * full_rows / rows if rows < full_rows else None,
    }


def summarize(results: dict[str, Any]) -> None:
    """Medians of the alternating runs, and kaifang's ratios to its peers."""
    medians = {
        name: statistics.median(run["seconds"] for run in results[name])
        for name in ("kaifang", "duckdb_bare", "postgres_copy")
        if results.get(name)
    }
    results["median_seconds"] = medians
    if "kaifang" in medians:
        for peer in ("duckdb_bare", "postgres_copy"):
            if peer in medians:
                results[f"kaifang_over_{peer}"] = medians["kaifang"] / medians[peer]
    print("medians:", medians, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000, help="rows in the CSV")
    parser.add_argument(
        "--sqlite-utils-rows",
        type=int,
        default=1_000_000,
        help="rows sqlite-utils loads (extrapolated to --rows when fewer)",
    )
    parser.add_argument(
        "--kaifang-source",
        type=Path,
        default=ROOT,
        help="the kaifang source tree to run (default: this checkout)",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs of kaifang and of PostgreSQL, alternating"
    )
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=["kaifang", "kaifang-shuffled", "postgres", "sqlite-utils", "duckdb"],
        help="skip a contender",
    )
    parser.add_argument(
        "--freeway",
        action="store_true",
        help="a headerless M06A day from the freeway generator, published with its protection, "
        "against DuckDB's bare conversion too",
    )
    args = parser.parse_args()
    work = DATA / "publish"
    work.mkdir(parents=True, exist_ok=True)
    csv = work / (f"TDCS_M06A_{args.rows}.csv" if args.freeway else f"m06a-{args.rows}.csv")
    if not csv.exists():
        t0 = time.perf_counter()
        (generate_freeway_day if args.freeway else generate)(csv, args.rows)
        print(
            f"generated {csv.name}: {csv.stat().st_size / 1e9:.2f} GB in "
            f"{time.perf_counter() - t0:.1f} s"
        )
    results: dict[str, Any] = {"rows": args.rows, "csv_bytes": csv.stat().st_size}
    policy = write_policy(csv, work, args.kaifang_source) if args.freeway else None
    for run in range(args.repeat):
        if "kaifang" not in args.skip:
            results.setdefault("kaifang", []).append(
                bench_kaifang(csv, work, args.kaifang_source, policy)
            )
            print(f"kaifang publish (run {run + 1}):", results["kaifang"][-1], flush=True)
        if args.freeway and "duckdb" not in args.skip:
            results.setdefault("duckdb_bare", []).append(bench_duckdb_bare(csv, work))
            print(f"DuckDB bare (run {run + 1}):", results["duckdb_bare"][-1], flush=True)
        if "postgres" not in args.skip:
            results.setdefault("postgres_copy", []).append(
                bench_postgres(csv, header=not args.freeway)
            )
            print(f"PostgreSQL COPY (run {run + 1}):", results["postgres_copy"][-1], flush=True)
    summarize(results)
    if "kaifang-shuffled" not in args.skip:
        results["kaifang_shuffled"] = bench_kaifang(shuffled(csv), work, args.kaifang_source)
        print("kaifang publish, rows not in time order:", results["kaifang_shuffled"], flush=True)
    if "sqlite-utils" not in args.skip:
        results["sqlite_utils"] = bench_sqlite_utils(
            csv, work, min(args.sqlite_utils_rows, args.rows), args.rows
        )
        print("sqlite-utils insert --csv:", results["sqlite_utils"])
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
