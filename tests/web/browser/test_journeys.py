"""Journeys of #21 in a real browser, in zh-TW and English, at 1280 px and on a 390 px phone:
the explorer's matching-row count and its refusal of a bad filter value, an officer fixing the
metadata that costs a dataset its points, and the search page's band filter."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.web.browser.conftest import Site, api, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WIDTHS = [1280, 390]
LANGS = ["zh-TW", "en"]
TEXT = {
    "zh-TW": {
        "matching": "符合 {n} 筆",
        "bad": "不是欄位 weekday 可用的值",
        "saved": "未產生新的資料版本",
        "email": "請輸入有效的電子郵件地址",
        "save": "儲存詮釋資料",
    },
    "en": {
        "matching": "of {n} matching",
        "bad": "is not a value of column weekday",
        "saved": "no new data version",
        "email": "Enter a valid e-mail address",
        "save": "Save metadata",
    },
}


@pytest.fixture(
    params=[(w, lang) for w in WIDTHS for lang in LANGS], ids=lambda p: f"{p[1]}-{p[0]}"
)
def tab(request: pytest.FixtureRequest, browser: Browser, site: Site) -> Iterator[Page]:
    width, lang = request.param
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=lang)
    context.add_cookies([{"name": "kaifang_lang", "value": lang, "url": site.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        yield page
        # a refused form answers 422 with the form and its messages, which chromium logs
        assert [e for e in errors if "status of 422" not in e] == []
    finally:
        context.close()


def _lang(page: Page) -> str:
    return str(page.evaluate("document.documentElement.lang"))


def _width(page: Page) -> int:
    return int(page.viewport_size["width"]) if page.viewport_size else 1280


def test_explorer_counts_the_matching_rows_and_refuses_a_bad_value(tab: Page, site: Site) -> None:
    lang = _lang_of(tab, site, "/resources/taipei_theft_points")
    words = TEXT[lang]
    counted = api(site, "/api/resources/taipei_theft_points/aggregate?metric=count&category=car")
    matching = counted["rows"][0]["count"]
    tab.locator("#filter-column").select_option("category")
    tab.locator("#filter-value").fill("car")
    tab.locator("#filter-value").press("Enter")
    status = tab.locator("#preview-status")
    expect(status).to_contain_text(words["matching"].format(n=f"{matching:,}"))
    before = status.inner_text()
    first_row = tab.locator("#preview tbody tr").first.inner_text()
    tab.locator("#filter-column").select_option("weekday")
    tab.locator("#filter-op").select_option("__gt")
    tab.locator("#filter-value").fill("星期五")
    tab.locator("#filter-value").press("Enter")
    expect(tab.locator("#filter-error")).to_contain_text(words["bad"])
    expect(tab.locator("#filter-value")).to_have_attribute("aria-invalid", "true")
    assert status.inner_text() == before  # the previous results stay
    assert tab.locator("#preview tbody tr").first.inner_text() == first_row
    assert "Conversion Error" not in tab.content()
    screenshot(tab, f"explorer-bad-value-{lang}-{_width(tab)}")


def _lang_of(page: Page, site: Site, path: str) -> str:
    page.goto(site.url + path)
    page.wait_for_load_state("networkidle")
    return _lang(page)


def _log_in(page: Page, site: Site) -> None:
    page.goto(site.url + "/login")
    page.locator("#token").fill(site.token)
    page.locator("form[action='/login'] button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def test_an_officer_fixes_a_lost_point_from_the_dataset_page(tab: Page, site: Site) -> None:
    _log_in(tab, site)
    lang = _lang_of(tab, site, f"/datasets/{site.dataset}")
    words = TEXT[lang]
    before = api(site, f"/api/datasets/{site.dataset}/openness")["score"]
    fix = tab.locator("a.fix[href$='/edit#field-contact_email']")
    if fix.count() == 0:  # an earlier run of this journey fixed it: the form still opens there
        tab.goto(f"{site.url}/datasets/{site.dataset}/edit#field-contact_email")
    else:
        fix.click()
    expect(tab).to_have_url(re.compile(r"/edit#field-contact_email$"))
    email = tab.locator("#field-contact_email")
    expect(email).to_be_visible()
    email.fill("not an address")
    tab.get_by_role("button", name=words["save"]).click()
    expect(tab.locator("#error-contact_email")).to_contain_text(words["email"])
    expect(tab.locator("#field-contact_email")).to_have_attribute("aria-invalid", "true")
    screenshot(tab, f"edit-error-{lang}-{_width(tab)}")
    tab.locator("#field-contact_email").fill("data@police.gov.tw")
    tab.locator("#field-contact_name").fill("資料科")
    tab.get_by_role("button", name=words["save"]).click()
    expect(tab.get_by_role("status")).to_contain_text(words["saved"])
    after = api(site, f"/api/datasets/{site.dataset}/openness")
    assert after["score"] >= before
    assert next(c for c in after["checks"] if c["code"] == "M3")["passed"]
    assert tab.locator("a.fix[href$='/edit#field-contact_email']").count() == 0
    detail = api(site, f"/api/datasets/{site.dataset}")
    assert [v["version"] for v in detail["resources"][0]["versions"]] == [1]
    screenshot(tab, f"edit-saved-{lang}-{_width(tab)}")


def test_the_organization_lists_what_to_fix_first(tab: Page, site: Site) -> None:
    _lang_of(tab, site, "/organizations/379130000E")
    items = tab.locator("#fix-first li")
    if items.count():
        first = items.first.locator("a.fix")
        expect(first).to_have_attribute("href", re.compile(r"/edit#field-"))
    scroll = tab.evaluate("document.documentElement.scrollWidth")
    assert scroll <= _width(tab)


@pytest.mark.parametrize("band", ["gold", "silver"])
def test_the_band_filter_finds_the_datasets_of_that_band(page: Page, site: Site, band: str) -> None:
    datasets = api(site, "/api/datasets?limit=200")["data"]
    expected = {d["id"] for d in datasets if (d.get("openness") or {}).get("band") == band}
    page.goto(f"{site.url}/search?band={band}")
    found = {
        str(a.get_attribute("href")).rsplit("/", 1)[-1] for a in page.locator(".results h3 a").all()
    }
    assert found == expected
    assert expected, f"the demo should have a {band} dataset"
