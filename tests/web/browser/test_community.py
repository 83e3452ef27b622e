"""The community's journeys of #21 in a real browser, in zh-TW and English, at 1280 px and on a
390 px phone: a dataset request confirmed on its status page; a problem reported, shown on the
dataset page, answered and closed by the organization's editor; a showcase submitted, approved
by the editor and shown on the dataset page. axe-core finds no serious or critical violation on
any page of the way, and no page logs a console error."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.web.browser.conftest import Site, screenshot, watch_requests
from tests.web.browser.test_crawl import AXE, _axe

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TEXT = {
    "zh-TW": {
        "what": "想要的資料", "contact": "聯絡電子郵件", "send": "送出需求",
        "sent": "已送出您的資料需求", "open": "待回覆", "report": "回報資料問題",
        "kind": "問題類型", "row": "第幾列", "column": "欄位名稱", "description": "說明",
        "send_report": "送出回報", "report_sent": "已送出您的回報", "response": "機關回覆",
        "close": "回覆後結案", "answer": "回覆", "no_reports": "目前沒有待處理的資料問題",
        "title": "名稱", "url": "網址", "datasets": "使用的資料集", "submit": "送出審核",
        "submitted": "審核通過後就會展示", "approve": "核准",
    },
    "en": {
        "what": "Data wanted", "contact": "Contact e-mail", "send": "Send request",
        "sent": "Your request was sent", "open": "open", "report": "Report a problem",
        "kind": "Kind of problem", "row": "Row number", "column": "Column",
        "description": "Description", "send_report": "Send report",
        "report_sent": "Your report was sent", "response": "Answer", "close": "Close the report",
        "answer": "Answer", "no_reports": "No open reports", "title": "Title",
        "url": "Address", "datasets": "Datasets used", "submit": "Submit for review",
        "submitted": "shows once the organization approves", "approve": "Approve",
    },
}  # fmt: skip


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail("axe-core is missing: run make install (npm ci installs it)")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(params=[(w, lang) for w in (1280, 390) for lang in ("zh-TW", "en")],
                ids=lambda p: f"{p[1]}-{p[0]}")  # fmt: skip
def tab(request: pytest.FixtureRequest, browser: Browser, site: Site) -> Iterator[Page]:
    width, lang = request.param
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=lang)
    context.add_cookies([{"name": "kaifang_lang", "value": lang, "url": site.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    watch_requests(page, errors)
    try:
        yield page
        assert errors == []
    finally:
        context.close()


def _checked(page: Page, axe_source: str, name: str) -> None:
    """No serious or critical axe violation, nothing wider than the screen; a screenshot."""
    page.wait_for_load_state("networkidle")
    assert _axe(page, axe_source) == [], page.url
    width = page.viewport_size["width"] if page.viewport_size else 1280
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url
    lang = page.evaluate("document.documentElement.lang")
    screenshot(page, f"community-{name}-{lang}-{width}")


def test_community_journeys(tab: Page, site: Site, axe_source: str) -> None:
    tab.goto(f"{site.url}/requests/new?org=379130000E")
    lang = str(tab.evaluate("document.documentElement.lang"))
    words = TEXT[lang]
    width = tab.viewport_size["width"] if tab.viewport_size else 1280
    marker = f"{lang}-{width}"

    # a dataset request, anonymous with a contact: confirmed on its status page
    _checked(tab, axe_source, "request-form")
    tab.get_by_label(words["what"]).fill(f"機車竊盜熱點 {marker} <script>alert(3)</script>")
    tab.get_by_label(words["contact"]).fill("civic@example.tw")
    tab.get_by_role("button", name=words["send"]).click()
    expect(tab.get_by_role("status")).to_contain_text(words["sent"])
    expect(tab.locator("h1")).to_contain_text(f"機車竊盜熱點 {marker} <script>alert(3)</script>")
    expect(tab.locator("#request-status")).to_have_text(words["open"])
    assert "/requests/" in tab.url
    _checked(tab, axe_source, "request-status")
    tab.goto(f"{site.url}/requests?org=379130000E")
    expect(tab.locator("ul.requests")).to_contain_text(f"機車竊盜熱點 {marker}")
    _checked(tab, axe_source, "request-list")

    # sign in (the steward edits the police's datasets)
    tab.goto(f"{site.url}/login")
    tab.locator("#token").fill(site.token)
    tab.locator("form[action='/login'] button[type=submit]").click()
    tab.wait_for_load_state("networkidle")

    # a data-quality report: shown on the dataset page, answered and closed by the editor
    tab.goto(f"{site.url}/datasets/{site.dataset}")
    tab.locator("#reports").get_by_role("link", name=words["report"]).click()
    _checked(tab, axe_source, "report-form")
    tab.get_by_label(words["kind"]).select_option("wrong_value")
    tab.get_by_label(words["row"]).fill("2")
    tab.get_by_label(words["column"]).fill("district")
    tab.get_by_label(words["description"]).fill(f"行政區錯誤 {marker}")
    tab.get_by_role("button", name=words["send_report"]).click()
    expect(tab.locator("#reports [role=status]")).to_contain_text(words["report_sent"])
    report = tab.locator("#reports li.request", has_text=f"行政區錯誤 {marker}")
    expect(report).to_be_visible()
    _checked(tab, axe_source, "report-open")
    report.get_by_label(words["response"]).fill("已更正")
    report.get_by_label(words["close"]).check()
    report.get_by_role("button", name=words["answer"], exact=True).click()
    tab.wait_for_load_state("networkidle")
    expect(tab.locator("#reports")).not_to_contain_text(f"行政區錯誤 {marker}")

    # a showcase: submitted, approved by the editor, shown on the dataset page
    tab.goto(f"{site.url}/showcases/new?dataset={site.dataset}")
    _checked(tab, axe_source, "showcase-form")
    tab.get_by_label(words["title"], exact=True).fill(f"竊盜熱點地圖 {marker}")
    tab.get_by_label(words["url"]).first.fill("https://example.tw/map")
    expect(tab.get_by_label(words["datasets"])).to_have_value(site.dataset)
    tab.get_by_role("button", name=words["submit"]).click()
    expect(tab.get_by_role("status").first).to_contain_text(words["submitted"])
    pending = tab.locator("#pending li.request", has_text=f"竊盜熱點地圖 {marker}")
    _checked(tab, axe_source, "showcase-pending")
    pending.get_by_role("button", name=words["approve"], exact=True).click()
    tab.wait_for_load_state("networkidle")
    tab.goto(f"{site.url}/datasets/{site.dataset}")
    link = tab.locator("#showcases a", has_text=f"竊盜熱點地圖 {marker}")
    expect(link).to_have_attribute("href", "https://example.tw/map")
    expect(link).to_have_attribute("rel", "nofollow noopener")
    _checked(tab, axe_source, "dataset")
