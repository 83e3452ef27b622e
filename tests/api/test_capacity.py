"""Heavy requests have their own capacity: past it they queue, then get 503 with Retry-After;
one client cannot hold more than its share; cheap requests are answered meanwhile."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from kaifang.api.capacity import is_heavy
from kaifang.app import create_app
from tests.api.conftest import Published

# runs into the time limit
SLOW = "SELECT sum(a.range + b.range) FROM range(100000000) a, range(100000) b"


@pytest.mark.parametrize(
    ("path", "heavy"),
    [
        ("/api/sql", True),
        ("/api/resources/freeway/aggregate", True),
        ("/api/resources/freeway/download.csv", True),
        ("/api/analyses/freeway/volume", True),
        ("/api/3/action/datastore_search_sql", True),
        ("/api/resources/freeway/rows", False),
        ("/api/datasets", False),
        ("/static/portal/kaifang.css", False),
        ("/api/3/action/package_search", False),
    ],
)
def test_which_requests_are_heavy(path: str, heavy: bool) -> None:
    assert is_heavy(path) is heavy


def _limited(published: Published, **changes: int) -> TestClient:
    settings = published.settings.replace(query_timeout=2.0, query_workers=1, **changes)
    return TestClient(create_app(settings))


def _in_background(client: TestClient, sql: str) -> Iterator[threading.Thread]:
    thread = threading.Thread(target=lambda: client.get("/api/sql", params={"sql": sql}))
    thread.start()
    time.sleep(0.5)
    yield thread
    thread.join(timeout=15)


def test_a_full_heavy_queue_is_503_and_cheap_requests_go_on(published: Published) -> None:
    with _limited(published, heavy_requests=1, heavy_queue=0) as client:
        assert client.get("/api/sql", params={"sql": "SELECT 1"}).status_code == 200
        for _thread in _in_background(client, SLOW):
            busy = client.get("/api/sql", params={"sql": "SELECT 1"})
            assert busy.status_code == 503, busy.text
            assert busy.json()["error"]["code"] == "busy"
            assert int(busy.headers["retry-after"]) >= 1
            started = time.monotonic()
            assert client.get("/api/datasets").status_code == 200
            assert (
                client.get(f"/api/resources/{published.freeway.resource}/rows").status_code == 200
            )
            assert time.monotonic() - started < 1.0
        assert client.get("/api/sql", params={"sql": "SELECT 1"}).status_code == 200


def test_one_client_cannot_hold_more_than_its_share(published: Published) -> None:
    with _limited(published, heavy_requests=4, heavy_per_client=1) as client:
        for _thread in _in_background(client, SLOW):
            second = client.get("/api/sql", params={"sql": "SELECT 1"})
            assert second.status_code == 429, second.text
            assert "heavy requests" in second.json()["error"]["message"]
            assert second.headers["retry-after"]


def _server_ms(response: httpx.Response) -> float:
    name, _, duration = response.headers["server-timing"].partition(";dur=")
    assert name == "app"
    return float(duration)


def test_responses_tell_the_servers_own_time(published: Published) -> None:
    """Server-Timing tells the server's share of a wait (the load test reports it beside the
    client's): a queued heavy request's includes its time in the queue."""
    with _limited(published, heavy_requests=1, heavy_queue=4) as client:
        for path in ("/api/datasets", "/static/portal/kaifang.css", "/api/nowhere"):
            assert 0 <= _server_ms(client.get(path)) < 60_000
        for _thread in _in_background(client, SLOW):
            queued = client.get("/api/sql", params={"sql": "SELECT 1"})
            assert queued.status_code == 200, queued.text
            assert _server_ms(queued) >= 500  # waited for SLOW's slot (time limit 2 s)
