"""Several processes share one PostgreSQL catalog: two `kaifang serve` workers answer while
two publishers publish at once; every version lands once, and every worker sees all of it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kaifang.catalog import create_organization, open_catalog
from kaifang.publish import publish_file
from kaifang.settings import load_settings
from tests.storage.s3_server import free_port

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parents[2]
ORG = "379130000E"
PUBLISHERS, EACH = 2, 3
PUBLISHER = [sys.executable, "-m", "tests.scaleout.publisher"]


def get_json(base: str, path: str, **params: str) -> Any:
    url = f"{base}{path}?{urllib.parse.urlencode(params)}" if params else base + path
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read())


@pytest.fixture
def server(fresh_postgres_url: str, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`kaifang serve --workers 2` on a fresh catalog (the workers migrate it at start)."""
    data_dir, port = tmp_path / "data", free_port()
    env = {**os.environ, "KAIFANG_DATABASE_URL": fresh_postgres_url, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "kaifang", "--data-dir", str(data_dir), "serve"]
    with (tmp_path / "serve.log").open("wb") as log_file:
        process = subprocess.Popen(
            [*command, "--port", str(port), "--workers", "2"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log_file,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                get_json(base, "/api/datasets")
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    log = (tmp_path / "serve.log").read_text(errors="replace")
                    pytest.fail(f"kaifang serve did not answer:\n{log[-3000:]}")
                time.sleep(0.5)
        yield base, data_dir
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_workers_and_publishers_share_one_catalog(
    server: tuple[str, Path], fresh_postgres_url: str, tmp_path: Path
) -> None:
    base, data_dir = server
    settings = load_settings({}, data_dir=data_dir, database_url=fresh_postgres_url)
    with open_catalog(settings) as catalog:
        create_organization(catalog, ORG, name="臺北市政府警察局")
    first = tmp_path / "shared.csv"
    first.write_text("id,label\n0,start\n", encoding="utf-8")
    shared = publish_file(settings, first, org=ORG, title="shared")

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    shared_args = [shared.dataset, shared.resource]
    publishers = [
        subprocess.Popen(
            [*PUBLISHER, str(data_dir), fresh_postgres_url, f"p{n}", str(EACH), *shared_args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(PUBLISHERS)
    ]
    answers = 0
    while any(p.poll() is None for p in publishers) and answers < 200:
        get_json(base, "/api/sql", sql=f"SELECT count(*) FROM {shared.resource}")
        answers += 1
    results = []
    for publisher in publishers:
        out, err = publisher.communicate(timeout=240)
        assert publisher.returncode == 0, err
        results.extend(json.loads(out))

    shared_versions = sorted(r["shared"] for r in results)
    assert shared_versions == list(range(2, 2 + PUBLISHERS * EACH))  # each version once
    listed = {d["identifier"] for d in get_json(base, "/api/datasets", limit="100")["data"]}
    assert len(listed) == 1 + PUBLISHERS * EACH
    for _ in range(4):  # requests spread over both workers: each sees every version
        for result in results:
            answer = get_json(base, "/api/sql", sql=f"SELECT count(*) FROM {result['resource']}")
            assert answer["rows"] == [[result["rows"]]]
        last = get_json(base, "/api/sql", sql=f"SELECT count(*) FROM {shared.resource}__v7")
        assert last["rows"][0][0] >= 2
