"""Harvest benchmark (issue #19): gather a remote catalog of N datasets in metadata mode.

A remote kaifang (``kaifang serve``) holds a synthetic national catalog made by ``kaifang
generate catalog --datasets N``. A fresh local kaifang harvests it with ``kaifang harvest
run`` twice — the first run registers every dataset, the second finds nothing changed — once
through CKAN's Action API and once through the national spec. Reported: wall time, datasets
per second, and HTTP requests per dataset (the run's own count). Link checks are off (the
generated datasets have no stored files to answer a HEAD).

Peer, same remote, same run: ``ckanapi dump datasets`` (the CKAN project's client), which only
reads every package (it writes a JSON-lines file and registers nothing).

    python benchmarks/bench_harvest.py --datasets 10000
    python benchmarks/bench_harvest.py --datasets 1000        # quick
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench_api import free_port, kaifang_server

ROOT = Path(__file__).resolve().parent
DATA = ROOT / "data" / "harvest"
BIN = Path(os.path.abspath(sys.executable)).parent


def kaifang(*args: str, env: dict[str, str]) -> str:
    done = subprocess.run([sys.executable, "-m", "kaifang", *args], env=env, check=True,
                          capture_output=True, text=True)  # fmt: skip
    return done.stdout


def remote_catalog(size: int, env: dict[str, str]) -> Path:
    """The remote's data directory, generated once per size and reused."""
    data_dir = DATA / f"remote-{size}"
    if not (data_dir / "generated.json").exists():
        shutil.rmtree(data_dir, ignore_errors=True)
        data_dir.mkdir(parents=True)
        out = kaifang("--data-dir", str(data_dir), "generate", "catalog", "--datasets",
                      str(size), "--json", env=env)  # fmt: skip
        (data_dir / "generated.json").write_text(out)
    return data_dir


def harvest(kind: str, url: str, env: dict[str, str]) -> dict[str, Any]:
    local = DATA / f"local-{kind}"
    shutil.rmtree(local, ignore_errors=True)
    local.mkdir(parents=True)
    base = ["--data-dir", str(local)]
    kaifang(*base, "org", "create", "A61000000A", "--name", "中央選舉委員會", env=env)
    kaifang(*base, "harvest", "add", "remote", url, "--type", kind, "--org", "A61000000A",
            "--schedule", "manual", env=env)  # fmt: skip
    runs = []
    for _ in range(2):
        started = time.perf_counter()
        report = json.loads(kaifang(*base, "harvest", "run", "remote", "--json", env=env))
        seconds = time.perf_counter() - started
        run = report["runs"][0]
        total = sum(run["counts"][k] for k in ("created", "updated", "unchanged"))
        runs.append({"seconds": round(seconds, 1), "counts": run["counts"],
                     "requests": run["requests"],
                     "requests_per_dataset": round(run["requests"] / max(total, 1), 3),
                     "datasets_per_second": round(total / seconds, 1),
                     "status": run["status"]})  # fmt: skip
    return {"first run": runs[0], "second run (nothing changed)": runs[1]}


def ckanapi_dump(url: str, size: int) -> dict[str, Any]:
    target = DATA / "dump.jsonl"
    started = time.perf_counter()
    subprocess.run([str(BIN / "ckanapi"), "dump", "datasets", "--all", "-q", "-p", "1",
                    "-O", str(target), "-r", url], check=True,
                   env={**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}"})  # fmt: skip
    seconds = time.perf_counter() - started
    lines = sum(1 for _ in target.open(encoding="utf-8"))
    return {"seconds": round(seconds, 1), "datasets": lines,
            "datasets_per_second": round(lines / seconds, 1)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", type=int, default=10_000)
    args = parser.parse_args()
    env = {**os.environ, "KAIFANG_HARVEST_CHECK_LINKS": "false", "KAIFANG_RATE_LIMIT": "0"}
    remote = remote_catalog(args.datasets, env)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    results: dict[str, Any] = {"datasets": args.datasets}
    with kaifang_server(remote, port):
        results["ckanapi dump datasets (peer, read only)"] = ckanapi_dump(url, args.datasets)
        results["kaifang harvest, CKAN API"] = harvest("ckan", url, env)
        results["kaifang harvest, national spec"] = harvest("tw-spec", url, env)
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
