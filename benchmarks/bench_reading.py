"""Benchmark: kaifang's reader against DuckDB's own CSV reader, CSV -> Parquet (zstd).

Generates a freeway-like CSV (timestamps, gantry codes, leading-zero codes, integers,
floats, Chinese text) of the requested size in UTF-8 and a CP950 (Big5) twin under
benchmarks/data/, then times in separate subprocesses, on the same files, in the same run:

- duckdb:            COPY (SELECT * FROM read_csv(file)) TO out.parquet (zstd)
- kaifang-relation:  open_table(file), then COPY table.relation(con) TO out.parquet (zstd)
- kaifang-batches:   open_table(file), then table.batches() -> pyarrow ParquetWriter (zstd)

Each subprocess reports its own wall time and peak RSS; each run is repeated (interleaved)
and the best time kept. DuckDB cannot read Big5 here (its `encodings` extension would have to
be downloaded), so both files are compared with DuckDB on the UTF-8 file. Example:

    python benchmarks/bench_reading.py --size-gb 1 --rss-size-gb 5
"""

from __future__ import annotations

import argparse
import codecs
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
ROOT = Path(__file__).resolve().parents[1]


def generate_utf8(path: Path, size_gb: float) -> None:
    import duckdb

    if path.exists() and path.stat().st_size >= size_gb * 1e9 * 0.98:
        return
    rows = int(size_gb * 1e9 / 72)  # rows are about 74 bytes
    con = duckdb.connect()
    con.execute(
        f"""COPY (
          SELECT
            strftime(TIMESTAMP '2024-03-25' + INTERVAL (i // 4000 * 5) MINUTE, '%Y-%m-%d %H:%M')
              AS time_interval,
            printf('%02dF%04d%s', i % 10 + 1, i % 3731, ['N', 'S'][i % 2 + 1]) AS gantry_from,
            printf('%02dF%04d%s', i % 10 + 1, (i + 7) % 3731, ['N', 'S'][i % 2 + 1]) AS gantry_to,
            printf('%06d', i % 999983) AS station_code,
            [31, 32, 41, 42, 5][i % 5 + 1] AS vehicle_type,
            (i * 7919) % 2000 AS volume,
            round(((i * 104729) % 100000) / 997.0, 3) AS travel_time,
            ['國道1號北向', '國道3號南向', '臺北市中正區', '高雄市前鎮區'][i % 4 + 1] AS road
          FROM range({rows}) t(i)
        ) TO '{path}' (HEADER true, DELIMITER ',')"""
    )


def generate_big5(source: Path, path: Path) -> None:
    if path.exists() and path.stat().st_size >= source.stat().st_size * 0.8:
        return
    decoder = codecs.getincrementaldecoder("utf-8")()
    with source.open("rb") as src, path.open("wb") as out:
        while chunk := src.read(32 * 1024 * 1024):
            out.write(decoder.decode(chunk).encode("cp950"))


def run_one(engine: str, source: Path, out: Path) -> dict[str, object]:
    """Run in a subprocess: convert ``source`` to ``out`` and report time and peak RSS."""
    import duckdb

    start = time.perf_counter()
    detail: dict[str, object] = {}
    if engine == "duckdb":
        con = duckdb.connect()
        con.execute(
            f"COPY (SELECT * FROM read_csv('{source}')) TO '{out}' "
            "(FORMAT parquet, COMPRESSION zstd)"
        )
    else:
        sys.path.insert(0, str(ROOT))
        from kaifang.reading import open_table

        with open_table(source) as table:
            detail["analysed_s"] = round(time.perf_counter() - start, 2)
            detail["rows"] = table.rows
            detail["types"] = [f.type for f in table.fields]
            if engine == "kaifang-relation":
                con = duckdb.connect(config={"memory_limit": "512MB"})
                table.relation(con).write_parquet(str(out), compression="zstd")
            else:
                import pyarrow.parquet as pq

                reader = table.batches(122_880)
                with pq.ParquetWriter(out, reader.schema, compression="zstd") as writer:
                    for batch in reader:
                        writer.write_batch(batch)
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "engine": engine,
        "seconds": round(seconds, 2),
        "peak_rss_mb": peak_kb // 1024,
        **detail,
    }


def measure(engine: str, source: Path) -> dict[str, object]:
    out = DATA / f"out-{engine}.parquet"
    proc = subprocess.run(
        [sys.executable, __file__, "--run", engine, str(source), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    out.unlink(missing_ok=True)
    if proc.returncode != 0:
        raise SystemExit(f"{engine} failed on {source.name}:\n{proc.stderr[-2000:]}")
    result: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    result["file"] = source.name
    result["file_mb"] = source.stat().st_size // 1_000_000
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size-gb", type=float, default=1.0, help="size of the speed test file")
    parser.add_argument(
        "--rss-size-gb", type=float, default=5.0, help="size of the memory test file (0: skip)"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per engine and file (best kept)"
    )
    parser.add_argument(
        "--engines",
        default="duckdb,kaifang-relation,kaifang-batches",
        help="comma-separated engines to time",
    )
    parser.add_argument(
        "--run", nargs=3, metavar=("ENGINE", "SOURCE", "OUT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.run:
        engine, source, out = args.run
        print(json.dumps(run_one(engine, Path(source), Path(out))))
        return
    DATA.mkdir(parents=True, exist_ok=True)
    engines = args.engines.split(",")
    utf8 = DATA / f"freeway-{args.size_gb:g}gb.csv"
    big5 = DATA / f"freeway-{args.size_gb:g}gb.big5.csv"
    generate_utf8(utf8, args.size_gb)
    generate_big5(utf8, big5)
    # Interleaved repeats, best time kept: the machine is shared, so single runs are noisy.
    results = []
    for _ in range(args.repeat):
        results += [measure(e, utf8) for e in engines]
        results += [measure(e, big5) for e in engines if e != "duckdb"]
    by: dict[tuple[object, object], float] = {}
    for r in results:
        key = (r["engine"], r["file"])
        by[key] = min(by.get(key, float("inf")), float(str(r["seconds"])))
    for (engine, file), seconds in by.items():
        print(f"best {engine} on {file}: {seconds:.2f} s")
    duck = by.get(("duckdb", utf8.name))
    if duck:
        for (engine, file), seconds in by.items():
            if engine != "duckdb":
                print(
                    f"{engine} on {file}: {duck / seconds:.0%} of DuckDB's speed on the UTF-8 file"
                )
    if args.rss_size_gb:
        big = DATA / f"freeway-{args.rss_size_gb:g}gb.csv"
        generate_utf8(big, args.rss_size_gb)
        measure("kaifang-relation", big)


if __name__ == "__main__":
    main()
