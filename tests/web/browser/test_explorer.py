"""The explorer as a journalist uses it: a filtered, sorted view kept in the address (shared
links restore it, back and forward walk it), the matching-row count, downloads of exactly
that view in every format, the SQL box, copy buttons; and search as a citizen uses it."""

from __future__ import annotations

import csv
import io
import urllib.request
from collections.abc import Iterator
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.web.browser.conftest import CATEGORIES, Site, api, screenshot, watch_requests

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# the theft table of the test portal: 60 rows, 15 of each category
CAR = CATEGORIES[1]
CAR_VIEW = f"?{quote('案類')}={quote(CAR)}&_sort_desc={quote('編號')}"
# a table with a name, an address and counts, for the privacy review
PEOPLE = "姓名,地址,件數\n王小明,臺北市大安區和平東路一段1號,3\n陳大文,臺北市文山區木柵路2號,5\n"
# the console errors a test causes on purpose: the browser logs the refused query's 400
EXPECTED_CONSOLE = {"test_the_sql_box": "status of 400 (Bad Request)"}


@pytest.fixture(params=[(1280, "zh-TW"), (390, "en")], ids=["1280-zh", "390-en"])
def tab(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A tab at each width and language, failing on any console error or failed request."""
    width, lang = request.param
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=lang)
    context.add_cookies([{"name": "kaifang_lang", "value": lang, "url": "http://127.0.0.1"}])
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    watch_requests(page, problems)
    try:
        yield page
        expected = EXPECTED_CONSOLE.get(request.node.originalname)
        assert [p for p in problems if not (expected and expected in p)] == []
        if width < 500:
            assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()


def _first_ids(page: Page) -> list[str]:
    return page.locator("#preview tbody tr td:nth-child(1)").all_inner_texts()


def _download(site: Site, href: str) -> bytes:
    with urllib.request.urlopen(site.url + href, timeout=30) as response:
        return bytes(response.read())


def test_a_shared_link_restores_the_view_and_its_downloads(tab: Page, site: Site) -> None:
    tab.goto(f"{site.url}/resources/{site.resource}{CAR_VIEW}")
    expect(tab.locator("#preview tbody tr")).to_have_count(15)
    expect(tab.locator("#preview th[aria-sort=descending]")).to_have_count(1)
    assert _first_ids(tab)[0] == "58"
    # the matching rows, not the table's 60
    expect(tab.locator("#preview-status")).to_contain_text("15")
    expect(tab.locator("#active-filters")).to_contain_text(f"案類 = {CAR}")
    # every download link carries the view; the CSV holds exactly the 15 rows, in that order
    links = tab.locator("#export a[data-format]")
    expect(links).to_have_count(7)
    for href in links.evaluate_all("(links) => links.map((a) => a.getAttribute('href'))"):
        query = dict(parse_qsl(urlsplit(href).query))
        assert query["案類"] == CAR and query["_sort_desc"] == "編號", href
    expect(tab.locator("#export-filtered")).to_be_visible()
    # the same view through the API, ready to copy
    api_call = tab.locator("#view-api")
    expect(api_call).to_contain_text(f"/rows?{quote('案類')}={quote(CAR)}&_sort_desc=")
    expect(api_call).to_contain_text("_limit=100")
    href = links.first.get_attribute("href") or ""
    rows = list(csv.DictReader(io.StringIO(_download(site, href).decode("utf-8"))))
    assert [r["編號"] for r in rows] == [str(n) for n in range(58, 0, -4)]
    screenshot(tab, f"explorer-shared-{tab.viewport_size['width']}")  # type: ignore[index]


def test_filters_and_sort_go_to_the_address_and_back_restores_them(tab: Page, site: Site) -> None:
    tab.goto(f"{site.url}/resources/{site.resource}")
    expect(tab.locator("#preview tbody tr")).to_have_count(25)
    tab.locator("#filter-column").select_option("件數")
    tab.locator("#filter-op").select_option("__gt")
    tab.locator("#filter-value").fill("5")
    tab.locator("#filter-value").press("Enter")
    expect(tab).to_have_url(f"{site.url}/resources/{site.resource}?{quote('件數')}__gt=5")
    matched = sum(1 for i in range(60) if 3 + i % 5 > 5)
    expect(tab.locator("#preview tbody tr")).to_have_count(min(25, matched))
    expect(tab.locator("#preview-status")).to_contain_text(str(matched))
    expect(tab.locator("#active-filters")).to_contain_text("件數 > 5")
    tab.locator("#preview thead button.sort", has_text="編號").click()
    expect(tab.locator("#preview th[aria-sort=ascending]")).to_have_count(1)
    assert "_sort=" in tab.url
    tab.go_back()  # the filter without the sort
    expect(tab.locator("#preview th[aria-sort]")).to_have_count(0)
    expect(tab.locator("#active-filters")).to_contain_text("件數 > 5")
    tab.go_back()  # the whole table
    expect(tab.locator("#active-filters")).to_have_text("")
    expect(tab.locator("#preview tbody tr")).to_have_count(25)
    expect(tab.locator("#export-filtered")).to_be_hidden()
    tab.go_forward()
    expect(tab.locator("#active-filters")).to_contain_text("件數 > 5")
    expect(tab.locator("#preview-status")).to_contain_text(str(matched))


def test_a_bad_filter_value_keeps_the_view_and_the_address(tab: Page, site: Site) -> None:
    tab.goto(f"{site.url}/resources/{site.resource}{CAR_VIEW}")
    expect(tab.locator("#preview tbody tr")).to_have_count(15)
    before = tab.url
    tab.locator("#filter-column").select_option("件數")
    tab.locator("#filter-op").select_option("__gt")
    tab.locator("#filter-value").fill("星期五")
    tab.locator("#filter-value").press("Enter")
    expect(tab.locator("#filter-error")).to_be_visible()
    expect(tab.locator("#preview tbody tr")).to_have_count(15)
    assert tab.url == before


def test_the_chosen_chart_is_in_the_address(tab: Page, site: Site) -> None:
    tab.goto(f"{site.url}/resources/{site.resource}")
    tab.locator("#chart-group").select_option("案類")
    tab.locator("#chart-metric").select_option("sum:件數")
    tab.locator("#chart-kind").select_option("line")
    tab.locator("#chart-form button[type=submit]").click()
    expect(tab.locator("#chart")).not_to_be_empty()
    query = dict(parse_qsl(urlsplit(tab.url).query))
    assert query == {"_chart": "line", "_group": "案類", "_metric": "sum:件數"}
    # the link opens the same chart
    tab.goto(tab.url.replace("_chart=line", "_chart=bar"))
    expect(tab.locator("#chart-kind")).to_have_value("bar")
    expect(tab.locator("#chart-group")).to_have_value("案類")
    expect(tab.locator("#chart-metric")).to_have_value("sum:件數")
    expect(tab.locator("#chart")).not_to_be_empty()


def test_the_sql_box(tab: Page, site: Site) -> None:
    tab.goto(f"{site.url}/resources/{site.resource}")
    english = tab.evaluate("document.documentElement.lang") == "en"
    sql = f'SELECT "行政區", count(*) AS n FROM "{site.resource}" GROUP BY 1 ORDER BY 1'
    tab.locator("#sql-text").fill(sql)
    tab.locator("#sql-text").press("Control+Enter")  # the keyboard runs it
    expect(tab.locator("#sql-result tbody tr")).to_have_count(3)
    expect(tab.locator("#sql-result thead th")).to_have_text(["行政區", "n"])
    assert dict(parse_qsl(urlsplit(tab.url).query))["_sql"] == sql
    # a refused statement: a message in the page's language, the previous result kept
    tab.locator("#sql-text").fill(f'DELETE FROM "{site.resource}"')
    tab.locator("#sql-form button[type=submit]").click()
    message = tab.locator("#sql-error > p")
    expect(message).to_have_text(
        "This query cannot run: only one read-only SELECT statement over published tables is "
        "accepted. Check the SQL syntax and the table and column names."
        if english
        else "無法執行這個查詢：只接受一個唯讀的 SELECT 敘述，且只能查詢已上架的資料表。"
        "請檢查 SQL 語法、資料表與欄位名稱。"
    )
    expect(tab.locator("#sql-result tbody tr")).to_have_count(3)
    # back returns to the first query; a shared link runs it on opening
    tab.go_back()
    expect(tab.locator("#sql-text")).to_have_value(sql)
    expect(tab.locator("#sql-error")).to_be_hidden()  # its result, shown without the error
    tab.goto(f"{site.url}/resources/{site.resource}?_sql={quote(sql)}")
    expect(tab.locator("#sql-result tbody tr")).to_have_count(3)
    expected = api(site, f"/api/sql?sql={quote(sql)}")["rows"]
    cells = tab.locator("#sql-result tbody tr td:nth-child(2)").all_inner_texts()
    assert cells == [str(row[1]) for row in expected]
    screenshot(tab, f"explorer-sql-{tab.viewport_size['width']}")  # type: ignore[index]


def test_copy_buttons_are_keyboard_reachable_and_announced(tab: Page, site: Site) -> None:
    tab.goto(f"{site.url}/datasets/{site.dataset}")
    block = tab.locator(".copyable").first
    button = block.locator("button.copy")
    expect(button).to_be_visible()
    button.focus()
    expect(button).to_be_focused()
    tab.keyboard.press("Enter")
    status = block.locator(".copy-status[aria-live=polite]")
    expect(status).not_to_be_empty()
    copied = tab.evaluate("navigator.clipboard.readText()")
    assert copied == block.locator("pre").inner_text()
    assert "/rows?_limit=10" in copied


def test_search_folds_variants_suggests_and_sorts(tab: Page, site: Site) -> None:
    # 台北 finds the datasets of 臺北市政府警察局
    tab.goto(f"{site.url}/search?q=台北")
    expect(tab.locator("ol.results > li").first).to_be_visible()
    expect(tab.locator("ol.results")).to_contain_text("臺北市")
    # use counts on every result
    expect(tab.locator("ol.results .uses").first).to_be_visible()
    # nothing found: near spellings that find something, and the request form
    tab.goto(f"{site.url}/search?q=竊道")
    expect(tab.locator("ol.results > li")).to_have_count(0)
    suggestion = tab.locator("#no-results a[href^='/search']").first
    expect(suggestion).to_be_visible()
    suggestion.click()
    expect(tab.locator("ol.results > li").first).to_be_visible()
    tab.goto(f"{site.url}/search?q=竊道")
    tab.locator("#no-results a[href^='/requests/new']").click()
    expect(tab.locator("#title")).to_have_value("竊道")
    # the sorts: newest and most used
    tab.goto(f"{site.url}/search?sort=popularity")
    expect(tab.locator("nav.sorts [aria-current]")).to_have_count(1)
    uses = [
        int("".join(ch for ch in text if ch.isdigit()) or 0)
        for text in tab.locator("ol.results .uses").all_inner_texts()
    ]
    assert uses == sorted(uses, reverse=True)


def test_phone_search_shows_results_first(browser: Browser, site: Site) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 800}, locale="zh-TW")
    try:
        page = context.new_page()
        page.goto(f"{site.url}/search")
        expect(page.locator("#search-filters")).not_to_have_attribute("open", "")
        top = page.locator("ol.results > li").first.bounding_box()
        assert top is not None and top["y"] < 400, top
        page.locator("#search-filters > summary").click()
        expect(page.locator("#search-filters .facet").first).to_be_visible()
        screenshot(page, "search-390")
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_phone_privacy_review_menus_fit_the_screen(browser: Browser, site: Site, lang: str) -> None:
    """Each column's action menu on the privacy review is whole on a 390 px phone."""
    context = browser.new_context(viewport={"width": 390, "height": 800}, locale=lang)
    context.add_cookies([{"name": "kaifang_lang", "value": lang, "url": "http://127.0.0.1"}])
    try:
        page = context.new_page()
        page.goto(site.url + "/login")
        page.locator("#token").fill(site.token)
        page.locator("form[action='/login'] button[type=submit]").click()
        page.wait_for_load_state("networkidle")
        page.goto(site.url + "/publish")
        page.locator("input[type=file]").set_input_files(
            files=[{"name": "people.csv", "mimeType": "text/csv", "buffer": PEOPLE.encode()}]
        )
        page.locator("form[action='/publish'] button[type=submit]").click()
        menus = page.locator("#screening select")
        expect(menus.first).to_be_visible()
        assert menus.count() >= 3
        for menu in menus.all():
            menu.scroll_into_view_if_needed()
            box = menu.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(page, f"publish-review-390-{lang}")
    finally:
        context.close()
