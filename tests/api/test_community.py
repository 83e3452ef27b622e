"""The community API: dataset requests (anonymous with a contact, rate-limited), data-quality
reports and showcases, with who may do what (401 without a token where one is needed, 403 for
another organization's editor)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from kaifang.app import create_app
from kaifang.catalog import create_token, create_user, open_catalog
from kaifang.catalog.db import Catalog
from kaifang.service.community import ANONYMOUS_REQUESTS_PER_HOUR
from tests.api.conftest import Published
from tests.api.data import ORG, OTHER_ORG


@pytest.fixture(scope="module")
def people(published: Published) -> dict[str, dict[str, str]]:
    """Authorization headers: the police's editor, the ministry's editor, a plain reader."""
    with open_catalog(published.settings) as catalog:
        return {
            name: {"Authorization": f"Bearer {_token(catalog, name, org)}"}
            for name, org in (("police", ORG), ("ministry", OTHER_ORG), ("reader", None))
        }


def _token(catalog: Catalog, name: str, org: str | None) -> str:
    user = f"community_{name}"
    if org:
        create_user(catalog, user, org=org, role="editor")
    else:
        create_user(catalog, user)
    return create_token(catalog, user).token


@pytest.fixture
def fresh(published: Published) -> Iterator[TestClient]:
    """An app of its own: the anonymous limit starts full."""
    with TestClient(create_app(published.settings)) as test_client:
        yield test_client


def test_requests_anonymous_with_a_contact_then_limited(fresh: TestClient) -> None:
    body = {"organization": ORG, "title": "機車竊盜", "contact": "me@example.tw"}
    assert fresh.post("/api/requests", json={**body, "contact": ""}).status_code == 400
    assert fresh.post("/api/requests", json={**body, "contact": "nope"}).status_code == 400
    made = [fresh.post("/api/requests", json=body) for _ in range(ANONYMOUS_REQUESTS_PER_HOUR)]
    assert [r.status_code for r in made] == [201] * ANONYMOUS_REQUESTS_PER_HOUR
    assert "contact" not in made[0].json() and made[0].json()["status"] == "open"
    limited = fresh.post("/api/requests", json=body)
    assert limited.status_code == 429 and limited.json()["error"]["code"] == "rate_limited"


def test_requests_are_listed_shown_and_answered_by_the_organization(
    client: TestClient, people: dict[str, dict[str, str]]
) -> None:
    created = client.post(
        "/api/requests", json={"organization": OTHER_ORG, "title": "學生數"},
        headers=people["reader"],
    )  # fmt: skip
    assert created.status_code == 201 and created.json()["requester"] == "community_reader"
    number = created.json()["id"]
    assert client.get(f"/api/requests/{number}").json()["title"] == "學生數"
    listed = client.get(f"/api/requests?organization={OTHER_ORG}&status=open").json()
    assert number in [r["id"] for r in listed["data"]] and listed["total"] >= 1
    answer = {"status": "answered", "response": "下月開放"}
    url = f"/api/requests/{number}/answer"
    assert client.post(url, json=answer).status_code == 401
    assert client.post(url, json=answer, headers=people["reader"]).status_code == 403
    assert client.post(url, json=answer, headers=people["police"]).status_code == 403
    done = client.post(url, json=answer, headers=people["ministry"])
    assert done.status_code == 200 and done.json()["status"] == "answered"
    closed = client.post(
        url, json={"status": "fulfilled", "response": "已開放"}, headers=people["ministry"]
    )
    assert closed.json()["status"] == "fulfilled"
    assert client.post(url, json=answer, headers=people["ministry"]).status_code == 409
    closed_list = client.get(f"/api/requests?organization={OTHER_ORG}&status=closed").json()
    assert number in [r["id"] for r in closed_list["data"]]


def test_reports_need_a_token_and_the_organization_answers(
    client: TestClient, published: Published, people: dict[str, dict[str, str]]
) -> None:
    dataset = published.theft.dataset
    body = {"kind": "wrong_value", "resource": published.theft.resource, "row": 3,
            "column": "發生地點", "description": "地點錯了"}  # fmt: skip
    assert client.post(f"/api/datasets/{dataset}/reports", json=body).status_code == 401
    filed = client.post(f"/api/datasets/{dataset}/reports", json=body, headers=people["reader"])
    assert filed.status_code == 201, filed.text
    report = filed.json()
    assert (report["row"], report["column"], report["status"]) == (3, "發生地點", "open")
    open_ones = client.get(f"/api/datasets/{dataset}/reports?status=open").json()
    assert report["id"] in [r["id"] for r in open_ones["data"]]
    url = f"/api/reports/{report['id']}"
    assert client.get(url).json()["description"] == "地點錯了"
    answer = {"response": "已更正"}
    assert client.post(f"{url}/answer", json=answer).status_code == 401
    assert client.post(f"{url}/answer", json=answer, headers=people["ministry"]).status_code == 403
    answered = client.post(f"{url}/answer", json=answer, headers=people["police"])
    assert answered.json()["status"] == "answered"
    closed = client.post(f"{url}/close", json={}, headers=people["police"])
    assert closed.json()["status"] == "closed" and closed.json()["response"] == "已更正"
    assert client.post(f"{url}/close", json={}, headers=people["police"]).status_code == 409
    after = client.get(f"/api/datasets/{dataset}/reports?status=open").json()
    assert report["id"] not in [r["id"] for r in after["data"]]
    bad = client.post(
        f"/api/datasets/{dataset}/reports", json={"kind": "wrong_value"},
        headers=people["reader"],
    )  # fmt: skip
    assert bad.status_code == 400 and bad.json()["error"]["details"]["key"] == "row"
    kinds = [a["kind"] for a in client.get(f"/api/activity?dataset={dataset}").json()["data"]]
    assert {"report_filed", "report_answered"} <= set(kinds)


def test_showcases_are_reviewed_by_an_editor_of_a_dataset_they_use(
    client: TestClient, published: Published, people: dict[str, dict[str, str]]
) -> None:
    dataset = published.theft.dataset
    body = {"title": "竊盜熱點地圖", "url": "https://example.tw/map", "kind": "map",
            "datasets": [dataset]}  # fmt: skip
    assert client.post("/api/showcases", json=body).status_code == 401
    evil = client.post(
        "/api/showcases", json={**body, "url": "javascript:alert(1)"}, headers=people["reader"]
    )
    assert evil.status_code == 400 and evil.json()["error"]["details"]["key"] == "url"
    made = client.post("/api/showcases", json=body, headers=people["reader"])
    assert made.status_code == 201 and made.json()["status"] == "pending"
    number = made.json()["id"]
    assert client.get(f"/api/showcases/{number}").status_code == 404  # not approved yet
    assert number not in [s["id"] for s in client.get("/api/showcases").json()["data"]]
    pending = client.get("/api/showcases/pending", headers=people["police"]).json()["data"]
    assert number in [s["id"] for s in pending]
    review = f"/api/showcases/{number}/review"
    approve = {"decision": "approved"}
    assert client.post(review, json=approve).status_code == 401
    assert client.post(review, json=approve, headers=people["ministry"]).status_code == 403
    assert client.post(review, json=approve, headers=people["police"]).status_code == 200
    listed = client.get(f"/api/showcases?dataset={dataset}").json()
    assert [s["title"] for s in listed["data"]] == ["竊盜熱點地圖"]
    assert listed["datasets_in_use"] >= 1
    assert client.get(f"/api/showcases/{number}").json()["datasets"][0]["id"] == dataset
