"""The demo's second portal: a small, fictional "city portal" with its own data directory and
catalog, served on the port after the main one, which the main portal then harvests through
the national spec (``/api/v1``) — so ``make demo`` shows federation working. The city and its
data are made up (code DEMOCITY0A); nothing here stands for a real agency."""

from __future__ import annotations

import csv
import random
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from kaifang.app import create_app
from kaifang.catalog import create_organization, open_catalog
from kaifang.errors import ConflictError
from kaifang.harvest.run import run_source
from kaifang.harvest.sources import add_source
from kaifang.publish import publish_file
from kaifang.settings import Settings

CITY_CODE = "DEMOCITY0A"
CITY_NAME = "示範市政府（虛構）"
SOURCE = "demo-city"
DISTRICTS = ("東區", "西區", "南區", "北區", "中區", "安平區", "海濱區")


@dataclass
class City:
    settings: Settings
    url: str
    server: uvicorn.Server
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def _write(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _publish_city(settings: Settings) -> None:
    """The city's own datasets (made up, deterministic), published once."""
    with open_catalog(settings) as catalog:
        try:
            create_organization(catalog, CITY_CODE, name=CITY_NAME, name_en="Demo City (fictional)")
        except ConflictError:
            return  # published on an earlier run
    rng = random.Random(7)
    files = settings.data_dir / "files"
    parks = [[f"P{i:03d}", f"{rng.choice(DISTRICTS)}第{i}號公園", rng.randint(300, 90_000)]
             for i in range(1, 61)]  # fmt: skip
    bikes = [[f"B{i:03d}", f"{rng.choice(DISTRICTS)}站{i}", rng.randint(10, 60)]
             for i in range(1, 41)]  # fmt: skip
    for path, title, keywords, description in (
        (_write(files / "parks.csv", ["park_id", "name", "area_m2"], parks),
         "示範市公園一覽", ["公園", "綠地"], "示範市各區公園的名稱與面積（虛構資料）。"),
        (_write(files / "bikes.csv", ["station_id", "name", "docks"], bikes),
         "示範市公共自行車站", ["自行車", "交通"], "示範市公共自行車站與車位數（虛構資料）。"),
    ):  # fmt: skip
        publish_file(settings, path, org=CITY_CODE, metadata={
            "title": title, "keywords": keywords, "description": description,
            "update_frequency": "monthly", "license": "OGDL-Taiwan-1.0",
        })  # fmt: skip


def city_settings(main: Settings) -> Settings:
    """The city portal's own data directory (and SQLite catalog) inside the main one's."""
    return Settings(data_dir=main.data_dir / "demo-city")


def start_city(settings: Settings, *, host: str, port: int) -> City:
    """Publish the city's datasets (once) and serve its portal in a thread."""
    url = f"http://{host}:{port}"
    settings = settings.replace(base_url=url, rate_limit=0)
    _publish_city(settings)
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host=host, port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, name="kaifang-demo-city", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/v1/rest/dataset", timeout=2).status_code == 200:
                return City(settings, url, server, thread)
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    server.should_exit = True
    raise RuntimeError(f"the demo city portal did not answer at {url}")


def harvest_city(main: Settings, city: City) -> dict[str, Any]:
    """Register the city as a harvest source of the main portal (once) and harvest it."""
    with open_catalog(main) as catalog:
        try:
            create_organization(catalog, CITY_CODE, name=CITY_NAME, name_en="Demo City (fictional)")
        except ConflictError:
            pass
        try:
            add_source(catalog, SOURCE, city.url, kind="tw-spec", org=CITY_CODE, schedule="hourly")
        except ConflictError:
            pass
        return run_source(main, catalog, SOURCE, full=True).to_dict()
