"""Load test: heavy and hostile clients against cheap ones, on loopback (issue 17).

One ``kaifang serve`` on 127.0.0.1 with the freeway table of bench_api.py. ``--heavy``
clients loop over aggregates and users' SQL, a third of it the hostile queries of issue 17
(list and string builders that bypass DuckDB's memory limit); ``--cheap`` clients loop over
a rows page, the dataset list, a resource's metadata and a static file, each pausing
``--cheap-pause`` seconds between requests (0: back to back). Every second the server's
memory (its process and its SQL workers, RSS) is sampled. At the end it prints the status
counts, 5xx other than deliberate 503s, p50/p99 latency per kind and per cheap path, beside
the server's own part of it (its ``Server-Timing`` header), the cheap clients' own
scheduling lag, the CPU seconds of the server, its SQL workers and each kind of client, the
peak memory against ``query_memory_budget``, and whether the server still answers. All
clients share 127.0.0.1, so ``heavy_per_client`` is raised to the number of heavy clients.

The clients stand for people on other machines, so they should not take the server's CPU:
the heavy clients run as asyncio tasks in one process of their own at ``--heavy-nice``
(default 10) lower priority, each sending its next request as soon as the last is answered
(the server's capacity, not the clients, sets their rate); the cheap clients run in another
process at normal priority, one thread each, so that their timings do not wait behind the
heavy clients.

    python benchmarks/bench_load.py --help
    python benchmarks/bench_load.py                          # 64 + 16 clients, 5 minutes
    python benchmarks/bench_load.py --seconds 60 --rows 1000000   # shorter

Data is generated under benchmarks/data/api/ (git-ignored) and reused when present.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import multiprocessing
import os
import random
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
    parser.add_argument(
        "--vary",
        action="store_true",
        help="cheap clients ask a different rows page (a random gantry and _limit) and dataset "
        "list page (limit, offset) each time, so that few answers are kept ones",
    )
    parser.add_argument(
        "--heavy-nice",
        type=int,
        default=10,
        help="nice increment of the heavy clients' process (clients on other machines)",
    )
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
    heavy: list[tuple[str, dict[str, str] | None]] = [
        ("sql", {"sql": q.format(t=table)}) for q in HOSTILE + PLAIN_SQL * 4
    ]
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
        gantries = (
            [
                str(row[0])
                for row in client.get(
                    "/api/sql", params={"sql": f"SELECT DISTINCT GantryID FROM {table}"}
                ).json()["rows"]
            ]
            if args.vary
            else []
        )
    peak = [0]
    loads: list[float] = []  # the machine's 1-minute load average, each second
    stop = time.monotonic() + args.seconds

    def sample() -> None:
        while time.monotonic() < stop:
            peak[0] = max(peak[0], memory_of(proc))
            loads.append(os.getloadavg()[0])
            time.sleep(1)

    server_cpu = cpu_seconds(proc)
    heavy_results: multiprocessing.Queue[Outcome] = multiprocessing.Queue()
    cheap_results: multiprocessing.Queue[Outcome] = multiprocessing.Queue()
    heavy_process = multiprocessing.Process(
        target=heavy_clients,
        args=(url, table, heavy, args.heavy, args.seconds, args.heavy_nice, heavy_results),
    )
    cheap_process = multiprocessing.Process(
        target=cheap_clients,
        args=(url, cheap, args.cheap, args.seconds, args.cheap_pause, cheap_results, gantries),
    )
    sampler = threading.Thread(target=sample)
    cheap_process.start()
    heavy_process.start()
    sampler.start()
    cheap_timings, cheap_cpu, lags = cheap_results.get()
    heavy_timings, heavy_cpu, _ = heavy_results.get()
    cheap_process.join()
    heavy_process.join()
    sampler.join()
    server_after, workers_after = cpu_seconds(proc)
    server_cpu = (server_after - server_cpu[0], workers_after - server_cpu[1])
    after = httpx.get(f"{url}/api/datasets", timeout=30).status_code
    report(args, heavy_timings, cheap_timings, lags)
    print(
        f"  CPU seconds used: server {server_cpu[0]:.0f}, its SQL workers {server_cpu[1]:.0f}, "
        f"heavy clients {heavy_cpu:.0f}, cheap clients {cheap_cpu:.0f}"
    )
    print(f"  peak memory (server + SQL workers, RSS): {peak[0] / 2**20:.0f} MB")
    print(f"  server answers after the run: {after}")
    if loads:
        print(f"  machine load average (1 min) during the run: {min(loads):.1f}-{max(loads):.1f}")


Timing = tuple[str, int, float, float | None]
"""(path or kind, status, seconds seen by the client, seconds the server's Server-Timing
header gave, if any)."""
Outcome = tuple[list[Timing], float, list[float]]
"""A client process's timings, its CPU seconds, and its scheduling lags (seconds)."""


def report(
    args: argparse.Namespace, heavy: list[Timing], cheap: list[Timing], lags: list[float]
) -> None:
    statuses = Counter(("heavy", status) for _path, status, _s, _a in heavy)
    statuses.update(("cheap", status) for _path, status, _s, _a in cheap)
    print(
        f"clients: {args.heavy} heavy (nice +{args.heavy_nice}), {args.cheap} cheap "
        f"(pause {args.cheap_pause} s), {args.seconds:.0f} s"
    )
    for (kind, status), count in sorted(statuses.items()):
        print(f"  {kind:5} {status}: {count}")
    print(f"  heavy requests answered per second: {len(heavy) / args.seconds:.1f}")
    for kind, timings in (("heavy", heavy), ("cheap", cheap)):
        if timings:
            print(f"  {kind} latency {spread([t[2] for t in timings])} ({len(timings)} requests)")
            inside = [t[3] for t in timings if t[3] is not None]
            if inside:
                print(f"    of which inside the server's application: {spread(inside)}")
    by_path: dict[str, list[Timing]] = {}
    for timing in cheap:
        by_path.setdefault(timing[0].split("?")[0], []).append(timing)
    for path, timings in by_path.items():
        inside = [t[3] for t in timings if t[3] is not None]
        print(
            f"    {path}: {spread([t[2] for t in timings])}"
            + (f" (server {spread(inside)})" if inside else "")
        )
    if lags:
        print(f"  cheap clients' own scheduling lag (a 10 ms sleep's overshoot): {spread(lags)}")
    bad = sum(
        count for (_kind, status), count in statuses.items() if status >= 500 and status != 503
    )
    print(f"  5xx other than 503: {bad}")
    failed = sum(count for (_kind, status), count in statuses.items() if status == 0)
    print(f"  connection errors (status 0 above): {failed}")


def spread(seconds: list[float]) -> str:
    return (
        f"p50 {statistics.median(seconds) * 1000:.0f} ms, "
        f"p99 {percentile(seconds, 0.99) * 1000:.0f} ms"
    )


def cpu_seconds(proc: psutil.Process) -> tuple[float, float]:
    """CPU seconds of the server process and of its SQL workers, living and reaped."""
    times = proc.cpu_times()
    workers = times.children_user + times.children_system
    for child in proc.children(recursive=True):
        try:
            child_times = child.cpu_times()
        except psutil.Error:
            continue
        workers += child_times.user + child_times.system
    return times.user + times.system, workers


def server_seconds(response: httpx.Response | None) -> float | None:
    """The server's own time from its ``Server-Timing: app;dur=<ms>`` header."""
    header = response.headers.get("server-timing", "") if response is not None else ""
    for metric in header.split(","):
        name, _, dur = metric.strip().partition(";dur=")
        if name == "app" and dur:
            return float(dur) / 1000
    return None


def fetch(
    client: httpx.Client, path: str, params: dict[str, str] | None = None
) -> httpx.Response | None:
    """The response, or None when the connection failed (counted as status 0)."""
    try:
        return client.get(path, params=params)
    except httpx.TransportError:
        return None


def heavy_clients(
    url: str,
    table: str,
    requests: list[tuple[str, dict[str, str] | None]],
    clients: int,
    seconds: float,
    nice: int,
    results: multiprocessing.Queue[Outcome],
) -> None:
    """The heavy clients, in a process of their own at ``nice`` lower priority: one asyncio
    task and connection per client, each sending its next request when the last is answered
    (and after ``Retry-After`` on 429 and 503)."""
    os.nice(nice)
    stop = time.monotonic() + seconds
    timings: list[Timing] = []
    aggregate = {"group_by": "GantryID", "metric": "count,sum:Volume"}

    async def client_loop(n: int) -> None:
        async with httpx.AsyncClient(base_url=url, timeout=60, limits=KEEP_ALIVE) as client:
            for kind, params in itertools.cycle(requests[n % len(requests) :] + requests):
                if time.monotonic() > stop:
                    return
                path = "/api/sql" if kind == "sql" else f"/api/resources/{table}/aggregate"
                started = time.perf_counter()
                try:
                    response: httpx.Response | None = await client.get(
                        path, params=params if kind == "sql" else aggregate
                    )
                except httpx.TransportError:
                    response = None
                elapsed = time.perf_counter() - started
                status = response.status_code if response is not None else 0
                timings.append((kind, status, elapsed, server_seconds(response)))
                if response is not None and status in (429, 503):  # as a polite client would
                    await asyncio.sleep(float(response.headers.get("retry-after", "1")))

    async def all_clients() -> None:
        await asyncio.gather(*(client_loop(n) for n in range(clients)))

    asyncio.run(all_clients())
    results.put((timings, time.process_time(), []))


def cheap_clients(
    url: str,
    paths: list[str],
    clients: int,
    seconds: float,
    pause: float,
    results: multiprocessing.Queue[Outcome],
    gantries: list[str],
) -> None:
    """The cheap clients, in a process of their own at normal priority, one thread each, and a
    thread that measures how late this process wakes from a 10 ms sleep (its own share of the
    CPU and of its GIL, which the clients' timings include). With ``gantries`` (``--vary``)
    each rows page filters on a random gantry with a random ``_limit`` and each dataset list
    asks a random page, reported under the plain path."""
    stop = time.monotonic() + seconds
    timings: list[Timing] = []
    lags: list[float] = []
    lock = threading.Lock()

    def client_loop(n: int) -> None:
        rng = random.Random(n)
        with httpx.Client(base_url=url, timeout=60, limits=KEEP_ALIVE) as client:
            for path in itertools.cycle(paths[n % len(paths) :] + paths):
                if time.monotonic() > stop:
                    return
                started = time.perf_counter()
                response = fetch(client, varied(path, gantries, rng) if gantries else path)
                elapsed = time.perf_counter() - started
                status = response.status_code if response is not None else 0
                with lock:
                    timings.append((path, status, elapsed, server_seconds(response)))
                time.sleep(pause)

    def probe() -> None:
        while time.monotonic() < stop:
            started = time.perf_counter()
            time.sleep(0.01)
            lags.append(time.perf_counter() - started - 0.01)

    threads = [threading.Thread(target=client_loop, args=(n,)) for n in range(clients)]
    threads.append(threading.Thread(target=probe))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put((timings, time.process_time(), lags))


def varied(path: str, gantries: list[str], rng: random.Random) -> str:
    """``path`` asking for a page few clients asked before (``--vary``)."""
    if "/rows?" in path:
        base = path.split("?", 1)[0]
        return f"{base}?_limit={rng.randint(15, 25)}&GantryID={rng.choice(gantries)}"
    if path == "/api/datasets":
        return f"/api/datasets?limit={rng.randint(1, 100)}&offset={rng.randint(0, 99)}"
    return path


if __name__ == "__main__":
    main()
