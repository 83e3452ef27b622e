"""GET /api/datasets (search, filters, paging), /api/datasets/{id}, organizations."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import FREEWAY_V1_ROWS, Published
from tests.api.data import ORG, OTHER_ORG, THEFT_FIELDS

FREEWAY = "freeway_traffic_volume"
THEFT = "theft"
SCHOOL = "school_directory"


def ids(client: TestClient, query: str) -> list[str]:
    response = client.get(f"/api/datasets?{query}")
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) >= {"data", "count"}
    return [d["id"] for d in body["data"]]


def test_the_fixture_ids_are_the_ones_the_tests_name(published: Published) -> None:
    assert (published.freeway.dataset, published.theft.dataset, published.school.dataset) == (
        FREEWAY,
        THEFT,
        SCHOOL,
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {FREEWAY, THEFT, SCHOOL}),
        ("q=竊盜", {THEFT}),
        ("q=freeway", {FREEWAY}),
        ("q=School", {SCHOOL}),
        ("q=nothing-like-this", set()),
        (f"org={ORG}", {FREEWAY, THEFT}),
        (f"org={OTHER_ORG.lower()}", {SCHOOL}),
        ("tag=交通", {FREEWAY}),
        ("tag=education", {SCHOOL}),
        ("license=CC0-1.0", {SCHOOL}),
        ("license=cc-by-4.0", {FREEWAY}),
        ("license=OGDL-Taiwan-1.0", {THEFT}),
        ("format=csv", {FREEWAY, THEFT, SCHOOL}),
        ("format=parquet", {FREEWAY, THEFT, SCHOOL}),
        ("format=pdf", set()),
        ("category=E00", {THEFT}),
        (f"q=竊盜&org={OTHER_ORG}", set()),
    ],
)
def test_search_filters(client: TestClient, query: str, expected: set[str]) -> None:
    assert set(ids(client, query)) == expected


def test_count_is_every_match_while_data_is_one_page(client: TestClient) -> None:
    everything = ids(client, "limit=100")
    pages = [ids(client, f"limit=1&offset={n}") for n in range(len(everything) + 1)]
    assert [len(p) for p in pages] == [1, 1, 1, 0]
    assert [p[0] for p in pages[:3]] == everything
    assert client.get("/api/datasets?limit=1").json()["count"] == 3


def test_dataset_detail_has_resources_schema_versions_and_screening(
    client: TestClient, published: Published
) -> None:
    body = client.get(f"/api/datasets/{THEFT}").json()
    assert body["title"] == "竊盜點位資訊"
    assert body["organization"]["code"] == ORG
    assert set(body["keywords"]) == {"竊盜", "治安"}
    (resource,) = body["resources"]
    described = {f["name"]: f.get("description") for f in resource["schema"]["fields"]}
    assert {k: described[k] for k in THEFT_FIELDS} == THEFT_FIELDS
    assert [v["version"] for v in resource["versions"]] == [1]
    assert resource["screening"]["status"]
    by_identifier = client.get(f"/api/datasets/{published.theft.dataset_identifier}").json()
    assert by_identifier["id"] == THEFT


def test_dataset_versions_list_every_publish_with_its_rows(client: TestClient) -> None:
    (resource,) = client.get(f"/api/datasets/{FREEWAY}").json()["resources"]
    assert [(v["version"], v["rows"]) for v in resource["versions"]] == [
        (1, FREEWAY_V1_ROWS),
        (2, 2_500),
    ]
    assert resource["current_version"] == 2


def test_resource_detail(client: TestClient, published: Published) -> None:
    body = client.get(f"/api/resources/{published.freeway.resource_identifier}").json()
    assert (body["id"], body["dataset_id"], body["rows"]) == ("freeway", FREEWAY, 2_500)
    assert [f["name"] for f in body["schema"]["fields"]][:3] == ["id", "TimeInterval", "GantryID"]


def test_organizations(client: TestClient) -> None:
    body = client.get("/api/organizations").json()
    assert body["count"] == 2
    counts = {o["code"]: o["dataset_count"] for o in body["data"]}
    assert counts == {ORG: 2, OTHER_ORG: 1}
    one = client.get(f"/api/organizations/{ORG.lower()}").json()
    assert one["name"] == "臺北市政府警察局"
    assert {d["id"] for d in one["datasets"]} == {FREEWAY, THEFT}
