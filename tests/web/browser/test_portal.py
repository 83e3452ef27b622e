"""The portal in a real browser: Debian's chromium against a live uvicorn server."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.web.browser.conftest import XSS_TITLE, Site, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_search_from_the_home_page(page: Page, site: Site) -> None:
    page.goto(site.url + "/")
    screenshot(page, "home")
    page.get_by_role("searchbox").fill("竊盜")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    expect(page.locator("#result-count")).to_contain_text("共 1 筆資料集")
    expect(page.locator(".results h3 a")).to_have_text(XSS_TITLE)
    screenshot(page, "search")


def test_metadata_xss_renders_inert(page: Page, site: Site) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for path in ("/", f"/datasets/{site.dataset}", "/search?q=竊盜", f"/resources/{site.resource}"):
        page.goto(site.url + path)
        page.wait_for_load_state("networkidle")
    assert dialogs == []
    page.goto(f"{site.url}/datasets/{site.dataset}")
    expect(page.locator("h1")).to_have_text(XSS_TITLE)
    assert page.locator("main img").count() == 0
    assert page.locator("main script").count() == 0
    expect(page.locator("p.description")).to_contain_text("<b>not bold</b>")


def test_dataset_page(page: Page, site: Site) -> None:
    page.goto(f"{site.url}/datasets/{site.dataset}")
    expect(page.locator("#openness table tr.failed").first).to_be_visible()
    expect(page.locator("#resources")).to_contain_text("/api/3/action/datastore_search")
    expect(page.get_by_role("link", name="PARQUET")).to_be_visible()
    screenshot(page, "dataset")


def test_filtered_sorted_preview(page: Page, site: Site) -> None:
    page.goto(f"{site.url}/resources/{site.resource}")
    rows = page.locator("#preview tbody tr")
    expect(rows).to_have_count(25)
    expect(page.locator("#preview-status")).to_have_text("顯示第 1–25 筆（全表 60 筆）")
    page.get_by_role("button", name="下一頁").click()
    expect(page.locator("#preview-status")).to_have_text("顯示第 26–50 筆（全表 60 筆）")
    expect(page.locator("#preview tbody tr td:nth-child(1)").first).to_have_text("26")
    page.get_by_label("欄位", exact=True).select_option("案類")
    page.get_by_label("值", exact=True).fill("汽車竊盜")
    page.get_by_label("值", exact=True).press("Enter")  # the keyboard submits the filter
    expect(page.locator("#active-filters")).to_contain_text("汽車竊盜")
    expect(rows).to_have_count(15)
    expect(page.get_by_role("button", name="下一頁")).to_be_disabled()
    expect(page.locator("#preview tbody tr td:nth-child(2)").first).to_have_text("汽車竊盜")
    page.get_by_role("button", name="編號").click()
    page.get_by_role("button", name="編號").click()  # descending
    expect(page.locator("#preview th[aria-sort=descending]")).to_have_count(1)
    expect(page.locator("#preview tbody tr td:nth-child(1)").first).to_have_text("58")
    screenshot(page, "resource-preview")


@pytest.mark.parametrize("kind", ["bar", "line"])
def test_chart(page: Page, site: Site, kind: str) -> None:
    page.goto(f"{site.url}/resources/{site.resource}")
    page.get_by_label("分組").select_option("案類")
    page.get_by_label("指標").select_option("sum:件數")
    page.get_by_label("圖形").select_option(kind)
    page.get_by_role("button", name="畫圖").click()
    marks = "#chart svg rect" if kind == "bar" else "#chart svg polyline"
    expect(page.locator(marks)).to_have_count(4 if kind == "bar" else 1)
    if kind == "line":
        assert len(page.locator(marks).get_attribute("points").split()) == 4  # type: ignore[union-attr]
    expect(page.locator("#chart figcaption")).to_contain_text("案類")
    page.locator("#chart").scroll_into_view_if_needed()
    screenshot(page, f"chart-{kind}")


def test_language_switch_is_remembered(page: Page, site: Site) -> None:
    page.goto(site.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-TW")
    page.locator("#lang-switch").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Open Data Portal")
    screenshot(page, "home-en")
    page.goto(site.url + "/search")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto(f"{site.url}/datasets/{site.dataset}")
    expect(page.locator("#openness")).to_contain_text("How to fix")
    screenshot(page, "dataset-en")
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(site.url + "/")
    screenshot(page, "home-phone")


PETITIONS = "姓名,行政區,件數\n王小明,大安區,3\n陳大文,文山區,5\n林美麗,中正區,2\n".encode()


def _log_in(page: Page, site: Site) -> None:
    page.goto(site.url + "/login")
    page.get_by_label("API 權杖").fill(site.token)
    page.get_by_role("button", name="登入").click()
    expect(page.get_by_role("button", name=re.compile("登出"))).to_be_visible()


def test_upload_screen_publish(page: Page, site: Site) -> None:
    _log_in(page, site)
    page.goto(site.url + "/publish")
    page.get_by_label(re.compile("資料檔")).set_input_files(
        files=[
            {
                "name": "petitions.csv",
                "mimeType": "text/csv",
                "buffer": PETITIONS,
            }
        ]
    )
    page.get_by_role("button", name="上傳並檢查").click()
    expect(page.locator("#screening")).to_contain_text("姓名")
    screenshot(page, "publish-review")
    name_action = page.get_by_label("處理方式 姓名")
    name_action.select_option("review")
    page.get_by_label("新資料集名稱").fill("陳情統計")
    page.get_by_role("button", name="上架", exact=True).click()
    expect(page.locator("tr.has-error")).to_contain_text("姓名")
    expect(page.get_by_label("處理方式 姓名")).to_have_attribute("aria-invalid", "true")
    screenshot(page, "publish-error")
    page.get_by_label("處理方式 姓名").select_option("drop")
    page.get_by_role("button", name="上架", exact=True).click()
    expect(page.locator("h1")).to_have_text("陳情統計")
    expect(page.get_by_role("status")).to_contain_text("已上架第 1 版")


def test_request_flow(page: Page, site: Site) -> None:
    page.goto(f"{site.url}/organizations/379130000E")
    page.get_by_role("link", name="提出資料需求").click()
    page.get_by_label("想要的資料").fill("機車竊盜熱點 <script>alert(2)</script>")
    page.get_by_label("用途說明").fill("做治安地圖")
    page.get_by_role("button", name="送出需求").click()
    expect(page.locator("#requests")).to_contain_text("機車竊盜熱點 <script>alert(2)</script>")
    _log_in(page, site)
    page.goto(f"{site.url}/organizations/379130000E")
    request = page.locator("li.request", has_text="機車竊盜熱點")
    request.get_by_label("處理結果").select_option("answered")
    request.get_by_label("回覆").fill("預計下月上架")
    request.get_by_role("button", name="回覆需求").click()
    expect(page.locator("#requests")).to_contain_text("預計下月上架")
    screenshot(page, "organization")


# The analyses endpoints come from branches freeway and civic; until they are merged here, the
# dashboards are drawn from answers of their documented shape, served by page.route.
HOTSPOTS = {
    "rows": [
        {
            "district": d,
            "start_hour": s,
            "end_hour": s + 2,
            "weekday": 1,
            "category": "home",
            "cases": n,
        }
        for d, base in (("大安區", 3), ("文山區", 1), ("中正區", 2))
        for s, n in ((0, base), (6, base * 2), (12, base + 1), (18, base * 4))
    ]
}
TREND = {
    "rows": [{"month": f"2015-{m:02d}", "category": "home", "cases": 10 + m} for m in range(1, 13)]
}


def test_theft_dashboard_draws_heat_map_and_trend(page: Page, site: Site) -> None:
    page.route("**/api/analyses/theft/hotspots?*", lambda route: route.fulfill(json=HOTSPOTS))
    page.route("**/api/analyses/theft/trend?*", lambda route: route.fulfill(json=TREND))
    page.goto(site.url + "/dashboards/theft")
    heat = page.locator("[data-kind=theft-heatmap] svg rect")
    expect(heat).to_have_count(12)
    expect(page.locator("[data-kind=theft-heatmap] svg rect.heat-5")).to_have_count(1)
    expect(page.locator("[data-kind=theft-trend] svg circle")).to_have_count(12)
    screenshot(page, "dashboard-theft")


def test_dashboard_reports_a_failing_endpoint(page: Page, site: Site) -> None:
    page.goto(site.url + "/dashboards/freeway")
    page.get_by_label("日期").fill("2024-03-25")
    page.get_by_label("日期").press("Enter")
    expect(page.locator("[data-kind=freeway-busiest] .error")).to_contain_text("無法取得分析")


TRAVEL = {
    "rows": [
        {
            "time": f"2024-03-25T{h:02d}:00:00",
            "volume": 800 + 40 * h,
            "speed_kmh": 92 - (55 if 7 <= h <= 9 else 0),
            "travel_time_s": 300,
            "congested": 7 <= h <= 9,
        }
        for h in range(24)
    ]
}
RESULTS = {
    "rows": [
        {
            "名稱": area,
            "名字": name,
            "政黨名稱": party,
            "得票數": votes,
            "vote_share": share,
            "turnout": turnout,
        }
        for area, turnout in (("臺北市", 70.1), ("新北市", 66.4), ("臺中市", 68.9))
        for name, party, votes, share in (
            ("甲", "A黨", 500_000, 55.0),
            ("乙", "B黨", 400_000, 45.0),
        )
    ]
}


def test_freeway_and_election_dashboards_draw(page: Page, site: Site) -> None:
    page.route("**/api/analyses/freeway/travel?*", lambda route: route.fulfill(json=TRAVEL))
    page.goto(site.url + "/dashboards/freeway")
    page.get_by_label("起點門架").fill("01F0005S")
    page.get_by_label("終點門架").fill("01F0017S")
    section = page.locator("[data-kind=freeway-travel]")
    section.get_by_label("開始").fill("2024-03-25T00:00")
    section.get_by_label("結束").fill("2024-03-26T00:00")
    section.get_by_role("button", name="畫圖").click()
    expect(section.locator("svg circle")).to_have_count(24)
    expect(section.locator("svg circle.alert")).to_have_count(3)  # the congested hours
    screenshot(page, "dashboard-freeway")

    page.route("**/api/analyses/elections/*/results?*", lambda route: route.fulfill(json=RESULTS))
    page.goto(site.url + "/dashboards/elections")
    page.get_by_label("選舉資料集編號").fill("2020-president")
    page.get_by_role("button", name="畫圖").click()
    expect(page.locator(".dashboard svg rect")).to_have_count(3)
    expect(page.locator(".dashboard table tbody tr")).to_have_count(6)
    screenshot(page, "dashboard-elections")
