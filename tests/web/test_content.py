from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kaifang.publish import publish_file
from kaifang.settings import Settings
from kaifang.web.i18n import translator


@pytest.fixture
def second_version(settings: Settings, published: dict[str, str], tmp_path: Path) -> None:
    """Version 2 adds a column and a row."""
    data = tmp_path / "theft-v2.csv"
    data.write_text(
        "編號,案類,發生日期,發生時段,發生地點,備註\n"
        "1,住宅竊盜,1040101,00~02,文山第一分局,無\n"
        "2,住宅竊盜,1040102,18~21,大安分局,無\n"
        "3,汽車竊盜,1040103,18~21,中正第一分局,無\n",
        encoding="utf-8",
    )
    publish_file(
        settings, data, org="379130000E", dataset=published["dataset"], allow_schema_change=True
    )


def test_version_history_shows_row_and_schema_changes(
    client: TestClient, published: dict[str, str], second_version: None
) -> None:
    text = client.get(f"/datasets/{published['dataset']}").text
    rows = re.findall(r"<tr>\s*<td>v(\d).*?</tr>", text, re.S)
    assert rows == ["2", "1"]
    assert "(+1)" in text and "新增欄位：備註" in text and "第一版" in text
    changes = re.findall(r'<td class="row-changes">(.*?)</td>', text, re.S)
    assert changes[0].startswith("新增 1 · 刪除 0 · 修改 ") and changes[1] == "—"
    assert "theft-v2.csv" in text


def test_dataset_page_shows_every_lost_point_with_its_fix(
    client: TestClient, published: dict[str, str]
) -> None:
    score = client.get(f"/api/datasets/{published['dataset']}/openness").json()
    text = client.get(f"/datasets/{published['dataset']}").text
    failed = re.findall(r'<tr class="failed">(.*?)</tr>', text, re.S)
    assert failed, "the fixture's dataset loses points (no column descriptions)"
    assert all("−" in row for row in failed)
    lost = [c for c in score["checks"] if not c["passed"]]
    assert len(failed) == len(lost)
    for row, check in zip(failed, lost, strict=True):
        assert check["code"] in row and f"−{check['points_lost']}" in row
        assert html.escape(check["fix"]["zh"], quote=True)[:12] in row
    english = client.get(f"/datasets/{published['dataset']}?lang=en").text
    assert "How to fix" in english


def test_dataset_page_has_downloads_and_real_api_urls(
    client: TestClient, published: dict[str, str]
) -> None:
    text = client.get(f"/datasets/{published['dataset']}").text
    resource = published["resource"]
    for fmt in ("csv", "json", "ndjson", "parquet", "xlsx", "xml"):
        assert f"/api/resources/{resource}/download.{fmt}" in text
    base = "http://testserver"  # no base_url configured: the request's own host
    assert f"{base}/api/3/action/datastore_search?resource_id={resource}" in text
    assert f"{base}/api/v1/rest/datastore/379130000E-" in text
    # Downloads are tested in tests/api (their DuckDB 2 fix is on branch api); here: the JSON
    # examples answer.
    assert client.get(f"/api/resources/{resource}/rows?_limit=10").status_code == 200
    assert client.get(f"/api/datasets/{published['dataset']}/datapackage.json").status_code == 200


def test_search_facets_and_band(client: TestClient, published: dict[str, str]) -> None:
    text = client.get("/search?q=竊盜").text
    for heading in ("機關", "格式", "授權", "開放度標章"):
        assert f"<h2>{heading}</h2>" in text
    assert "CSV" in text
    bands = set(re.findall(r"band=(gold|silver|bronze|none)", text))
    assert len(bands) == 1, "one dataset, so one band in the facet"
    (band,) = bands
    other = "gold" if band != "gold" else "none"
    assert "共 1 筆資料集" in client.get(f"/search?q=竊盜&band={band}").text
    assert "共 0 筆資料集" in client.get(f"/search?q=竊盜&band={other}").text


def test_home_lists_most_used_after_use(client: TestClient, published: dict[str, str]) -> None:
    assert "尚無使用紀錄" in client.get("/").text
    for _ in range(3):
        client.get(f"/api/resources/{published['resource']}/rows")
    home = client.get("/").text
    assert "3 次 API 使用" in home
    assert "服務分類" in home and "機關開放度排行" in home
    assert home.count('href="/search?category=') == 18


def test_usage_survives_a_restart(
    settings: Settings, published: dict[str, str], client: TestClient
) -> None:
    client.get(f"/api/resources/{published['resource']}/rows")
    client.app.state.service.usage.flush()  # type: ignore[attr-defined]
    from kaifang.service.usage import UsageCounter

    assert UsageCounter(settings.data_dir).counts()[published["resource"]] == 1


@pytest.mark.parametrize("kind", ["freeway", "theft", "elections", "schools"])
def test_dashboards_render(client: TestClient, kind: str) -> None:
    response = client.get(f"/dashboards/{kind}")
    assert response.status_code == 200
    assert '<script src="/static/portal/dashboards.js" defer></script>' in response.text
    # With nothing imported the election and school dashboards say how to import one instead
    # of a form.
    expected = {"elections": "kaifang import elections", "schools": "kaifang import schools"}
    assert expected.get(kind, 'action="/api/') in response.text


def test_unknown_dashboard_is_404(client: TestClient) -> None:
    assert client.get("/dashboards/nope").status_code == 404


def test_organization_dashboard(client: TestClient) -> None:
    text = client.get("/organizations/379130000E").text
    for heading in ("開放度儀表板", "逾期未更新", "疑似拆分之資料集", "資料需求（0 件待回覆）"):
        assert heading in text
    # the openness charts are tables (what shows without JavaScript) that charts.js draws
    assert text.count('class="chart-from-table"') == 2
    assert '<th scope="row">金標章</th>' in text
    assert '<script src="/static/portal/charts.js" defer></script>' in text


def test_resource_explorer_is_labelled(client: TestClient, published: dict[str, str]) -> None:
    text = client.get(f"/resources/{published['resource']}").text
    for control in re.findall(r'<(?:select|input) id="([^"]+)"', text):
        assert f'for="{control}"' in text, control
    assert 'aria-live="polite"' in text


@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_dataset_page_names_the_band_in_the_pages_language(
    client: TestClient, published: dict[str, str], lang: str
) -> None:
    """The score badge shows the band's name (its code was a dict printed as Python)."""
    score = client.get(f"/api/datasets/{published['dataset']}/openness").json()
    assert score["band"] is not None, "the fixture's dataset earns a band"
    band = score["band"]["code"]
    text = client.get(f"/datasets/{published['dataset']}?lang={lang}").text
    assert "{&#39;code&#39;" not in text and "{'code'" not in text
    label = translator(lang)(f"score.band.{band}")
    assert f'<span class="badge band-{band}">{label} {score["score"]}/' in text


def test_search_files_a_dataset_under_its_band(
    client: TestClient, published: dict[str, str]
) -> None:
    score = client.get(f"/api/datasets/{published['dataset']}/openness").json()
    band = score["band"]["code"]
    found = client.get(f"/search?band={band}").text
    assert f"/datasets/{published['dataset']}" in found
    other = next(b for b in ("gold", "silver", "bronze") if b != band)
    assert f"/datasets/{published['dataset']}" not in client.get(f"/search?band={other}").text


def test_search_page_sorts_and_filters_by_update_frequency(
    client: TestClient, published: dict[str, str]
) -> None:
    text = client.get("/search?sort=popularity").text
    assert '<strong aria-current="true">使用最多</strong>' in text
    assert "sort=title" in text and "共 1 筆資料集" in text
    # the published table declares no update frequency: filtering by one finds nothing
    assert "共 0 筆資料集" in client.get("/search?frequency=每月").text
    assert client.get("/search?sort=stars").status_code in (400, 422)


def test_organization_api_pages_its_datasets(client: TestClient, published: dict[str, str]) -> None:
    body = client.get("/api/organizations/379130000E", params={"limit": 1}).json()
    assert (body["dataset_count"], [d["id"] for d in body["datasets"]]) == (
        1,
        [published["dataset"]],
    )
    assert (
        client.get("/api/organizations/379130000E", params={"offset": 1}).json()["datasets"] == []
    )
