"""Catalog exports (DCAT-AP JSON-LD, Frictionless Data Package) and the API's own docs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import frictionless
import pytest
from fastapi.testclient import TestClient

from kaifang.app import create_app
from kaifang.service import exports
from kaifang.settings import Settings
from tests.api.conftest import Published


def test_catalog_jsonld_lists_every_dataset(client: TestClient, published: Published) -> None:
    response = client.get("/catalog.jsonld")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json")
    body = response.json()
    assert body["@type"] == "dcat:Catalog"
    assert {"dcat", "dct"} <= set(body["@context"])
    assert body["hydra:totalItems"] == 3
    datasets = body["dcat:dataset"]
    assert len(datasets) == 3
    assert all(d["@type"] == "dcat:Dataset" for d in datasets)
    view = body["hydra:view"]
    assert view["hydra:first"].endswith("/catalog.jsonld?page=1")
    assert view["hydra:last"].endswith("/catalog.jsonld?page=1")
    assert "hydra:next" not in view and "hydra:previous" not in view


def test_catalog_jsonld_pages(
    client: TestClient, published: Published, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exports, "PAGE_SIZE", 2)
    # ?page=1, not the bare URL: the test above had that page kept with the real page size
    # (a kept page follows the catalog, and the page size never changes in a running server)
    first = client.get("/catalog.jsonld?page=1").json()
    second = client.get(first["hydra:view"]["hydra:next"].split("testserver")[1]).json()
    assert len(first["dcat:dataset"]) == 2 and len(second["dcat:dataset"]) == 1
    assert second["hydra:view"]["hydra:previous"].endswith("page=1")
    assert "hydra:next" not in second["hydra:view"]
    ids = {d["@id"] for d in first["dcat:dataset"] + second["dcat:dataset"]}
    assert len(ids) == 3
    assert client.get("/catalog.jsonld?page=0").status_code == 422


def test_datapackage_validates_with_frictionless(
    client: TestClient, published: Published, tmp_path: Path
) -> None:
    descriptor = client.get("/api/datasets/freeway_traffic_volume/datapackage.json").json()
    (resource,) = descriptor["resources"]
    assert resource["path"].endswith("/api/resources/freeway/download.csv")
    described = {f["name"]: f.get("description") for f in resource["schema"]["fields"]}
    assert described["Volume"] == "車流量（輛）"
    # validate offline: point the resource at the CSV downloaded from the same API
    local = tmp_path / "freeway.csv"
    local.write_bytes(client.get("/api/resources/freeway/download.csv").content)
    resource["path"] = local.name
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    package = frictionless.Package.from_descriptor(
        str(tmp_path / "datapackage.json"), basepath=str(tmp_path)
    )
    report = package.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.tasks[0].stats["rows"] == 2_500


def test_datapackage_of_an_unknown_dataset_is_404(client: TestClient) -> None:
    assert client.get("/api/datasets/nope/datapackage.json").status_code == 404
    assert client.head("/api/datasets/nope/datapackage.json").status_code == 404


def test_datapackage_answers_head_like_get_without_the_body(client: TestClient) -> None:
    url = "/api/datasets/freeway_traffic_volume/datapackage.json"
    got, head = client.get(url), client.head(url)
    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["content-type"] == got.headers["content-type"]
    assert int(head.headers["content-length"]) == len(got.content)


def test_openapi_is_3_1_and_documents_the_native_routes(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    paths = set(spec["paths"])
    assert {
        "/api/datasets",
        "/api/datasets/{dataset_id}",
        "/api/resources/{resource_id}/rows",
        "/api/resources/{resource_id}/aggregate",
        "/api/resources/{resource_id}/download.{fmt}",
        "/api/sql",
        "/api/organizations",
        "/api/datasets/{dataset_id}/resources/{resource_name}/versions",
    } <= paths


def test_docs_serve_swagger_ui_from_local_files(client: TestClient) -> None:
    html = client.get("/docs").text
    assert "swagger-ui" in html
    assert not re.search(r"https?://[^\"']*(cdn|jsdelivr|unpkg)", html), "no CDN at runtime"
    assets = re.findall(r"(?:src|href)=['\"](/static/[^'\"]+)['\"]", html)
    assert len(assets) >= 2
    for asset in assets:
        assert client.get(asset).status_code == 200, asset


def test_an_empty_data_directory_still_answers(settings: Settings) -> None:
    with TestClient(create_app(settings)) as empty:
        assert empty.get("/api/datasets").json()["count"] == 0
        assert empty.get("/catalog.jsonld").json()["dcat:dataset"] == []
        assert empty.get("/api/3/action/package_list").json()["result"] == []
        assert empty.get("/api/v1/rest/dataset").json()["result"] == []
