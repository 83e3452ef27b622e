"""Fixtures for harvesting: a second kaifang server (the "city portal") with two published
datasets, a static file server for remote files, and the harvesting portal's settings."""

from __future__ import annotations

import csv
import functools
import http.server
import itertools
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn

from kaifang.app import create_app
from kaifang.catalog import create_organization, open_catalog
from kaifang.publish import PublishResult, publish_file
from kaifang.settings import Settings
from tests.api.conftest import free_port, wait_until_up
from tests.catalogs import Catalogs

CITY_ORG = "379000000A"
HOME_ORG = "A61000000A"


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@dataclass(frozen=True)
class City:
    url: str
    settings: Settings
    parks: PublishResult
    buses: PublishResult
    files: Path


def _parks(files: Path, n: int) -> Path:
    rows: list[list[object]] = [[f"P{i:03d}", f"公園{i}", 100 + i] for i in range(n)]
    return write_csv(files / f"parks{n}.csv", ["park_id", "name", "area_m2"], rows)


def publish_city(settings: Settings, files: Path) -> tuple[PublishResult, PublishResult]:
    with open_catalog(settings) as catalog:
        create_organization(catalog, CITY_ORG, name="臺南市政府", name_en="Tainan City")
    parks = publish_file(
        settings,
        _parks(files, 20),
        org=CITY_ORG,
        metadata={
            "title": "臺南市公園一覽",
            "description": "臺南市各區公園的名稱與面積。",
            "keywords": ["公園", "綠地"],
            "license": "OGDL-Taiwan-1.0",
            "update_frequency": "monthly",
        },
    )
    buses = publish_file(
        settings,
        write_csv(files / "buses.csv", ["route", "stops"], [["1", 20], ["2", 31], ["5", 12]]),
        org=CITY_ORG,
        metadata={"title": "臺南市公車路線", "keywords": ["公車"], "license": "CC-BY-4.0"},
    )
    return parks, buses


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory, catalogs: Catalogs) -> Iterator[City]:
    """A second kaifang instance under a real uvicorn server, as a city's own portal."""
    root = tmp_path_factory.mktemp("city")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    settings = catalogs.settings(root / "data", rate_limit=0, base_url=url)
    parks, buses = publish_city(settings, root / "files")
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        wait_until_up(url + "/api/datasets")
        yield City(url, settings, parks, buses, root / "files")
    finally:
        server.should_exit = True
        thread.join(timeout=10)


_SIZES = itertools.count(21)


def republish_parks(city: City) -> PublishResult:
    """A new version of the city's parks, one row longer each time (so its modified time
    moves, whichever test of the module calls it)."""
    result = publish_file(
        city.settings, _parks(city.files, next(_SIZES)), org=CITY_ORG, dataset=city.parks.dataset
    )
    assert not result.unchanged
    return result


@pytest.fixture
def home(settings: Settings) -> Settings:
    """The harvesting portal: an organization to file harvested datasets under; link checks
    and retries as configured in production, but short backoff."""
    with open_catalog(settings) as catalog:
        create_organization(catalog, HOME_ORG, name="中央選舉委員會")
    return settings.replace(harvest_retries=1)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def file_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A plain static HTTP server over a folder, for remote files: (base URL, folder)."""
    folder = tmp_path / "remote"
    folder.mkdir()
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", folder
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
