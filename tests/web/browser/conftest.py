"""A real uvicorn server on 127.0.0.1:<free port> over a temporary data directory, and Debian's
chromium driven by Playwright (``executable_path``; never ``playwright install``)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import Browser, Page, Request, sync_playwright

from kaifang.catalog.accounts import create_organization, create_token, create_user
from kaifang.catalog.db import open_catalog
from kaifang.demo import SMALL_DEMO, load_demo
from kaifang.publish import publish_file
from kaifang.settings import Settings
from tests.catalogs import Catalogs, catalog_env

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
XSS_TITLE = '竊盜點位 <img src=x onerror=alert(1)><script>alert("x")</script>'
CATEGORIES = ("住宅竊盜", "汽車竊盜", "機車竊盜", "自行車竊盜")
DISTRICTS = ("大安區", "文山區", "中正區", "信義區")


@dataclass(frozen=True)
class Site:
    url: str
    data_dir: Path
    dataset: str
    resource: str
    token: str
    env: dict[str, str] = field(default_factory=dict)  # the server's (another may share it)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _theft_csv(path: Path) -> None:
    lines = ["編號,案類,發生日期,發生時段,行政區,件數"]
    for i in range(60):
        day = 1040101 + (i % 28)
        band = ("00~02", "06~08", "12~14", "18~20")[i % 4]
        lines.append(f"{i + 1},{CATEGORIES[i % 4]},{day},{band},{DISTRICTS[i % 3]},{3 + i % 5}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _build(settings: Settings, work: Path) -> tuple[str, str, str]:
    with open_catalog(settings) as catalog:
        create_organization(catalog, "379130000E", name="臺北市政府警察局")
        create_user(catalog, "steward", org="379130000E", role="editor")
        token = create_token(catalog, "steward").token
    data = work / "theft.csv"
    _theft_csv(data)
    meta = work / "meta.yaml"
    meta.write_text(
        yaml.safe_dump(
            {
                "title": XSS_TITLE,
                "description": "臺北市竊盜案件點位（測試資料）<b>not bold</b>",
                "keywords": ["竊盜", "治安"],
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    result = publish_file(settings, data, org="379130000E", metadata=str(meta))
    # a small demo (every flagship source, as `kaifang demo` loads it) under the same data
    # directory, so the dashboards draw from the real analyses endpoints
    load_demo(settings, SMALL_DEMO)
    return result.dataset, result.resource, token


@contextmanager
def serving(env: dict[str, str], log_path: Path) -> Iterator[str]:
    """``kaifang serve`` on a free loopback port with ``env`` (its URL, once it answers)."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = log_path.open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "kaifang", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env={**env, "KAIFANG_BASE_URL": url},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/datasets", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the server did not start:\n{log_path.read_text()}")
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory, catalogs: Catalogs) -> Iterator[Site]:
    work = tmp_path_factory.mktemp("browser")
    settings = catalogs.settings(work / "data")
    dataset, resource, token = _build(settings, work)
    # webhooks to a receiver the tests start on loopback
    env = {**catalog_env(settings), "KAIFANG_WEBHOOK_ALLOW_PRIVATE": "1"}
    with serving(env, work / "server.log") as url:
        yield Site(url, work / "data", dataset, resource, token, env)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: run scripts/install-system-deps")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-TW")
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    try:
        yield tab
    finally:
        context.close()


def api(site: Site, path: str) -> Any:
    """The JSON answer of one API call, to compare with what a page draws."""
    with urllib.request.urlopen(site.url + path, timeout=30) as response:
        return json.loads(response.read())


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


# The option ECharts is drawing in the chart box under ``selector`` (functions left out), or
# None where no chart was drawn there.
_OPTION = """(selector) => {
  const box = document.querySelector(selector);
  const chart = box && window.echarts && window.echarts.getInstanceByDom(box);
  return chart ? JSON.parse(JSON.stringify(chart.getOption())) : null;
}"""


def chart_option(page: Page, selector: str) -> dict[str, Any]:
    """What the chart under ``selector`` draws, once it is drawn."""
    page.wait_for_function(
        "(s) => { const b = document.querySelector(s); return b && window.echarts "
        "&& window.echarts.getInstanceByDom(b); }",
        arg=selector,
    )
    option: dict[str, Any] = page.evaluate(_OPTION, selector)
    return option


def watch_requests(page: Page, problems: list[str]) -> None:
    """Record each request of ``page`` that fails, but not one the browser cancelled because
    the page navigated on (``net::ERR_ABORTED``: a favicon still loading when a link is
    followed); a refused or broken request is a problem."""

    def failed(request: Request) -> None:
        failure = request.failure or ""
        if "ERR_ABORTED" not in failure:
            problems.append(f"failed: {request.url} ({failure})")

    page.on("requestfailed", failed)
