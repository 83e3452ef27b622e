"""Command-line start-up: CPU seconds (user + system) of kaifang's catalog commands and
``--help`` against sqlite-utils reading the same catalog file, in the same run.

    pip install sqlite-utils
    python benchmarks/bench_cli.py --repeats 5

A small catalog (one organization; a dataset with one version, one with two) is built under
benchmarks/data/cli/ (git-ignored). Each command runs
``--repeats`` times in a fresh process, interleaved with the peer; the minimum is reported
(the least disturbed by other load); the load average is printed before and after. Results go
to benchmarks/results/cli.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

from kaifang.catalog import create_organization, open_catalog
from kaifang.publish import publish_file
from kaifang.settings import load_settings

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent


def build_catalog(data_dir: Path) -> Path:
    if data_dir.exists():
        shutil.rmtree(data_dir)
    settings = load_settings({}, data_dir=data_dir)
    with open_catalog(settings) as catalog:
        create_organization(catalog, "379130000E", name="臺北市政府警察局")
    source = data_dir.parent / "counts.csv"
    source.write_text("縣市,件數\n臺北市,10\n新北市,12\n", encoding="utf-8")
    publish_file(settings, source, org="379130000E", title="件數", dataset_id="counts")
    # a resource with two versions: its history compares them (DuckDB, through the ORM)
    source = data_dir.parent / "twice.csv"
    source.write_text("縣市,件數\n臺北市,10\n", encoding="utf-8")
    first = publish_file(settings, source, org="379130000E", title="兩版", dataset_id="twice")
    source.write_text("縣市,件數\n臺北市,11\n新北市,12\n", encoding="utf-8")
    publish_file(settings, source, org="379130000E", dataset=first.dataset)
    return data_dir / "catalog.sqlite"


def cpu_seconds(command: list[str], env: dict[str, str]) -> float:
    """User + system CPU of one run of ``command`` in a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, env=env, check=True, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    data_dir = HERE / "data" / "cli" / "data"
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    db = str(build_catalog(data_dir))
    env = {**os.environ, "KAIFANG_DATA_DIR": str(data_dir)}
    kaifang, peer = str(BIN / "kaifang"), str(BIN / "sqlite-utils")
    cases: dict[str, tuple[list[str], list[str] | None]] = {
        "--help": ([kaifang, "--help"], [peer, "--help"]),
        "datasets --json": ([kaifang, "datasets", "--json"], [peer, "rows", db, "datasets"]),
        "show counts --json": (
            [kaifang, "show", "counts", "--json"],
            [peer, "query", db, "select * from datasets where slug = 'counts'"],
        ),
        "datasets (text)": ([kaifang, "datasets"], None),
        "show counts (text)": ([kaifang, "show", "counts"], None),
        "history counts --json": ([kaifang, "history", "counts", "--json"], None),
        "history twice --json (2 versions)": ([kaifang, "history", "twice", "--json"], None),
        "org list --json": (
            [kaifang, "org", "list", "--json"],
            [peer, "rows", db, "organizations"],
        ),
        "score counts --json": ([kaifang, "score", "counts", "--json"], None),
        "tables (peer only)": ([], [peer, "tables", db]),
    }
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    results: dict[str, dict[str, float | None]] = {}
    for name, (ours, theirs) in cases.items():
        times: dict[str, list[float]] = {"kaifang": [], "sqlite-utils": []}
        for _ in range(args.repeats):
            if ours:
                times["kaifang"].append(cpu_seconds(ours, env))
            if theirs:
                times["sqlite-utils"].append(cpu_seconds(theirs, env))
        results[name] = {tool: min(t) if t else None for tool, t in times.items()}
        shown = {t: "-" if v is None else f"{v:.3f}" for t, v in results[name].items()}
        ours_s, peer_s = shown["kaifang"], shown["sqlite-utils"]
        print(f"{name:36s} kaifang {ours_s:>6} s   sqlite-utils {peer_s:>6} s")
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    out = HERE / "results" / "cli.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
