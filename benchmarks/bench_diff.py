"""`kaifang diff` of two large versions against the publish of one of them, same data, same
run: the diff should take at most 3x the publish.

    python benchmarks/bench_diff.py --rows 10000000
    python benchmarks/bench_diff.py --rows 200000          # quick check

Version 1 is a generated CSV (id, category, district, date, amount, note); version 2 drops
1 % of its ids, changes another 1 % and adds 1 % new ids. Both are published with
`publish_file` into a fresh data directory (SQLite catalog); then `diff_resource` runs by the
declared key (metadata `primary_key: [id]`), by the inferred key (none declared: the first
unique, never-empty column) and by whole rows (the engine's hashed diff on the same two
versions' files, as for a resource without a key), each timed. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb
from sqlalchemy import select

from kaifang.catalog import create_organization, open_catalog
from kaifang.catalog.models import Dataset
from kaifang.diff import diff_resource
from kaifang.diff.engine import Side, hashed_diff
from kaifang.publish import publish_file
from kaifang.settings import load_settings
from kaifang.storage import VersionStore, parquet_scan_sql

ORG = "379130000E"


def generate(folder: Path, rows: int) -> tuple[Path, Path]:
    con = duckdb.connect(config={"memory_limit": "2GB", "temp_directory": str(folder / "tmp")})
    body = (
        "SELECT i AS id, ['home', 'car', 'scooter', 'bike'][1 + i % 4] AS category, "
        "'district ' || (i % 37) AS district, DATE '2024-01-01' + (i % 366)::INT AS day, "
        "{amount} AS amount, 'note ' || (hash(i) % 100000) AS note FROM range({n}) t(i) {where}"
    )
    v1, v2 = folder / "v1.csv", folder / "v2.csv"
    con.execute(f"COPY ({body.format(amount='i % 1000', n=rows, where='')}) TO '{v1}' (HEADER)")
    changed = "CASE WHEN i % 100 = 7 THEN -1 ELSE i % 1000 END"
    kept = f"WHERE i % 100 <> 3 OR i >= {rows}"
    second = body.format(amount=changed, n=rows + rows // 100, where=kept)
    con.execute(f"COPY ({second}) TO '{v2}' (HEADER)")
    con.close()
    return v1, v2


def timed(run: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kaifang-bench-diff-"))
    try:
        v1, v2 = generate(folder, args.rows)
        settings = load_settings({}, data_dir=folder / "data")
        with open_catalog(settings) as catalog:
            create_organization(catalog, ORG, name="bench")
        publish_v1, first = timed(
            lambda: publish_file(
                settings, v1, org=ORG, title="bench", metadata={"primary_key": ["id"]}
            )
        )
        publish_v2, _ = timed(lambda: publish_file(settings, v2, org=ORG, dataset=first.dataset))
        store = VersionStore(settings)
        results: dict[str, Any] = {
            "rows": args.rows,
            "publish_v1_s": round(publish_v1, 2),
            "publish_v2_s": round(publish_v2, 2),
        }
        with open_catalog(settings) as catalog:
            seconds, found = timed(lambda: diff_resource(catalog, store, first.resource))
        results["diff_declared_key_s"] = round(seconds, 2)
        results["counts"] = {k: found[k] for k in ("added", "removed", "changed", "key")}
        with open_catalog(settings) as catalog, catalog.write() as session:
            dataset = session.scalar(select(Dataset).where(Dataset.slug == first.dataset))
            assert dataset is not None
            dataset.extras = {k: v for k, v in (dataset.extras or {}).items() if k != "primary_key"}
        with open_catalog(settings) as catalog:
            seconds, found = timed(lambda: diff_resource(catalog, store, first.resource))
        results["diff_inferred_key_s"] = round(seconds, 2)
        assert found["key_source"] == "inferred", found
        fields = store.read_manifest(first.resource, 1)["schema"]["fields"]
        con = duckdb.connect(config={"memory_limit": "1GB", "temp_directory": str(folder / "tmp")})
        sides = [
            Side(parquet_scan_sql(store.version_files(first.resource, n)), fields) for n in (1, 2)
        ]
        seconds, found = timed(lambda: hashed_diff(con, sides[0], sides[1], 10))
        results["diff_whole_rows_s"] = round(seconds, 2)
        results["whole_rows_counts"] = {k: found[k] for k in ("added", "removed")}
        results["diff_over_publish"] = round(
            results["diff_declared_key_s"] / results["publish_v2_s"], 2
        )
        print(json.dumps(results, indent=2))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
