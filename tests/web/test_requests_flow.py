from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.web.conftest import XSS, csrf_of, log_in


def _ask(client: TestClient, title: str) -> None:
    page = client.get("/requests/new?org=379130000E")
    assert 'value="379130000E" selected' in page.text
    response = client.post(
        "/requests",
        data={
            "org": "379130000E",
            "title": title,
            "description": "每月更新",
            "requester": "g0v",
            "contact": "g0v@example.tw",
            "csrf": csrf_of(page.text),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert re.fullmatch(r"/requests/\d+\?sent=1", response.headers["location"])


def test_anyone_asks_and_a_member_answers(client: TestClient, tokens: dict[str, str]) -> None:
    _ask(client, "機車竊盜點位")
    org_page = client.get("/organizations/379130000E")
    assert "機車竊盜點位" in org_page.text and "待回覆" in org_page.text
    assert 'action="/requests/' not in org_page.text  # no answer form for the public

    log_in(client, tokens["steward"])
    org_page = client.get("/organizations/379130000E")
    request_id = re.search(r'action="/requests/(\d+)/answer"', org_page.text)
    assert request_id
    response = client.post(
        f"/requests/{request_id.group(1)}/answer",
        data={"status": "fulfilled", "response": "已上架", "csrf": csrf_of(org_page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    answered = client.get("/organizations/379130000E").text
    assert "已上架" in answered and "已開放" in answered
    assert "回覆時間中位數 0 天" in answered


def test_a_non_member_cannot_answer(client: TestClient, tokens: dict[str, str]) -> None:
    _ask(client, "汽車竊盜點位")
    log_in(client, tokens["outsider"])
    page = client.get("/organizations/379130000E")
    response = client.post(
        "/requests/1/answer",
        data={"status": "answered", "response": "不是我們", "csrf": csrf_of(page.text)},
    )
    assert response.status_code == 403


def test_a_request_needs_a_title_shown_beside_the_field(client: TestClient) -> None:
    page = client.get("/requests/new")
    response = client.post(
        "/requests", data={"org": "379130000E", "title": " ", "csrf": csrf_of(page.text)}
    )
    assert response.status_code == 422
    assert 'id="title-error"' in response.text and 'aria-invalid="true"' in response.text


def test_request_text_is_escaped(client: TestClient) -> None:
    _ask(client, XSS)
    text = client.get("/organizations/379130000E").text
    assert "<script>alert" not in text and "&lt;script&gt;" in text


def test_open_requests_count_in_the_openness_view(client: TestClient) -> None:
    _ask(client, "自行車竊盜")
    ranking = client.get("/api/openness/ranking").json()["data"]
    police = next(r for r in ranking if r["organization"] == "379130000E")
    assert police["open_requests"] == 1
