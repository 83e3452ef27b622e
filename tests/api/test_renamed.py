"""A renamed dataset's former id keeps working (issue 21): portal pages and the native API
redirect to the new id (301 for GET and HEAD, 308 for other methods); the CKAN Action API and the
national spec's /api/v1 answer the current record."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from kaifang.app import create_app
from kaifang.catalog import create_organization, open_catalog
from kaifang.catalog.aliases import rename_dataset
from kaifang.publish import PublishResult, publish_file
from kaifang.settings import Settings
from tests.publishing import ORG, THEFT_HEADER, THEFT_ROWS, WriteCsv


@pytest.fixture
def renamed(settings: Settings, write_csv: WriteCsv) -> Iterator[tuple[TestClient, PublishResult]]:
    with open_catalog(settings) as catalog:
        create_organization(catalog, ORG, name="臺北市政府警察局")
    result = publish_file(
        settings, write_csv("theft.csv", THEFT_HEADER, THEFT_ROWS), org=ORG, title="竊盜點位"
    )
    assert result.dataset == "qie_dao_dian_wei"
    with open_catalog(settings) as catalog:
        rename_dataset(catalog, "qie_dao_dian_wei", "taipei_theft")
    with TestClient(create_app(settings), follow_redirects=False) as client:
        yield client, result


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("/datasets/qie_dao_dian_wei", "/datasets/taipei_theft"),
        ("/datasets/qie_dao_dian_wei?lang=en", "/datasets/taipei_theft?lang=en"),
        ("/api/datasets/qie_dao_dian_wei", "/api/datasets/taipei_theft"),
        (
            "/api/datasets/qie_dao_dian_wei/datapackage.json",
            "/api/datasets/taipei_theft/datapackage.json",
        ),
        ("/feeds/datasets/qie_dao_dian_wei.atom", "/feeds/datasets/taipei_theft.atom"),
    ],
)
def test_pages_and_the_native_api_redirect(
    renamed: tuple[TestClient, PublishResult], path: str, location: str
) -> None:
    client, _ = renamed
    moved = client.get(path)
    assert moved.status_code == 301, moved.text
    assert moved.headers["location"] == location
    assert client.get(location).status_code == 200


def test_an_unknown_id_is_still_not_found(renamed: tuple[TestClient, PublishResult]) -> None:
    client, _ = renamed
    assert client.get("/api/datasets/never_was").status_code == 404
    assert client.get("/datasets/never_was").status_code == 404


def test_ckan_and_the_national_spec_answer_the_current_record(
    renamed: tuple[TestClient, PublishResult],
) -> None:
    client, result = renamed
    shown = client.get("/api/3/action/package_show", params={"id": "qie_dao_dian_wei"})
    assert shown.status_code == 200, shown.text
    assert shown.json()["result"]["name"] == "taipei_theft"
    posted = client.post("/api/3/action/package_show", json={"id": "qie_dao_dian_wei"})
    assert posted.json()["result"]["name"] == "taipei_theft"
    spec = client.get("/api/v1/rest/dataset/qie_dao_dian_wei")
    assert spec.status_code == 200, spec.text
    assert spec.json()["result"]["identifier"] == result.dataset_identifier
