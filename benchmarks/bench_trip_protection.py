"""M06A trips: publishing protected and verified at the published grain vs unprotected.

Generates an M06A-like trip table (``--trips`` rows over ``--days`` days on the full gantry
network; the generator of kaifang.sources.freeway.generate) under benchmarks/data/, then, in
the same run on the same files, each in a child process (wall time, peak RSS of the child):

- **unprotected**: the trips read, parsed and typed exactly as ``kaifang import freeway``
  does (``load_dataset``), then published as a version (date-partitioned zstd Parquet,
  fingerprints, catalog) with ``publish_batch`` — the import minus the protection;
- **protected**: ``kaifang import freeway DIR --accept-utility-loss --json``: the same read,
  then every trip classed on every published column at each step's grain, coarsened step by
  step and suppressed below k, the utility measured (trips, vehicle-km, gantry passages), the
  published rows verified (every class ≥ k, every value on its grain), and published.

The ratio protected / unprotected is the figure the issue asks for (target ≤ 3×).

    python benchmarks/bench_trip_protection.py --trips 10000000 --days 4
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kaifang.settings import load_settings  # noqa: E402
from kaifang.sources.freeway.generate import FreewayPlan, generate_freeway  # noqa: E402

START = date(2024, 3, 25)


def generate(out: Path, trips: int, days: int) -> int:
    marker = out / "plan.json"
    wanted = {"trips": trips, "days": days}
    if marker.exists() and json.loads(marker.read_text())["plan"] == wanted:
        return int(json.loads(marker.read_text())["rows"])
    shutil.rmtree(out, ignore_errors=True)
    plan = FreewayPlan(start=START, days=days, datasets=("M06A",), trips_per_day=trips // days)
    rows = generate_freeway(out, plan).rows["M06A"]
    marker.write_text(json.dumps({"plan": wanted, "rows": rows}))
    return rows


def publish_unprotected(data_dir: Path, folder: Path) -> dict[str, Any]:
    """The import's read and publish of M06A without the protection (child process)."""
    import duckdb

    from kaifang.catalog.db import open_catalog
    from kaifang.publish.relation import RelationSpec, publish_batch, relation_item
    from kaifang.sources.freeway import catalog_entries as entries
    from kaifang.sources.freeway.columns import PUBLISHER
    from kaifang.sources.freeway.importer import WORK_MEMORY_LIMIT
    from kaifang.sources.freeway.load import DATE_COLUMN, load_dataset

    settings = load_settings({}, data_dir=data_dir)
    with open_catalog(settings) as catalog:
        entries.ensure_organization(catalog)
    work = data_dir / "work"
    work.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(
        str(work / "work.duckdb"),
        config={"memory_limit": WORK_MEMORY_LIMIT, "temp_directory": str(work / "tmp")},
    )
    con.execute("SET enable_progress_bar = false")
    loaded = load_dataset(con, "M06A", sorted(folder.rglob("*.csv")))
    fields = [
        f for f in entries.dataset_fields("M06A") if f["name"] not in ("TimeGrain", "LengthGrain")
    ]
    spec = RelationSpec(
        org=entries.ORG_CODE,
        title="M06A unprotected (benchmark)",
        resource="bench_m06a_unprotected",
        fields=fields,
        metadata=entries.dataset_metadata("M06A"),
        partition_by=DATE_COLUMN,
        order_by=("GantryID_O", "DetectionTime_O"),
        publisher=PUBLISHER,
        source_file="benchmark",
        screening={"status": "not_screened", "publishable": True},
    )
    (result,) = publish_batch(settings, [relation_item(con.table(loaded.table), spec)])
    con.close()
    return {"rows": result.rows}


def publish_protected(data_dir: Path, folder: Path) -> dict[str, Any]:
    """``kaifang import freeway`` of the trips (child process)."""
    from kaifang.sources.freeway.importer import import_freeway

    settings = load_settings({}, data_dir=data_dir)
    (trips,) = import_freeway(settings, folder, accept_utility_loss=True).resources
    return {"rows": trips.rows, "screening": trips.screening}


def child(mode: str, data_dir: Path, folder: Path) -> None:
    started = time.perf_counter()
    run = publish_unprotected if mode == "unprotected" else publish_protected
    out = run(data_dir, folder)
    out["seconds"] = time.perf_counter() - started
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out, default=str))


def measure(mode: str, data_dir: Path, folder: Path) -> dict[str, Any]:
    shutil.rmtree(data_dir, ignore_errors=True)
    done = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--data-dir", str(data_dir), str(folder)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trips", type=int, default=10_000_000)
    parser.add_argument("--days", type=int, default=4)
    parser.add_argument("--child", choices=("unprotected", "protected"))
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("folder", nargs="?", type=Path)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.data_dir, args.folder)
        return
    data = ROOT / "benchmarks" / "data" / f"m06a-{args.trips}"
    started = time.perf_counter()
    rows = generate(data, args.trips, args.days)
    seconds = time.perf_counter() - started
    print(f"{rows:,} M06A trips over {args.days} days (generated in {seconds:.0f} s)")
    work = ROOT / "benchmarks" / "data" / "trip-protection"
    trips = data / "M06A"  # the trip files only (not the gantry table)
    plain = measure("unprotected", work / "unprotected", trips)
    guarded = measure("protected", work / "protected", trips)
    utility = guarded["screening"]["utility"]
    verification = guarded["screening"]["verification"]
    by_step = guarded["screening"]["rules"][1]["by_step"]
    lines = [
        f"unprotected: {plain['seconds']:.1f} s, peak {plain['peak_rss_mb']:.0f} MB, "
        f"{plain['rows']:,} rows",
        f"protected:   {guarded['seconds']:.1f} s, peak {guarded['peak_rss_mb']:.0f} MB, "
        f"{guarded['rows']:,} rows",
        f"ratio:       {guarded['seconds'] / plain['seconds']:.2f}x (target <= 3x)",
        f"by step:     {by_step}",
        f"utility:     {utility['message']}",
        f"verified:    {verification['classes']:,} classes, "
        f"smallest {verification['smallest_class']}",
    ]
    for line in lines:
        print(line)


if __name__ == "__main__":
    main()
