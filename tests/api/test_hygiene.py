"""Requests built to break the server get a 4xx with a clear message, not a 500: huge search
terms, deeply nested JSON; and CSV downloads escape formula-like column names."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kaifang.app import create_app
from kaifang.catalog import create_organization, open_catalog
from kaifang.publish import publish_file
from tests.api.conftest import Published
from tests.api.data import ORG
from tests.catalogs import MakeSettings

LONG = "x" * 60_000  # httpx refuses URLs past 65,536 characters
DEEP = "[" * 50_000 + "]" * 50_000


@pytest.mark.parametrize(
    "url",
    [f"/api/datasets?q={LONG}", f"/api/3/action/package_search?q={LONG}", f"/search?q={LONG}"],
    ids=["api", "ckan", "portal"],
)
def test_a_huge_search_term_is_a_4xx(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert 400 <= response.status_code < 500, response.text[:300]
    assert "at most 500" in response.text


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("POST", "/api/sql", '{"sql": ' + DEEP + "}"),
        (
            "POST",
            "/api/3/action/datastore_search",
            '{"resource_id": "freeway", "filters": ' + DEEP + "}",
        ),
        (
            "GET",
            "/api/3/action/datastore_search?resource_id=freeway&filters="
            + "[" * 9_000
            + "]" * 9_000,
            None,
        ),
    ],
    ids=["sql-body", "ckan-body", "ckan-filters"],
)
def test_deeply_nested_json_is_a_4xx(
    client: TestClient, method: str, url: str, body: str | None
) -> None:
    headers = {"content-type": "application/json"} if body is not None else {}
    response = client.request(method, url, content=body, headers=headers)
    assert 400 <= response.status_code < 500, response.text[:300]


def test_formula_like_column_names_are_escaped_in_csv(
    tmp_path: Path, make_settings: MakeSettings
) -> None:
    settings = make_settings(tmp_path / "data", rate_limit=0)
    with open_catalog(settings) as catalog:
        create_organization(catalog, ORG, name="臺北市政府警察局")
    source = tmp_path / "formulas.csv"
    source.write_text('"=HYPERLINK(""x"")",+total,@who,plain\nab,1,c,d\n', encoding="utf-8")
    published = publish_file(settings, source, org=ORG, title="Formulas")
    with TestClient(create_app(settings)) as client:
        response = client.get(f"/api/resources/{published.resource}/download.csv")
    assert response.status_code == 200, response.text
    header = next(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert header == ['\'=HYPERLINK("x")', "'+total", "'@who", "plain"]


def test_the_session_fixture_is_untouched(published: Published, client: TestClient) -> None:
    """The checks above change nothing: a normal search still answers."""
    assert client.get("/api/datasets?q=traffic").status_code == 200


@pytest.mark.parametrize(
    ("base_url", "trusted", "host", "expected"),
    [
        ("http://127.0.0.1:8000", "", "evil.example", "http://127.0.0.1:8000"),
        ("http://127.0.0.1:8000", "data.example.gov.tw", "evil.example", "http://127.0.0.1:8000"),
        ("http://x.tw", "data.example.gov.tw", "data.example.gov.tw", "http://data.example.gov.tw"),
        ("", "", "127.0.0.1:8080", "http://127.0.0.1:8080"),  # none configured: a loopback
        ("", "", "evil.example", "http://testserver"),  # else the socket's own address
    ],
)
def test_links_come_from_base_url_unless_the_host_is_trusted(
    published: Published, base_url: str, trusted: str, host: str, expected: str
) -> None:
    settings = published.settings.replace(trusted_hosts=trusted, base_url=base_url)
    with TestClient(create_app(settings)) as client:
        headers = {"host": host}
        ckan = client.get(
            f"/api/3/action/package_show?id={published.freeway.dataset}", headers=headers
        )
        catalog = client.get("/catalog.jsonld", headers=headers)
        page = client.get(f"/datasets/{published.freeway.dataset}", headers=headers)
        package = client.get(
            f"/api/datasets/{published.freeway.dataset}/datapackage.json", headers=headers
        )
    assert ckan.json()["result"]["url"].startswith(expected + "/")
    assert catalog.json()["@id"].startswith(expected + "/")
    assert package.json()["resources"][0]["path"].startswith(expected + "/api/resources/")
    assert f"curl '{expected}/api/" in page.text
    if host != expected.split("//")[1]:
        assert host not in ckan.text + catalog.text + page.text
