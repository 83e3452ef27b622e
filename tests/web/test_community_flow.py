"""The community's pages in process: a request's confirmation and status page, the list of
requests, reporting a problem and answering it, submitting and reviewing a showcase; who may
do what, and that what people write is escaped and their links are http(s) only."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.web.conftest import XSS, csrf_of, log_in

POLICE = "379130000E"


def _csrf(client: TestClient, path: str = "/requests/new") -> str:
    return csrf_of(client.get(path).text)


def test_a_request_is_confirmed_on_its_status_page(client: TestClient) -> None:
    response = client.post(
        "/requests",
        data={
            "org": POLICE,
            "title": f"機車竊盜 {XSS}",
            "description": "每月",
            "contact": "me@example.tw",
            "csrf": _csrf(client),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = client.get(response.headers["location"])
    assert "已送出您的資料需求" in page.text and "待回覆" in page.text
    assert "<script>alert" not in page.text and "&lt;script&gt;" in page.text
    assert "me@example.tw" not in page.text  # the contact is never shown
    english = client.get(response.headers["location"] + "&lang=en").text
    assert "Your request was sent" in english
    listed = client.get(f"/requests?org={POLICE}&status=open&lang=zh-TW").text
    assert "機車竊盜" in listed and "共 1 筆" in listed
    assert "共 0 筆" in client.get("/requests?status=closed").text
    assert client.get("/requests/99999").status_code == 404


def test_an_anonymous_request_needs_a_contact(client: TestClient) -> None:
    response = client.post(
        "/requests", data={"org": POLICE, "title": "學生數", "csrf": _csrf(client)}
    )
    assert response.status_code == 422
    assert "未登入時請留下有效的電子郵件地址" in response.text


def test_a_reader_reports_and_the_editor_answers_and_closes(
    client: TestClient, tokens: dict[str, str], published: dict[str, str]
) -> None:
    dataset = published["dataset"]
    assert client.get(f"/datasets/{dataset}/report", follow_redirects=False).status_code == 303
    log_in(client, tokens["outsider"])  # signed in: any reader may report
    form = client.get(f"/datasets/{dataset}/report")
    refused = client.post(
        f"/datasets/{dataset}/report",
        data={"kind": "wrong_value", "row": "2", "csrf": csrf_of(form.text)},
    )
    assert refused.status_code == 422 and "數值錯誤請填寫欄位名稱" in refused.text
    filed = client.post(
        f"/datasets/{dataset}/report",
        data={
            "kind": "wrong_value",
            "row": "2",
            "column": "發生地點",
            "description": f"地點錯了 {XSS}",
            "csrf": csrf_of(form.text),
        },
        follow_redirects=False,
    )
    assert filed.status_code == 303
    page = client.get(filed.headers["location"]).text
    assert "已送出您的回報" in page and "地點錯了" in page and "<script>alert" not in page
    report = re.search(r'id="report-(\d+)"', page)
    assert report and 'action="/reports/' not in page  # no answer form for another org
    denied = client.post(
        f"/reports/{report.group(1)}/answer", data={"response": "x", "csrf": csrf_of(page)}
    )
    assert denied.status_code == 403

    log_in(client, tokens["steward"])
    page = client.get(f"/datasets/{dataset}").text
    answered = client.post(
        f"/reports/{report.group(1)}/answer",
        data={"response": "已更正第 2 列", "close": "1", "csrf": csrf_of(page)},
        follow_redirects=False,
    )
    assert answered.status_code == 303
    page = client.get(f"/datasets/{dataset}").text
    assert "目前沒有待處理的資料問題" in page
    org_page = client.get(f"/organizations/{POLICE}").text
    assert "回覆時間中位數 0 天" in org_page


def test_a_showcase_is_approved_by_an_editor_and_shown(
    client: TestClient, tokens: dict[str, str], published: dict[str, str]
) -> None:
    dataset = published["dataset"]
    log_in(client, tokens["outsider"])
    form = client.get(f"/showcases/new?dataset={dataset}")
    assert f'value="{dataset}"' in form.text
    bad = client.post(
        "/showcases",
        data={
            "title": "地圖",
            "url": "javascript:alert(1)",
            "kind": "map",
            "datasets": dataset,
            "csrf": csrf_of(form.text),
        },
    )
    assert bad.status_code == 422 and "必須以 http:// 或 https:// 開頭" in bad.text
    sent = client.post(
        "/showcases",
        data={
            "title": f"竊盜地圖 {XSS}",
            "url": "https://example.tw/map",
            "kind": "map",
            "datasets": dataset,
            "csrf": csrf_of(form.text),
        },
        follow_redirects=False,
    )
    assert sent.headers["location"] == "/showcases?submitted=1"
    listing = client.get("/showcases").text
    assert "竊盜地圖" not in listing  # pending, and the outsider may not review it
    assert "竊盜地圖" not in client.get(f"/datasets/{dataset}").text

    log_in(client, tokens["steward"])
    listing = client.get("/showcases").text
    showcase = re.search(r'action="/showcases/(\d+)/review"', listing)
    assert showcase
    client.post(
        f"/showcases/{showcase.group(1)}/review",
        data={"decision": "approved", "csrf": csrf_of(listing)},
    )
    page = client.get(f"/datasets/{dataset}").text
    assert '<a href="https://example.tw/map" rel="nofollow noopener">' in page
    assert "<script>alert" not in page
    assert "1 個資料集有人使用" in client.get("/showcases").text
    organization = client.get(f"/organizations/{POLICE}").text
    assert "已核准的應用展示 1 件，用到本機關 1 個資料集" in organization
    used = organization[organization.index('id="used"') : organization.index('id="reports"')]
    assert f'href="/datasets/{dataset}#showcases"' in used
    assert '<td class="number">1</td>' in used
