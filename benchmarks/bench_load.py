"""Load test: heavy and hostile clients against cheap ones, on loopback (issue 17).

One ``kaifang serve`` on 127.0.0.1 with the freeway table of bench_api.py. ``--heavy``
clients loop over aggregates and users' SQL, a third of it the hostile queries of issue 17
(list and string builders that bypass DuckDB's memory limit); ``--cheap`` clients loop over
a rows page, the dataset list, a resource's metadata and a static file, each pausing
``--cheap-pause`` seconds between requests (0: back to back). The cheap clients run in a
process of their own, so that their timings do not include waiting for the GIL behind 64
heavy clients' threads. Every second the server's memory (its process and its SQL workers,
RSS) is sampled. At the end it prints the status counts, 5xx other than deliberate 503s,
p50/p99 latency per kind and per cheap path, the peak memory against
``query_memory_budget``, and whether the server still answers. All clients share
127.0.0.1, so ``heavy_per_client`` is raised to the number of heavy clients.

    python benchmarks/bench_load.py --help
    python benchmarks/bench_load.py                          # 64 + 16 clients, 5 minutes
    python benchmarks/bench_load.py --seconds 60 --rows 1000000   # shorter

Data is generated under benchmarks/data/api/ (git-ignored) and reused when present.
"""

from __future__ import annotations

import argparse
import itertools
import multiprocessing
import os
import statistics
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_api import ROOT, free_port, prepare, server

KEEP_ALIVE = httpx.Limits(keepalive_expiry=4.0)
"""Clients drop a connection idle for 4 s, before uvicorn closes it at 5 s: a request sent on
a connection the server is closing at that moment is reset (a keep-alive race, seen once in
a five-minute run after a client slept on Retry-After on a loaded machine)."""
HOSTILE = [
    "SELECT len(list_resize([1], 1000000000)) FROM {t}",
    "SELECT count(*) FROM unnest(range(0, 2000000000))",
    "SELECT length(repeat('x', 2000000000))",
    "SELECT length(string_agg(repeat('x', 1000000), '')) FROM range(3000)",
]
PLAIN_SQL = [
    "SELECT GantryID, sum(Volume) AS v FROM {t} GROUP BY GantryID ORDER BY v DESC LIMIT 10",
    "SELECT VehicleType, avg(Volume) FROM {t} WHERE Direction = 'N' GROUP BY VehicleType",
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def memory_of(proc: psutil.Process) -> int:
    total = 0
    for part in [proc, *proc.children(recursive=True)]:
        try:
            total += part.memory_info().rss
        except psutil.Error:
            pass
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the freeway table")
    parser.add_argument("--heavy", type=int, default=64, help="heavy clients")
    parser.add_argument("--cheap", type=int, default=16, help="cheap clients")
    parser.add_argument("--seconds", type=float, default=300.0, help="length of the run")
    parser.add_argument("--budget", default="2GB", help="query_memory_budget")
    parser.add_argument(
        "--cheap-pause", type=float, default=0.2, help="seconds each cheap client waits"
    )
    parser.add_argument("--workers", type=int, default=1, help="kaifang serve --workers")
    args = parser.parse_args()

    data_dir, _sqlite = prepare(ROOT / "data" / "api", args.rows)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "KAIFANG_DATA_DIR": str(data_dir),
        "KAIFANG_RATE_LIMIT": "0",
        "KAIFANG_QUERY_MEMORY_BUDGET": args.budget,
        # every client comes from 127.0.0.1: let each of them have its one request
        # (serve --workers N divides it between its N processes)
        "KAIFANG_HEAVY_PER_CLIENT": str(args.heavy * args.workers),
    }
    command = [sys.executable, "-m", "kaifang", "serve", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--workers", str(args.workers)]
    log = ROOT / "data" / "load-server.log"
    print(f"server log: {log.relative_to(ROOT.parent)}")
    with server(command, f"{url}/api/datasets", env, log=log) as proc:
        datasets = httpx.get(f"{url}/api/datasets?limit=10").json()["data"]
        table = next(r["id"] for d in datasets for r in d["resources"] if r["rows"] > 100_000)
        run(url, table, psutil.Process(proc.pid), args)


def run(url: str, table: str, proc: psutil.Process, args: argparse.Namespace) -> None:
    heavy = [("sql", {"sql": q.format(t=table)}) for q in HOSTILE + PLAIN_SQL * 4]
    heavy += [("aggregate", None)] * len(heavy)
    cheap = [
        f"/api/resources/{table}/rows?_limit=20",
        "/api/datasets",
        f"/api/resources/{table}",
        "/static/portal/kaifang.css",
    ]
    # one request of each kind first, as a deploy's health check would: the first match of a
    # route builds its models, which is not what a page costs
    with httpx.Client(base_url=url, timeout=60, limits=KEEP_ALIVE) as client:
        for path in cheap:
            client.get(path)
        client.get("/api/sql", params={"sql": PLAIN_SQL[0].format(t=table)})
        client.get(
            f"/api/resources/{table}/aggregate",
            params={"group_by": "GantryID", "metric": "count,sum:Volume"},
        )
    stop = time.monotonic() + args.seconds
    statuses: Counter[tuple[str, int]] = Counter()
    latencies: dict[str, list[float]] = {"heavy": [], "cheap": []}
    lock = threading.Lock()
    peak = [0]
    loads: list[float] = []  # the machine's 1-minute load average, each second

    def record(kind: str, status: int, seconds: float) -> None:
        with lock:
            statuses[(kind, status)] += 1
            latencies[kind].append(seconds)

    def heavy_client(n: int) -> None:
        with httpx.Client(base_url=url, timeout=60, limits=KEEP_ALIVE) as client:
            for kind, params in itertools.cycle(heavy[n % len(heavy) :] + heavy):
                if time.monotonic() > stop:
                    return
                started = time.perf_counter()
                if kind == "sql":
                    response = fetch(client, "/api/sql", params)
                else:
                    response = fetch(
                        client,
                        f"/api/resources/{table}/aggregate",
                        {"group_by": "GantryID", "metric": "count,sum:Volume"},
                    )
                status = response.status_code if response is not None else 0
                record("heavy", status, time.perf_counter() - started)
                if response is not None and status in (429, 503):  # as a polite client would
                    time.sleep(float(response.headers.get("retry-after", "1")))

    def sample() -> None:
        while time.monotonic() < stop:
            peak[0] = max(peak[0], memory_of(proc))
            loads.append(os.getloadavg()[0])
            time.sleep(1)

    threads = [threading.Thread(target=heavy_client, args=(n,)) for n in range(args.heavy)]
    threads.append(threading.Thread(target=sample))
    results: multiprocessing.Queue[list[tuple[str, int, float]]] = multiprocessing.Queue()
    readers = multiprocessing.Process(
        target=cheap_clients, args=(url, cheap, args.cheap, args.seconds, args.cheap_pause, results)
    )
    readers.start()
    for thread in threads:
        thread.start()
    cheap_timings = results.get()
    readers.join()
    for thread in threads:
        thread.join()
    by_path: dict[str, list[float]] = {}
    for path, status, seconds in cheap_timings:
        record("cheap", status, seconds)
        by_path.setdefault(path.split("?")[0], []).append(seconds)
    after = httpx.get(f"{url}/api/datasets", timeout=30).status_code
    bad = sum(
        count for (_kind, status), count in statuses.items() if status >= 500 and status != 503
    )
    print(
        f"clients: {args.heavy} heavy, {args.cheap} cheap (pause {args.cheap_pause} s), "
        f"{args.seconds:.0f} s"
    )
    for (kind, status), count in sorted(statuses.items()):
        print(f"  {kind:5} {status}: {count}")
    for kind, values in latencies.items():
        if values:
            print(
                f"  {kind} latency p50 {statistics.median(values) * 1000:.0f} ms, "
                f"p99 {percentile(values, 0.99) * 1000:.0f} ms ({len(values)} requests)"
            )
    for path, values in by_path.items():
        print(
            f"    {path}: p50 {statistics.median(values) * 1000:.0f} ms, "
            f"p99 {percentile(values, 0.99) * 1000:.0f} ms"
        )
    print(f"  5xx other than 503: {bad}")
    failed = sum(count for (_kind, status), count in statuses.items() if status == 0)
    print(f"  connection errors (status 0 above): {failed}")
    print(f"  peak memory (server + SQL workers, RSS): {peak[0] / 2**20:.0f} MB")
    print(f"  server answers after the run: {after}")
    if loads:
        print(f"  machine load average (1 min) during the run: {min(loads):.1f}-{max(loads):.1f}")


def fetch(
    client: httpx.Client, path: str, params: dict[str, str] | None = None
) -> httpx.Response | None:
    """The response, or None when the connection failed (counted as status 0)."""
    try:
        return client.get(path, params=params)
    except httpx.TransportError:
        return None


def cheap_clients(
    url: str,
    paths: list[str],
    clients: int,
    seconds: float,
    pause: float,
    results: multiprocessing.Queue[list[tuple[str, int, float]]],
) -> None:
    """The cheap clients, in a process of their own: (path, status, seconds) per request."""
    stop = time.monotonic() + seconds
    timings: list[tuple[str, int, float]] = []
    lock = threading.Lock()

    def client_loop(n: int) -> None:
        with httpx.Client(base_url=url, timeout=60, limits=KEEP_ALIVE) as client:
            for path in itertools.cycle(paths[n % len(paths) :] + paths):
                if time.monotonic() > stop:
                    return
                started = time.perf_counter()
                response = fetch(client, path)
                elapsed = time.perf_counter() - started
                with lock:
                    timings.append((path, response.status_code if response else 0, elapsed))
                time.sleep(pause)

    threads = [threading.Thread(target=client_loop, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put(timings)


if __name__ == "__main__":
    main()
