"""Open API benchmark: kaifang against Datasette on the same 10-million-row freeway table.

Both servers run on this machine in the same run: kaifang (`kaifang serve`, Parquet + DuckDB)
and Datasette (SQLite with an index on the filtered columns). For each of three questions —
a filtered page, a group-by aggregate over the whole table, and a row count — it measures
p50/p99 latency over ``--requests`` sequential requests, then throughput with
``--concurrency`` clients. A soak then runs ``--soak-clients`` clients for ``--soak-seconds``
against kaifang, mixing every endpoint, counting 5xx responses and sampling the server's RSS.

    python benchmarks/bench_api.py --help
    python benchmarks/bench_api.py                      # the full run (about 20 minutes)
    python benchmarks/bench_api.py --rows 1000000 --requests 50 --soak-seconds 20   # quick

Data is generated under benchmarks/data/api/ (git-ignored) and reused when present.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import httpx
import psutil

ROOT = Path(__file__).resolve().parent
ORG = "315000000H"  # 交通部高速公路局
GANTRIES = 400
VEHICLE_TYPES = (31, 32, 41, 42, 5)
ROWS_PER_INTERVAL = GANTRIES * len(VEHICLE_TYPES)


def gantry_sql(g: str) -> str:
    return (
        f"printf('%02dF%04d%s', [1, 3, 5][({g}) % 3 + 1], ({g}) * 7 % 3000, "
        f"CASE WHEN ({g}) % 2 = 0 THEN 'N' ELSE 'S' END)"
    )


def gantry_id(g: int) -> str:
    return f"{[1, 3, 5][g % 3]:02d}F{g * 7 % 3000:04d}{'N' if g % 2 == 0 else 'S'}"


# -- data ---------------------------------------------------------------------------------
def generate_csv(path: Path, rows: int) -> None:
    """An M03A-like table (5-minute volume per gantry and vehicle type), in time order."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sql = f"""
        COPY (
          SELECT
            strftime(TIMESTAMP '2024-01-01' + to_minutes(CAST(i // {ROWS_PER_INTERVAL} * 5
                     AS BIGINT)), '%Y-%m-%d %H:%M:%S') AS TimeInterval,
            {gantry_sql(f"(i // {len(VEHICLE_TYPES)}) % {GANTRIES}")} AS GantryID,
            CASE WHEN (i // {len(VEHICLE_TYPES)}) % {GANTRIES} % 2 = 0 THEN 'N' ELSE 'S' END
              AS Direction,
            [31, 32, 41, 42, 5][i % 5 + 1] AS VehicleType,
            CAST(hash(i) % 500 AS INTEGER) AS Volume
          FROM range({rows}) t(i)
        ) TO '{path}' (HEADER, DELIMITER ',')
    """
    duckdb.sql(sql)


def publish_kaifang(data_dir: Path, csv_path: Path, small_csv: Path) -> None:
    from kaifang.catalog import create_organization, open_catalog
    from kaifang.publish import publish_file
    from kaifang.settings import load_settings

    settings = load_settings({}, data_dir=data_dir)
    with open_catalog(settings) as catalog:
        create_organization(catalog, ORG, name="交通部高速公路局")
    publish_file(settings, csv_path, org=ORG, title="Freeway traffic volume 國道交通量")
    publish_file(settings, small_csv, org=ORG, title="Freeway sample 國道交通量樣本")


def load_sqlite(db_path: Path, csv_path: Path) -> None:
    tmp = db_path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp)
    con.executescript(
        "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
        "CREATE TABLE freeway (TimeInterval TEXT, GantryID TEXT, Direction TEXT,"
        " VehicleType INTEGER, Volume INTEGER);"
    )
    reader = duckdb.sql(f"SELECT * FROM read_csv('{csv_path}')").to_arrow_reader(200_000)
    for batch in reader:
        columns = [c.to_pylist() for c in batch.columns]
        con.executemany("INSERT INTO freeway VALUES (?, ?, ?, ?, ?)", zip(*columns, strict=True))
        con.commit()
    con.executescript(
        "CREATE INDEX freeway_gantry_time ON freeway (GantryID, TimeInterval);"
        "CREATE INDEX freeway_type_volume ON freeway (VehicleType, Volume);"
        "ANALYZE;"
    )
    con.close()
    tmp.rename(db_path)


def prepare(data: Path, rows: int) -> tuple[Path, Path]:
    """(kaifang data dir, sqlite file), built once per row count."""
    base = data / f"rows-{rows}"
    csv_path, small_csv = base / "freeway.csv", base / "sample" / "freeway_sample.csv"
    kaifang_dir, db_path = base / "kaifang", base / "freeway.db"
    if not csv_path.exists():
        step("generating CSV", lambda: generate_csv(csv_path, rows))
        small_csv.parent.mkdir(parents=True, exist_ok=True)
        duckdb.sql(
            f"COPY (SELECT * FROM read_csv('{csv_path}') LIMIT 20000) TO '{small_csv}' (HEADER)"
        )
    if not (kaifang_dir / "catalog.sqlite").exists():
        step("publishing with kaifang", lambda: publish_kaifang(kaifang_dir, csv_path, small_csv))
    if not db_path.exists():
        step("loading SQLite + indexes", lambda: load_sqlite(db_path, csv_path))
    return kaifang_dir, db_path


def step(title: str, fn: Callable[[], object]) -> None:
    started = time.perf_counter()
    print(f"... {title}", flush=True)
    fn()
    print(f"    {title}: {time.perf_counter() - started:.1f} s", flush=True)


# -- servers ------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def server(
    command: list[str], url: str, env: dict[str, str], *, log: Path | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """``command`` running until the block ends; its output goes to ``log`` if given."""
    out = log.open("wb") if log is not None else subprocess.DEVNULL
    proc = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(url, timeout=5).status_code < 500:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None:
                raise RuntimeError(f"{command[0]} exited with {proc.returncode}")
            time.sleep(0.3)
        else:
            raise TimeoutError(f"{url} did not answer")
        yield proc
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if log is not None:
            out.close()  # type: ignore[union-attr]


def kaifang_server(data_dir: Path, port: int, workers: int = 1) -> Any:
    env = {**os.environ, "KAIFANG_RATE_LIMIT": "0", "KAIFANG_QUERY_TIMEOUT": "60"}
    command = [sys.executable, "-m", "kaifang", "serve", "--data-dir", str(data_dir)]
    command += ["--port", str(port), "--workers", str(workers)]
    return server(command, f"http://127.0.0.1:{port}/api/datasets", env)


def datasette_server(db_path: Path, port: int) -> Any:
    command = [
        str(Path(sys.executable).parent / "datasette"), "serve", "-i", str(db_path),
        "--port", str(port), "--setting", "sql_time_limit_ms", "120000",
        "--setting", "suggest_facets", "off",
    ]  # fmt: skip
    return server(command, f"http://127.0.0.1:{port}/-/versions.json", dict(os.environ))


# -- workloads ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Question:
    name: str
    kaifang: Callable[[random.Random], str]
    datasette: Callable[[random.Random], str]


def _window(rng: random.Random, days: int) -> tuple[str, str, str]:
    gantry = gantry_id(rng.randrange(GANTRIES))
    day = 1 + rng.randrange(max(1, days))
    hour = rng.randrange(0, 18)
    return gantry, f"2024-01-{day:02d} {hour:02d}:00:00", f"2024-01-{day:02d} {hour + 6:02d}:00:00"


QUESTION_KEYS = ("page", "aggregate", "count")
"""Short names of :func:`questions`, in order, for ``--questions``."""


def questions(rows: int) -> list[Question]:
    days = max(1, rows // ROWS_PER_INTERVAL * 5 // (60 * 24))
    agg_sql = (
        'SELECT "VehicleType", count(*) AS n, sum("Volume") AS volume, avg("Volume") AS mean '
        "FROM freeway GROUP BY 1 ORDER BY 1"
    )

    def k_page(rng: random.Random) -> str:
        gantry, start, end = _window(rng, days)
        return (
            f"/api/resources/freeway/rows?GantryID={gantry}&TimeInterval__gte={start}"
            f"&TimeInterval__lt={end}&_sort=TimeInterval&_limit=100"
        )

    def d_page(rng: random.Random) -> str:
        gantry, start, end = _window(rng, days)
        return (
            f"/freeway/freeway.json?GantryID={gantry}&TimeInterval__gte={start}"
            f"&TimeInterval__lt={end}&_sort=TimeInterval&_size=100&_shape=objects&_nocount=1"
        )

    return [
        Question("filtered page (1 gantry, 6 h, 100 rows)", k_page, d_page),
        Question(
            "group-by aggregate, whole table",
            lambda rng: (
                "/api/resources/freeway/aggregate?group_by=VehicleType"
                "&metric=count,sum:Volume,avg:Volume"
            ),
            lambda rng: "/freeway.json?_shape=objects&sql=" + agg_sql.replace('"', ""),
        ),
        Question(
            "count(*)",
            lambda rng: "/api/resources/freeway/aggregate?metric=count",
            lambda rng: "/freeway.json?_shape=objects&sql=select+count(*)+from+freeway",
        ),
    ]


@dataclass
class Latency:
    samples_ms: list[float] = field(default_factory=list)
    errors: int = 0

    def summary(self) -> dict[str, float]:
        ordered = sorted(self.samples_ms)
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        return {
            "p50_ms": round(statistics.median(ordered), 2),
            "p99_ms": round(p99, 2),
            "n": len(ordered),
            "errors": self.errors,
        }


def measure_latency(
    base: str, make: Callable[[random.Random], str], count: int, budget: float, warmup: float
) -> Latency:
    """``count`` sequential requests, or as many as fit in ``budget`` seconds (``n`` says),
    after ``warmup`` seconds of the same kind of requests (not measured)."""
    rng = random.Random(42)
    result = Latency()
    with httpx.Client(base_url=base, timeout=300) as client:
        warm = random.Random(0)
        client.get(make(warm))
        warm_until = time.monotonic() + warmup
        while time.monotonic() < warm_until:  # e.g. while kaifang builds its serving copy
            client.get(make(warm))
        deadline = time.monotonic() + budget
        for _ in range(count):
            if time.monotonic() > deadline:
                break
            url = make(rng)
            started = time.perf_counter()
            response = client.get(url)
            result.samples_ms.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                result.errors += 1
    return result


def measure_throughput(
    base: str, make: Callable[[random.Random], str], clients: int, seconds: float, pid: int
) -> dict[str, float]:
    """Requests per second with ``clients`` threads, and the server's CPU time per request
    (process ``pid`` and its children: what a request costs whatever else runs)."""
    server = psutil.Process(pid)
    cpu_before = _cpu_seconds(server)
    stop = time.monotonic() + seconds
    done = Counter[str]()
    lock = threading.Lock()

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        with httpx.Client(base_url=base, timeout=300) as client:
            while time.monotonic() < stop:
                status = client.get(make(rng)).status_code
                with lock:
                    done["ok" if status == 200 else "error"] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    cpu = _cpu_seconds(server) - cpu_before
    return {
        "requests_per_s": round(done["ok"] / elapsed, 1),
        "ok": done["ok"],
        "errors": done["error"],
        "server_cpu_ms_per_request": round(cpu * 1000 / max(1, done["ok"] + done["error"]), 2),
    }


def _cpu_seconds(process: psutil.Process) -> float:
    """CPU of the server and of its live child processes (``--workers``, SQL workers)."""
    total = 0.0
    for part in [process, *process.children(recursive=True)]:
        try:
            times = part.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


def soak_urls(rows: int) -> list[Callable[[random.Random], str]]:
    page = questions(rows)[0].kaifang
    sample = "freeway_sample"
    return [
        lambda rng: "/api/datasets",
        lambda rng: "/api/datasets?q=freeway&limit=5",
        lambda rng: "/api/datasets/freeway_traffic_volume",
        lambda rng: "/api/organizations",
        lambda rng: f"/api/organizations/{ORG}",
        lambda rng: "/api/resources/freeway",
        page,
        lambda rng: (
            f"/api/resources/freeway/rows?VehicleType={rng.choice(VEHICLE_TYPES)}&_limit=50"
        ),
        lambda rng: f"/api/resources/{sample}/rows?_sort_desc=Volume&_limit=200",
        lambda rng: "/api/resources/freeway/aggregate?group_by=Direction&metric=count,max:Volume",
        lambda rng: (
            "/api/sql?sql=SELECT+count(*)+FROM+freeway+WHERE+Volume+>+" + str(rng.randrange(500))
        ),
        lambda rng: f"/api/resources/{sample}/download.{rng.choice(['csv', 'json', 'xlsx'])}",
        lambda rng: f"/api/resources/{sample}/download.parquet",
        lambda rng: "/api/datasets/freeway_traffic_volume/datapackage.json",
        lambda rng: "/catalog.jsonld",
        lambda rng: "/api/3/action/package_search?q=freeway&rows=5",
        lambda rng: f"/api/3/action/datastore_search?resource_id={sample}&limit=20&q=01F",
        lambda rng: "/api/v1/rest/dataset",
        lambda rng: f"/api/v1/rest/datastore/{ORG}-000002-001?limit=20&sort=Volume",
        lambda rng: f"/api/v1/dump/datastore/{ORG}-000002-001?format=csv",
        lambda rng: "/api/resources/nope/rows",  # a 404 on purpose
    ]


def soak(base: str, pid: int, rows: int, clients: int, seconds: float) -> dict[str, Any]:
    urls = soak_urls(rows)
    stop = time.monotonic() + seconds
    statuses = Counter[int]()
    lock = threading.Lock()
    rss: list[tuple[float, float]] = []
    process = psutil.Process(pid)

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        with httpx.Client(base_url=base, timeout=300) as client:
            while time.monotonic() < stop:
                status = client.get(rng.choice(urls)(rng)).status_code
                with lock:
                    statuses[status] += 1

    def sampler() -> None:
        started = time.monotonic()
        while time.monotonic() < stop:
            rss.append((time.monotonic() - started, process.memory_info().rss / 2**20))
            time.sleep(2)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    threads.append(threading.Thread(target=sampler))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    values = [m for _, m in rss]
    half = len(values) // 2
    return {
        "requests": sum(statuses.values()),
        "statuses": dict(sorted(statuses.items())),
        "server_5xx": sum(n for s, n in statuses.items() if s >= 500),
        "rss_mb_first": round(values[0], 1),
        "rss_mb_max": round(max(values), 1),
        "rss_mb_end": round(values[-1], 1),
        "rss_mb_mean_first_half": round(statistics.mean(values[:half]), 1),
        "rss_mb_mean_second_half": round(statistics.mean(values[half:]), 1),
        "rss_samples": [(round(t), round(m, 1)) for t, m in rss],
    }


# -- main ---------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--requests", type=int, default=200, help="Per question and server.")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--throughput-seconds", type=float, default=15.0)
    parser.add_argument(
        "--series-seconds",
        type=float,
        default=300.0,
        help="Stop a latency series after this long (the result's n says how many ran).",
    )
    parser.add_argument(
        "--warmup-seconds",
        type=float,
        default=10.0,
        help="Unmeasured requests before each series (kaifang builds a large version's "
        "serving copy in the background on its first query).",
    )
    parser.add_argument("--soak-clients", type=int, default=32)
    parser.add_argument("--soak-seconds", type=float, default=120.0)
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "api")
    parser.add_argument("--json", type=Path, help="Also write the results here.")
    parser.add_argument("--prepare-only", action="store_true", help="Build the data and stop.")
    parser.add_argument(
        "--questions",
        default="page,aggregate,count",
        help="Comma-separated subset of page, aggregate, count (default: all).",
    )
    parser.add_argument(
        "--servers", default="kaifang,datasette", help="Comma-separated subset (default: both)."
    )
    parser.add_argument("--skip-soak", action="store_true", help="Measure latency only.")
    parser.add_argument(
        "--kaifang-workers", type=int, default=1, help="kaifang serve --workers (processes)."
    )
    args = parser.parse_args(argv)

    kaifang_dir, db_path = prepare(args.data, args.rows)
    if args.prepare_only:
        return 0
    results: dict[str, Any] = {"rows": args.rows, "questions": {}}
    k_port, d_port = free_port(), free_port()
    kaifang = kaifang_server(kaifang_dir, k_port, args.kaifang_workers)
    with kaifang as k_proc, datasette_server(db_path, d_port) as d_proc:
        bases = {"kaifang": f"http://127.0.0.1:{k_port}", "datasette": f"http://127.0.0.1:{d_port}"}
        pids = {"kaifang": k_proc.pid, "datasette": d_proc.pid}
        wanted = set(args.questions.split(","))
        servers = args.servers.split(",")
        for key, question in zip(QUESTION_KEYS, questions(args.rows), strict=True):
            if key not in wanted:
                continue
            row: dict[str, Any] = {}
            makers = {"kaifang": question.kaifang, "datasette": question.datasette}
            for who in servers:
                make = makers[who]
                print(f"... {question.name}: {who}", flush=True)
                latency = measure_latency(
                    bases[who], make, args.requests, args.series_seconds, args.warmup_seconds
                ).summary()
                throughput = measure_throughput(
                    bases[who], make, args.concurrency, args.throughput_seconds, pids[who]
                )
                row[who] = {**latency, "throughput": throughput}
                print(f"    {json.dumps(row[who])}", flush=True)
            results["questions"][question.name] = row
        if not args.skip_soak:
            print(f"... soak: {args.soak_clients} clients, {args.soak_seconds:.0f} s", flush=True)
            results["soak"] = soak(
                bases["kaifang"], k_proc.pid, args.rows, args.soak_clients, args.soak_seconds
            )
    print(json.dumps(results, indent=2, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
