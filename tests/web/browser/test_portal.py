"""The portal in a real browser: Debian's chromium against a live uvicorn server."""

from __future__ import annotations

import contextlib
import re

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, Route, expect

from tests.web.browser.conftest import XSS_TITLE, Site, api, chart_option, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_search_from_the_home_page(page: Page, site: Site) -> None:
    page.goto(site.url + "/")
    screenshot(page, "home")
    page.get_by_role("searchbox").fill("竊盜")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    expect(page.locator("#result-count")).to_contain_text("共 2 筆資料集")  # with the demo's
    expect(page.locator(".results h3 a", has_text="竊盜點位 <img")).to_have_text(XSS_TITLE)
    expect(page.locator(".results h3 a", has_text="臺北市竊盜點位資訊")).to_be_visible()
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


def test_trips_explorer_pages_through_nested_rows(page: Page, site: Site) -> None:
    """M06A's TripInformation is a list of records: shown as JSON, not sortable, and the
    other columns page and filter."""
    page.goto(f"{site.url}/resources/freeway_m06a")
    rows = page.locator("#preview tbody tr")
    expect(rows).to_have_count(25)
    expect(page.locator("#preview td.error")).to_have_count(0)
    headers = page.locator("#preview thead th").all_inner_texts()
    trips = headers.index("TripInformation") + 1
    expect(page.locator(f"#preview tbody tr td:nth-child({trips})").first).to_contain_text(
        '"gantry":'
    )
    expect(page.locator("#preview thead button.sort", has_text="TripInformation")).to_have_count(0)
    page.get_by_role("button", name="下一頁").click()
    expect(page.locator("#preview-status")).to_contain_text("顯示第 26–50 筆")
    page.get_by_label("欄位", exact=True).select_option("VehicleType")
    page.get_by_label("值", exact=True).fill("31")
    page.get_by_label("值", exact=True).press("Enter")
    expect(page.locator("#preview td.error")).to_have_count(0)
    vehicle = headers.index("VehicleType") + 1
    expect(page.locator(f"#preview tbody tr td:nth-child({vehicle})").first).to_have_text("31")
    screenshot(page, "resource-trips")


@pytest.mark.parametrize("kind", ["bar", "line"])
def test_chart(page: Page, site: Site, kind: str) -> None:
    page.goto(f"{site.url}/resources/{site.resource}")
    page.get_by_label("分組").select_option("案類")
    page.get_by_label("指標").select_option("sum:件數")
    page.get_by_label("圖形").select_option(kind)
    page.get_by_role("button", name="畫圖").click()
    option = chart_option(page, "#chart .echart")
    (series,) = option["series"]
    assert series["type"] == kind
    assert len(series["data"]) == 4
    assert sum(series["data"]) == sum(3 + i % 5 for i in range(60))  # every 件數 of the CSV
    expect(page.locator("#chart figcaption")).to_contain_text("案類")
    expect(page.locator("#chart table.chart-table tbody tr")).to_have_count(4)
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


PETITIONS = "姓名,行政區,件數\n王小明,大安區,3\n陳大文,文山區,5\n林美麗,中正區,4\n".encode()


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
    page.wait_for_load_state("networkidle")
    screenshot(page, "publish-done")
    expect(page.locator("h1")).to_have_text("陳情統計")
    expect(page.get_by_role("status")).to_contain_text("已上架第 1 版")


def test_request_flow(page: Page, site: Site) -> None:
    page.goto(f"{site.url}/organizations/379130000E")
    page.get_by_role("link", name="提出資料需求").click()
    # the community journey files requests with the same words on this shared site
    page.get_by_label("想要的資料").fill("機車竊盜熱點 portal-flow <script>alert(2)</script>")
    page.get_by_label("用途說明").fill("做治安地圖")
    page.get_by_label("聯絡電子郵件").fill("civic@example.tw")
    page.get_by_role("button", name="送出需求").click()
    expect(page.get_by_role("status")).to_contain_text("已送出您的資料需求")
    expect(page.locator("h1")).to_contain_text("機車竊盜熱點 portal-flow <script>alert(2)</script>")
    page.goto(f"{site.url}/organizations/379130000E")
    expect(page.locator("#requests")).to_contain_text("portal-flow <script>alert(2)</script>")
    _log_in(page, site)
    page.goto(f"{site.url}/organizations/379130000E")
    request = page.locator("li.request", has_text="機車竊盜熱點 portal-flow")
    request.get_by_label("處理結果").select_option("answered")
    request.get_by_label("回覆").fill("預計下月上架")
    request.get_by_role("button", name="回覆需求").click()
    expect(page.locator("#requests")).to_contain_text("預計下月上架")
    screenshot(page, "organization")


# The dashboards draw from the real analyses endpoints over the small demo the site loads; each
# test compares what the page drew with the endpoint's own answer.


def test_theft_dashboard_draws_heat_map_and_trend(page: Page, site: Site) -> None:
    hotspots = api(site, "/api/analyses/theft/hotspots?limit=10000")["rows"]
    trend = api(site, "/api/analyses/theft/trend")["rows"]
    districts = {r["district"] for r in hotspots}
    bands = {(r["start_hour"], r["end_hour"]) for r in hotspots}
    assert len(districts) > 3 and len(bands) > 3, "the demo should spread thefts out"
    page.goto(site.url + "/dashboards/theft")
    heat = chart_option(page, "[data-kind=theft-heatmap] .echart")
    cells = heat["series"][0]["data"]
    assert len(cells) == len(districts) * len(bands)
    assert sum(c[2] for c in cells) == sum(r["cases"] for r in hotspots)
    assert heat["visualMap"][0]["max"] == max(c[2] for c in cells) > 0
    assert heat["xAxis"][0]["name"] == "時段" and heat["yAxis"][0]["name"] == "行政區"
    table = page.locator("[data-kind=theft-heatmap] table.chart-table tbody tr")
    expect(table).to_have_count(len(districts))
    months = {r["month"] for r in trend}
    line = chart_option(page, "[data-kind=theft-trend] .echart")
    categories = {r["category"] for r in trend}
    assert len(line["series"]) == len(categories) and line["legend"]
    assert all(len(s["data"]) == len(months) for s in line["series"])
    assert sum(sum(s["data"]) for s in line["series"]) == sum(r["cases"] for r in trend)
    screenshot(page, "dashboard-theft")


def test_dashboard_reports_a_failing_endpoint(page: Page, site: Site) -> None:
    page.goto(site.url + "/dashboards/freeway")
    section = page.locator("[data-kind=freeway-volume]")
    section.get_by_label("開始").fill("2024-03-25T00:00")
    section.get_by_label("結束").fill("2024-06-25T00:00")  # past the 31-day limit
    section.get_by_role("button", name="畫圖").click()
    expect(section.locator(".error")).to_contain_text("無法取得分析")


def test_a_late_answer_to_an_older_request_does_not_replace_the_newer_one(
    page: Page, site: Site
) -> None:
    """The page's own first draw answers after the user's request: the user's answer stays."""
    held: list[Route] = []

    def hold_the_first(route: Route) -> None:
        if held:
            route.continue_()
        else:
            held.append(route)

    page.route(re.compile(r"/api/analyses/freeway/volume\?"), hold_the_first)
    page.goto(site.url + "/dashboards/freeway")
    section = page.locator("[data-kind=freeway-volume]")
    expect(section.locator(".chart-area")).to_contain_text("載入中")
    section.get_by_label("開始").fill("2024-03-25T00:00")
    section.get_by_label("結束").fill("2024-06-25T00:00")  # past the 31-day limit
    section.get_by_role("button", name="畫圖").click()
    expect(section.locator(".error")).to_contain_text("無法取得分析")
    assert len(held) == 1
    with contextlib.suppress(PlaywrightError):  # the page may have cancelled it already
        held[0].continue_()
    page.wait_for_timeout(1500)  # time for a late answer to land
    expect(section.locator(".error")).to_contain_text("無法取得分析")
    assert section.locator(".echart").count() == 0


def test_freeway_dashboard_draws_real_traffic(page: Page, site: Site) -> None:
    day = "2024-03-25"
    window = f"from={day}T00:00&to=2024-03-26T00:00"
    busiest = api(site, f"/api/analyses/freeway/busiest?day={day}")["rows"]
    pair = busiest[0]
    travel = api(
        site,
        f"/api/analyses/freeway/travel?gantry_from={pair['GantryFrom']}"
        f"&gantry_to={pair['GantryTo']}&{window}",
    )["rows"]
    volume = api(site, f"/api/analyses/freeway/volume?gantry={pair['GantryFrom']}&{window}")
    hours = {r["hour"] for r in volume["rows"]}
    assert travel and len(hours) == 24
    page.goto(site.url + "/dashboards/freeway")  # the forms start on the demo's first day
    sections = {
        kind: page.locator(f"[data-kind=freeway-{kind}]")
        for kind in ("volume", "travel", "busiest")
    }
    drawn = chart_option(page, "[data-kind=freeway-volume] .echart")["series"][0]["data"]
    assert len(drawn) == len(hours)
    first_hour = sum(r["volume"] for r in volume["rows"] if r["hour"] == min(hours))
    assert drawn[0] == first_hour
    speeds = chart_option(page, "[data-kind=freeway-travel] .echart")["series"][0]["data"]
    assert len(speeds) == len(travel)
    congested = sum(1 for r in travel if r["congested"])
    assert sum(1 for point in speeds if isinstance(point, dict)) == congested  # the red ones
    bars = chart_option(page, "[data-kind=freeway-busiest] .echart")
    assert bars["series"][0]["data"] == [r["volume"] for r in busiest]
    assert bars["yAxis"][0]["data"][0] == f"{pair['GantryFrom']}→{pair['GantryTo']}"
    expect(sections["busiest"].locator("table.chart-table tbody tr").first).to_contain_text(
        f"{pair['volume']:,}"
    )
    screenshot(page, "dashboard-freeway")


def test_election_dashboard_draws_real_results(page: Page, site: Site) -> None:
    page.goto(site.url + "/dashboards/elections")
    election = page.get_by_label("選舉").input_value()
    results = api(site, f"/api/analyses/elections/{election}/results?level=county")["rows"]
    areas = {r["名稱"] for r in results}
    turnout = chart_option(page, ".dashboard .chart-area .echart")
    assert len(turnout["series"][0]["data"]) == len(areas)
    table = page.locator(".dashboard .chart-area table.chart-table tbody tr")
    expect(table).to_have_count(len(areas))
    # each area's row names its leading candidate, ✓ where the CEC marks the elected
    first = results[0]["名稱"]
    lead = max((r for r in results if r["名稱"] == first), key=lambda r: r["得票數"])
    row = table.filter(has=page.locator("th", has_text=first)).first
    expect(row).to_contain_text(f"{lead['得票數']:,}")
    mark = "✓ " if str(lead["當選註記"] or "").strip() else ""
    expect(row).to_contain_text(f"{mark}{lead['名字']}")
    # the county map colours each county by its leading party
    colours = chart_option(page, ".dashboard .chart-map .echart")["series"][0]["data"]
    assert {c["name"] for c in colours} == {a.replace("台", "臺") for a in areas}
    screenshot(page, "dashboard-elections")


@pytest.mark.parametrize(
    ("dataset", "expected"),
    [
        # an importer's summary: the candidates' names are public by law
        ("cec_2020_president", ("依法公開之個人資料", "名字", "是否為個人紀錄")),
        # the freeway trips' protection: coarsened times, rare trips suppressed
        ("freeway_m06a", ("已去識別化", "時間粗化", "稀有旅次抑制", "k ≥ 5")),
        # the police's coarsened points: k fails, waived by a recorded, reviewable exception
        ("taipei_theft_points", ("依資料性質公開之例外", "例外理由", "核准者", "發生地點")),
    ],
)
def test_privacy_section_shows_what_the_screen_did(
    page: Page, site: Site, dataset: str, expected: tuple[str, ...]
) -> None:
    page.goto(f"{site.url}/datasets/{dataset}")
    privacy = page.locator("#privacy")
    for text in expected:
        expect(privacy).to_contain_text(text)
    assert not re.search(r"k = (?!\d)", privacy.inner_text()), "a k without its number"
    expect(page.locator("h2", has_text="cec_")).to_have_count(0)  # no table slugs as titles
    # the openness score's privacy check (G) reads the same summary: screened, so it passes
    gate = page.locator("#openness tbody tr", has_text="個人資料把關")
    expect(gate).to_have_count(1)
    expect(gate).not_to_have_class(re.compile("failed"))
    privacy.scroll_into_view_if_needed()
    screenshot(page, f"privacy-{dataset}")


def test_api_docs_render_under_their_csp_with_a_way_back(page: Page, site: Site) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{site.url}/docs")
    expect(page.locator(".opblock").first).to_be_visible()  # operations drawn from openapi.json
    expect(
        page.locator(".opblock-tag").filter(has_text="政府資料開放跨平臺介接規範")
    ).to_be_visible()
    assert errors == []
    page.get_by_role("link", name=re.compile("開放資料平臺")).click()
    expect(page).to_have_url(f"{site.url}/")
    screenshot(page, "api-docs-back-home")


CANDIDATES = (
    "姓名,出生日期,身分證字號\n"
    "王小明,1960-05-01,A123456789\n"
    "陳美玲,1971-11-23,B223456780\n"
    "林志豪,1955-02-14,F123456785\n"
).encode()


def test_a_legal_basis_is_chosen_and_confirmed_before_publishing(page: Page, site: Site) -> None:
    """Issue 16 hole 1: the basis comes from the shipped list with the columns it covers; a
    confirmation page lists them with masked values; only confirming publishes."""
    _log_in(page, site)
    page.goto(site.url + "/publish")
    page.get_by_label(re.compile("資料檔")).set_input_files(
        files=[{"name": "candidates.csv", "mimeType": "text/csv", "buffer": CANDIDATES}]
    )
    page.get_by_role("button", name="上傳並檢查").click()
    expect(page.locator("#screening")).to_contain_text("身分證字號")
    expect(page.locator("#basis-citation")).to_have_count(0)  # an editor: no citation field
    page.get_by_label("處理方式 姓名").select_option("keep")
    page.get_by_label("處理方式 身分證字號").select_option("drop")
    page.get_by_label("處理方式 出生日期").select_option("drop")  # no rare rows to suppress
    page.get_by_label("新資料集名稱").fill("候選人名冊")
    page.get_by_label("法律依據（平臺內建清單）").select_option("公職人員選舉罷免法第47條")
    page.locator("#basis-columns").get_by_label("姓名", exact=True).check()
    page.get_by_role("button", name="上架", exact=True).click()
    columns = page.locator("#confirm-columns")
    expect(columns).to_contain_text("姓名")
    expect(columns).not_to_contain_text("王小明")
    expect(columns).to_contain_text("王○明")
    expect(page.locator("#confirm-basis")).to_contain_text("公職人員選舉罷免法 第47條")
    screenshot(page, "publish-confirm")
    assert not any(d["title"] == "候選人名冊" for d in api(site, "/api/datasets?limit=100")["data"])
    page.get_by_role("button", name="確認公開並上架").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("h1")).to_have_text("候選人名冊")
    expect(page.locator(".personal-data")).to_contain_text("公職人員選舉罷免法第47條")
    expect(page.locator(".personal-data")).to_contain_text("steward")
    page.goto(page.url.split("?")[0] + "?lang=en")
    expect(page.locator(".personal-data")).to_contain_text("Personal data published under")
