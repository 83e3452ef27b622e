"""Run every benchmark in turn with its default arguments; each also runs alone
(``python benchmarks/bench_<topic>.py --help``). Figures go to docs/benchmarks.md by hand:
report only what a run measured."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = [
    "bench_reading.py",
    "bench_publish.py",
    "bench_diff.py",
    "bench_privacy.py",
    "bench_screen_text.py",
    "bench_cli.py",
    "bench_api.py",
    "bench_freeway.py",
    "bench_scaleout.py",
    "bench_exports.py",
]


def main() -> int:
    failed = []
    for name in BENCHMARKS:
        print(f"== {name}", flush=True)
        if subprocess.run([sys.executable, str(HERE / name)], check=False).returncode != 0:
            failed.append(name)
    if failed:
        print("failed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
