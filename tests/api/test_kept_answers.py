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
from kaifang.catalog.models import Organization
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
