"""The dataset list, a resource and its rows pages are kept encoded until the catalog changes
(issue 17: the API's most asked answers sent without the catalog's or DuckDB's queries, from
the event loop), and a kept answer is never stale: any commit to the catalog, from this
process or another one, moves the catalog's change stamp (kaifang.catalog.stamp) and the next
request sees it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from kaifang.app import create_app
from kaifang.catalog import create_organization, open_catalog
from kaifang.catalog.aliases import rename_dataset
from kaifang.catalog.editing import withdraw_dataset
from kaifang.catalog.models import Dataset, Organization
from kaifang.publish import PublishResult, publish_file
from kaifang.service import EVERYTHING, Service
from kaifang.settings import Settings
from tests.publishing import ORG, THEFT_HEADER, THEFT_ROWS, WriteCsv

FOURTH = (4, "機車竊盜", "2023-01-04", "大同分局")


@pytest.fixture
def published(settings: Settings, write_csv: WriteCsv) -> list[PublishResult]:
    with open_catalog(settings) as catalog:
        create_organization(catalog, ORG, name="臺北市政府警察局")
    theft = write_csv("theft.csv", THEFT_HEADER, THEFT_ROWS)
    return [
        publish_file(settings, theft, org=ORG, title="竊盜點位", dataset_id="theft_points"),
        publish_file(settings, theft, org=ORG, title="竊盜點位二", dataset_id="theft_again"),
    ]


@pytest.fixture
def client(settings: Settings, published: list[PublishResult]) -> Iterator[TestClient]:
    with TestClient(create_app(settings.replace(rate_limit=0))) as test_client:
        yield test_client


def _service(client: TestClient) -> Service:
    service: Service = client.app.state.service  # type: ignore[attr-defined]
    return service


def _listed(client: TestClient, **params: Any) -> dict[str, Any]:
    answer = client.get("/api/datasets", params=params)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/json"
    body: dict[str, Any] = answer.json()
    return body


def test_the_list_is_kept_until_the_catalog_changes(client: TestClient) -> None:
    service = _service(client)
    first = client.get("/api/datasets").content
    kept = service.kept_catalog_json(("dataset_page", EVERYTHING, "relevance", 20, 0))
    if service.catalog.stamp.is_local:
        assert kept == first  # the next request is answered from the event loop
    else:
        assert kept is None  # PostgreSQL: telling asks the server, so never on the loop
    assert client.get("/api/datasets").content == first
    # other pages and orders are kept apart
    page = _listed(client, limit=1, offset=1, sort="title")
    assert page["count"] == 2 and len(page["data"]) == 1
    assert client.get("/api/datasets").content == first


def test_a_resource_and_its_rows_follow_a_new_version(
    client: TestClient, settings: Settings, published: list[PublishResult], write_csv: WriteCsv
) -> None:
    resource = published[0].resource
    before = client.get(f"/api/resources/{resource}").json()
    rows = client.get(f"/api/resources/{resource}/rows", params={"_limit": 2}).json()
    assert (before["current_version"], rows["version"], rows["total"]) == (1, 1, len(THEFT_ROWS))
    assert client.get(f"/api/resources/{resource}").json() == before  # kept

    more = write_csv("more.csv", THEFT_HEADER, [*THEFT_ROWS, FOURTH])
    publish_file(settings, more, org=ORG, dataset=published[0].dataset, resource=resource)
    after = client.get(f"/api/resources/{resource}").json()
    assert after["current_version"] == 2 and after["rows"] == len(THEFT_ROWS) + 1
    rows = client.get(f"/api/resources/{resource}/rows", params={"_limit": 2}).json()
    assert (rows["version"], rows["total"]) == (2, len(THEFT_ROWS) + 1)
    old = client.get(f"/api/resources/{resource}/rows", params={"_limit": 2, "_version": 1})
    assert old.json()["total"] == len(THEFT_ROWS)
    # answers that are errors are never kept
    missing = client.get("/api/resources/no_such_table/rows")
    assert missing.status_code == 404
    assert client.get("/api/resources/no_such_table").status_code == 404


def test_a_rename_withdrawal_or_name_change_shows_at_once(
    client: TestClient, settings: Settings
) -> None:
    assert {d["id"] for d in _listed(client)["data"]} == {"theft_points", "theft_again"}

    with open_catalog(settings) as catalog:
        rename_dataset(catalog, "theft_points", "taipei_theft", actor="admin")
    assert {d["id"] for d in _listed(client)["data"]} == {"taipei_theft", "theft_again"}

    with open_catalog(settings) as catalog:
        withdraw_dataset(catalog, "theft_again", actor="admin")
    listed = _listed(client)
    assert [d["id"] for d in listed["data"]] == ["taipei_theft"] and listed["count"] == 1

    # a write that touches no dataset row (an organization's name) moves the stamp too
    with open_catalog(settings) as catalog, catalog.write() as session:
        session.execute(
            update(Organization).where(Organization.code == ORG).values(name="臺北市警察局")
        )
    (only,) = _listed(client)["data"]
    assert json.dumps(only, ensure_ascii=False).count("臺北市警察局") >= 1


def test_a_change_from_another_process_shows_at_once(
    client: TestClient, settings: Settings
) -> None:
    assert {d["id"] for d in _listed(client)["data"]} == {"theft_points", "theft_again"}
    env = {**os.environ, "KAIFANG_DATA_DIR": str(settings.data_dir)}
    if settings.database_url:
        env["KAIFANG_DATABASE_URL"] = settings.database_url
    done = subprocess.run(
        [sys.executable, "-m", "kaifang", "catalog", "rename", "theft_again", "theft_twice"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert {d["id"] for d in _listed(client)["data"]} == {"theft_points", "theft_twice"}


# -- the harvesters' surfaces: CKAN, the national spec, DCAT, organizations, the ranking -----
SECOND_TITLE = "竊盜點位二"


@pytest.mark.parametrize(
    "path",
    [
        '/api/3/action/package_search?q=竊盜&facet.field=["organization"]',
        "/api/3/action/package_list",
        f"/api/3/action/organization_show?id={ORG}&include_datasets=true",
        "/api/3/action/recently_changed_packages_activity_list",
        "/api/v1/rest/dataset",
        "/catalog.jsonld",
        "/catalog.ttl",
        f"/api/organizations/{ORG}",
        "/api/organizations",
    ],
)
def test_a_harvested_answer_is_kept_until_a_withdrawal(
    client: TestClient, settings: Settings, published: list[PublishResult], path: str
) -> None:
    second = published[1]
    marks = (SECOND_TITLE, second.dataset, second.dataset_identifier)
    kept_before = _kept_count(client)
    first = client.get(path)
    assert first.status_code == 200, first.text
    assert _kept_count(client) == kept_before + 1  # the answer is kept
    assert client.get(path).content == first.content
    if path != "/api/organizations":  # counts only
        assert any(mark in first.text for mark in marks), first.text[:500]

    with open_catalog(settings) as catalog:
        withdraw_dataset(catalog, second.dataset, actor="admin")
    after = client.get(path)
    assert after.status_code == 200, after.text
    assert after.content != first.content
    if path == "/api/3/action/recently_changed_packages_activity_list":
        return  # the withdrawal is itself the newest activity, naming the dataset
    assert not any(mark in after.text for mark in marks if mark != second.dataset_identifier)


def _kept_count(client: TestClient) -> int:
    """How many answers the service keeps, over every kind."""
    service = _service(client)
    return sum(len(cache._answers) for cache in service._answers.values())


def test_a_dataset_answer_follows_an_edit_and_a_withdrawal(
    client: TestClient, settings: Settings, published: list[PublishResult]
) -> None:
    second = published[1]
    spec = f"/api/v1/rest/dataset/{second.dataset_identifier}"
    ckan = f"/api/3/action/package_show?id={second.dataset}"
    for path in (spec, ckan):
        assert SECOND_TITLE in client.get(path).text
        assert SECOND_TITLE in client.get(path).text
    with open_catalog(settings) as catalog, catalog.write() as session:
        session.execute(
            update(Dataset).where(Dataset.slug == second.dataset).values(title="竊盜點位乙")
        )
    for path in (spec, ckan):
        text = client.get(path).text
        assert "竊盜點位乙" in text and SECOND_TITLE not in text, path
    assert client.get(ckan).json()["result"]["state"] == "active"
    with open_catalog(settings) as catalog:
        withdraw_dataset(catalog, second.dataset, actor="admin")
    assert client.get(ckan).json()["result"]["state"] == "deleted"  # CKAN's tombstone


def test_an_error_is_not_kept_for_what_appears_later(
    client: TestClient, settings: Settings, published: list[PublishResult], write_csv: WriteCsv
) -> None:
    path = "/api/3/action/package_show?id=theft_third"
    assert client.get(path).status_code == 404
    theft = write_csv("third.csv", THEFT_HEADER, THEFT_ROWS)
    publish_file(settings, theft, org=ORG, title="竊盜點位三", dataset_id="theft_third")
    shown = client.get(path)
    assert shown.status_code == 200 and shown.json()["result"]["title"] == "竊盜點位三"


def test_an_organization_and_the_ranking_follow_its_new_name(
    client: TestClient, settings: Settings
) -> None:
    paths = [f"/api/organizations/{ORG}", "/api/openness/ranking", "/api/organizations"]
    for path in paths:
        assert "臺北市政府警察局" in client.get(path).text
    with open_catalog(settings) as catalog, catalog.write() as session:
        session.execute(
            update(Organization).where(Organization.code == ORG).values(name="臺北市警察局")
        )
    for path in paths:
        text = client.get(path).text
        assert "臺北市警察局" in text and "臺北市政府警察局" not in text, path


def test_answers_for_two_hosts_are_kept_apart(
    settings: Settings, published: list[PublishResult]
) -> None:
    trusted = settings.replace(rate_limit=0, trusted_hosts="one.example,two.example")
    paths = [
        "/catalog.jsonld",
        "/api/3/action/package_search",
        "/api/v1/rest/dataset/" + published[0].dataset_identifier,
    ]
    with TestClient(create_app(trusted)) as client:
        for path in paths:
            one = client.get(path, headers={"host": "one.example"})
            two = client.get(path, headers={"host": "two.example"})
            assert one.status_code == two.status_code == 200, (one.text, two.text)
            assert "one.example" in one.text and "two.example" not in one.text, path
            assert "two.example" in two.text and "one.example" not in two.text, path
            assert client.get(path, headers={"host": "one.example"}).content == one.content


def test_the_portal_search_and_organization_pages_follow_the_catalog(
    client: TestClient, settings: Settings, published: list[PublishResult]
) -> None:
    second = published[1]
    paths = ["/search?q=竊盜", f"/search?q=竊盜&org={ORG}", f"/organizations/{ORG}"]
    for path in paths:
        page = client.get(path)
        assert page.status_code == 200 and SECOND_TITLE in page.text, path
        assert SECOND_TITLE in client.get(path).text
    kinds = _service(client)._views
    assert {"search_page", "organization_page"} <= set(kinds)  # their data was kept
    with open_catalog(settings) as catalog:
        withdraw_dataset(catalog, second.dataset, actor="admin")
    for path in paths:
        page = client.get(path)
        assert page.status_code == 200 and SECOND_TITLE not in page.text, path


def test_a_long_query_string_is_kept_under_a_short_key(client: TestClient) -> None:
    long_q = "竊盜 " + "x" * 480  # a search may be 500 characters long
    path = f"/api/3/action/package_search?q={long_q}"
    first = client.get(path)
    assert first.status_code == 200, first.text
    assert client.get(path).content == first.content
    (ckan,) = [cache for kind, cache in _service(client)._answers.items() if kind == "ckan"]
    (key,) = [k for k in ckan._answers if "package_search" in k]
    assert len(repr(key)) < 400  # the query's digest, not its 1,500 bytes (encoded)


def test_a_large_organizations_page_is_built_each_time(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kaifang.service import web

    monkeypatch.setattr(web, "KEPT_ORGANIZATION_DATASETS", 1)  # the organization has two
    for _ in range(2):
        page = client.get(f"/organizations/{ORG}")
        assert page.status_code == 200 and SECOND_TITLE in page.text
    views = _service(client)._views.get("organization_page")
    assert views is None or not views._answers
