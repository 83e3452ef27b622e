"""Fixtures for the HTTP tests: a data directory with published datasets, the app in-process
(FastAPI's TestClient) and the same app under a real uvicorn server on a free local port."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

from kaifang.app import create_app
from kaifang.catalog import create_organization, open_catalog
from kaifang.publish import PublishResult, publish_file
from kaifang.settings import Settings
from tests.api.data import (
    ORG,
    OTHER_ORG,
    THEFT_FIELDS,
    FreewayRow,
    freeway_rows,
    write_freeway,
    write_theft,
)
from tests.catalogs import Catalogs

FREEWAY_V1_ROWS = 2_000


@dataclass(frozen=True)
class Published:
    settings: Settings
    freeway: PublishResult  # version 2: every row of ``rows``
    theft: PublishResult
    school: PublishResult
    rows: list[FreewayRow]

    @property
    def rows_v1(self) -> list[FreewayRow]:
        return self.rows[:FREEWAY_V1_ROWS]


def publish_fixtures(settings: Settings, files: Path) -> Published:
    """Two organizations, three datasets; the freeway resource has two versions."""
    with open_catalog(settings) as catalog:
        create_organization(catalog, ORG, name="臺北市政府警察局", name_en="Taipei City Police")
        create_organization(catalog, OTHER_ORG, name="教育部", name_en="Ministry of Education")
    rows = freeway_rows()
    first = publish_file(
        settings,
        write_freeway(files / "v1" / "freeway.csv", rows[:FREEWAY_V1_ROWS]),
        org=ORG,
        metadata={
            "title": "Freeway traffic volume 國道交通量",
            "description": "Vehicles counted per gantry every five minutes.",
            "keywords": ["traffic", "交通"],
            "category": "A00",
            "license": "CC-BY-4.0",
            "fields": {"Volume": "車流量（輛）", "GantryID": "門架編號"},
        },
    )
    freeway = publish_file(
        settings,
        write_freeway(files / "v2" / "freeway.csv", rows),
        org=ORG,
        dataset=first.dataset,
        resource=first.resource,
    )
    theft = publish_file(
        settings,
        write_theft(files / "theft.csv"),
        org=ORG,
        dataset_id="theft",  # chosen by the publisher (else qie_dao_dian_wei_zi_xun)
        metadata={
            "title": "竊盜點位資訊",
            "description": "臺北市住宅、汽車、機車、自行車竊盜案件的發生地點。",
            "keywords": ["竊盜", "治安"],
            "category": "E00",
            "fields": THEFT_FIELDS,
        },
    )
    school = publish_file(
        settings,
        write_freeway(files / "school.csv", rows[:30]),
        org=OTHER_ORG,
        metadata={
            "title": "School directory 學校名錄",
            "keywords": ["education"],
            "license": "CC0-1.0",
        },
    )
    return Published(settings, freeway, theft, school, rows)


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory, catalogs: Catalogs) -> Published:
    root = tmp_path_factory.mktemp("api")
    return publish_fixtures(catalogs.settings(root / "data", rate_limit=0), root / "files")


@pytest.fixture(scope="session")
def client(published: Published) -> Iterator[TestClient]:
    with TestClient(create_app(published.settings)) as test_client:
        yield test_client


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_up(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2.0).status_code < 500:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"no server answered {url} within {timeout} s")


@pytest.fixture(scope="session")
def live_server(published: Published) -> Iterator[str]:
    """The app under a real uvicorn server in a thread; yields its base URL."""
    with serving(published.settings) as base:
        yield base


@contextmanager
def serving(settings: Settings) -> Iterator[str]:
    """An app on ``settings`` under a real uvicorn server in a thread; yields its base URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    settings = settings.replace(base_url=base)  # links point at this server
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        wait_until_up(base + "/api/datasets")
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=10)
