"""``kaifang serve`` in a real subprocess, with one and with two worker processes."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.api.conftest import Published, free_port, wait_until_up
from tests.catalogs import catalog_env

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_serve_answers_the_api(published: Published, workers: int) -> None:
    port = free_port()
    env = {**catalog_env(published.settings), "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "kaifang", "serve", "--port", str(port)]
    command += ["--data-dir", str(published.settings.data_dir), "--workers", str(workers)]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/api/datasets", timeout=60)
        body = httpx.get(f"http://127.0.0.1:{port}/api/datasets", timeout=10).json()
        assert body["count"] == 3
        rows = httpx.get(f"http://127.0.0.1:{port}/api/resources/freeway/rows?_limit=3").json()
        assert len(rows["rows"]) == 3
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            output, _ = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            output, _ = proc.communicate()
    assert proc.returncode == 0, output.decode()
    if workers == 2:
        assert output.decode().count("Started server process") == 2
