"""The account page in a real browser: create a token (shown once), log in with it from a
second browser, end that browser's session from the first, revoke the token."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.web.browser.conftest import Site, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = "kaifang-test-phone/1.0"


def _log_in(page: Page, site: Site, token: str) -> None:
    page.goto(site.url + "/login")
    page.get_by_label("API 權杖").fill(token)
    page.get_by_role("button", name="登入").click()
    expect(page.get_by_role("button", name=re.compile("登出"))).to_be_visible()


def test_tokens_and_sessions_from_the_account_page(
    page: Page, browser: Browser, site: Site
) -> None:
    _log_in(page, site, site.token)
    page.get_by_role("link", name="帳號").click()
    expect(page.locator("h1")).to_contain_text("API 金鑰")
    page.get_by_label("名稱").fill("手機")
    page.get_by_role("button", name="建立金鑰").click()
    expect(page.get_by_role("status")).to_contain_text("只會顯示這一次")
    token = page.locator("#new-token-value").inner_text()
    prefix = token.split("_")[1]
    screenshot(page, "account-new-token")

    phone = browser.new_context(locale="zh-TW", user_agent=PHONE)
    try:
        other = phone.new_page()
        other.set_default_timeout(15_000)
        _log_in(other, site, token)  # the new token logs in

        page.goto(site.url + "/account")
        expect(page.locator("#new-token-value")).to_have_count(0)  # shown once only
        row = page.locator("#session-list tr", has_text=PHONE)
        expect(row).to_have_count(1)
        row.get_by_role("button", name="結束").click()
        expect(page.locator("#session-list tr", has_text=PHONE)).to_have_count(0)
        other.goto(site.url + "/account")
        expect(other).to_have_url(re.compile(r"/login\?next=/account$"))  # logged out

        token_row = page.locator(f'#token-list tr[data-prefix="{prefix}"]')
        expect(token_row).to_contain_text("手機")
        token_row.get_by_role("button", name=re.compile("撤銷")).click()
        expect(page.locator(f'#token-list tr[data-prefix="{prefix}"]')).to_contain_text("已於")
        other.goto(site.url + "/login")
        other.get_by_label("API 權杖").fill(token)
        other.get_by_role("button", name="登入").click()
        expect(other.locator("#token-error")).to_be_visible()  # revoked: refused
    finally:
        phone.close()

    page.goto(site.url + "/account?lang=en")
    expect(page.locator("h1")).to_contain_text("API tokens")
    expect(page.locator("#sessions")).to_contain_text("this one")
    screenshot(page, "account-en")
