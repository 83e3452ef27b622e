"""Writing stays in bounded memory: Arrow's peak does not grow with the number of rows."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PROBE = Path(__file__).with_name("memory_probe.py")
MB = 1_000_000


def peak_bytes(data_dir: Path, rows: int, partition_by: str | None) -> int:
    child = subprocess.run(
        [
            sys.executable,
            str(PROBE),
            str(data_dir),
            str(rows),
            *([partition_by] if partition_by else []),
        ],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert child.returncode == 0, child.stderr
    return int(child.stdout)


@pytest.mark.slow
@pytest.mark.parametrize("partition_by", [None, "day"])
def test_peak_memory_stays_flat_as_rows_grow(tmp_path: Path, partition_by: str | None) -> None:
    small = peak_bytes(tmp_path / "small", 500_000, partition_by)
    large = peak_bytes(tmp_path / "large", 3_000_000, partition_by)  # ~120 MB of Arrow data
    assert large < small * 1.5 + 2 * MB
    assert large < 40 * MB
