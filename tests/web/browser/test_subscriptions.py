"""Following a dataset in a real browser: from the dataset page to the filled-in form, the
signing secret shown once, the delivery log, then unsubscribing — in zh-TW at 1280 px and in
English on a 390 px phone, without console errors or serious accessibility violations."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.notify.receiver import Receiver
from tests.web.browser.conftest import Site, screenshot
from tests.web.browser.test_crawl import AXE, _axe, _tab

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def axe_js() -> str:
    if not AXE.exists():
        pytest.fail("axe-core is missing: run make install (npm ci installs it)")
    return AXE.read_text(encoding="utf-8")


def _settled(page: Page) -> None:
    """Every request of the page answered (a click that navigates sooner cancels them)."""
    page.wait_for_load_state("networkidle")


def _follow(page: Page, site: Site, receiver: Receiver, *, zh: bool) -> None:
    page.goto(site.url + f"/datasets/{site.dataset}")
    _settled(page)
    page.get_by_role("link", name="訂閱變更通知" if zh else "Get change notifications").click()
    expect(page.locator("#sub-value")).to_have_value(site.dataset)  # filled in from the page
    _settled(page)
    page.locator("#sub-url").fill(receiver.url)
    page.get_by_role("button", name="訂閱" if zh else "Subscribe", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(
        "只會顯示這一次" if zh else "shown this once only"
    )
    expect(page.locator("#new-secret-value")).not_to_be_empty()


@pytest.mark.parametrize(("lang", "width"), [("zh-TW", 1280), ("en", 390)])
def test_follow_a_dataset_read_the_log_and_unsubscribe(
    browser: Browser, site: Site, receiver: Receiver, axe_js: str, lang: str, width: int
) -> None:
    zh = lang == "zh-TW"
    for page, problems in _tab(browser, site, width, lang):
        _follow(page, site, receiver, zh=zh)
        assert _axe(page, axe_js) == []
        screenshot(page, f"subscribe-{lang}-{width}")
        row = page.locator("#subscription-list tr", has_text=receiver.url)
        expect(row).to_have_count(1)
        _settled(page)
        row.locator("a[href^='/account/subscriptions/']").click()  # the delivery log
        expect(page.locator("h1")).to_contain_text("傳送紀錄" if zh else "Delivery log")
        expect(page.locator("#no-deliveries")).to_be_visible()
        _settled(page)
        assert _axe(page, axe_js) == []
        if width < 500:
            assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.get_by_role("link", name="訂閱變更通知" if zh else "Change notifications").click()
        _settled(page)
        row = page.locator("#subscription-list tr", has_text=receiver.url)
        row.get_by_role("button", name="取消訂閱" if zh else "Unsubscribe").click()
        expect(page.locator("#subscription-list tr", has_text=receiver.url)).to_have_count(0)
        assert problems == []
