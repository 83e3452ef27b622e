"""Taiwan's national cross-platform spec under /api/v1/: schemathesis against the spec file,
then each path's shape and each ER0xxx error explicitly."""

from __future__ import annotations

import csv
import gzip
import io
import json
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis
from fastapi.testclient import TestClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from kaifang.app import create_app
from tests.api.conftest import Published, publish_fixtures
from tests.catalogs import MakeSettings

SPEC = Path(__file__).parent / "fixtures" / "tw-cross-platform-api-v1.yaml"
FREEWAY = "379130000E-000001-001"  # the freeway resource's national identifier
THEFT = "379130000E-000002-001"

spec = schemathesis.openapi.from_path(SPEC)


@spec.parametrize()
@hypothesis.settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(hypothesis.HealthCheck),
    derandomize=True,
)
def test_conforms_to_the_spec(case: Any, live_server: str, published: Published) -> None:
    """Each generated request, and the same request on a real resource, answers as the spec
    says. Error bodies are JSON even on the dump (which declares only application/x-gzip for
    its file): a client needs the ER0xxx code, so content types are checked on successes."""
    variants = [dict(case.path_parameters or {})]
    if case.path_parameters and "resourceID" in case.path_parameters:
        variants.append({**case.path_parameters, "resourceID": FREEWAY})
    for path_parameters in variants:
        case.path_parameters = path_parameters
        response = case.call(base_url=live_server + "/api/v1")
        checks = [not_a_server_error, response_schema_conformance]
        if response.status_code < 400:
            checks.append(content_type_conformance)
        case.validate_response(response, checks=checks)


# -- explicit shapes ------------------------------------------------------------------------
def ok(client: TestClient, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["success"] is True and "error" not in body
    return body["result"]


def test_group_list_and_group(client: TestClient, published: Published) -> None:
    assert ok(client, "/api/v1/rest/group") == ["A00", "E00"]
    assert ok(client, "/api/v1/rest/group?limit=1&offset=1") == ["E00"]
    group = ok(client, "/api/v1/rest/group/E00")
    assert group["categoryCode"] == "E00"
    assert group["packages"] == [published.theft.dataset_identifier]
    assert group["package_count"] == 1
    assert set(group) == {
        "categoryCode", "display_name", "description", "package_count", "created", "packages",
    }  # fmt: skip
    assert ok(client, "/api/v1/rest/group/100")["packages"] == []


def test_tags(client: TestClient, published: Published) -> None:
    assert ok(client, "/api/v1/rest/tag") == sorted(
        ["traffic", "交通", "竊盜", "治安", "education"]
    )
    assert ok(client, "/api/v1/rest/tag?limit=2") == ["education", "traffic"]
    assert ok(client, "/api/v1/rest/tag/竊盜") == [published.theft.dataset_identifier]
    assert ok(client, "/api/v1/rest/tag/nothing") == []


def test_dataset_ids_with_modified_limit_offset(client: TestClient, published: Published) -> None:
    everything = ok(client, "/api/v1/rest/dataset")
    assert everything == sorted(
        r.dataset_identifier for r in (published.freeway, published.theft, published.school)
    )
    assert ok(client, "/api/v1/rest/dataset?limit=2&offset=1") == everything[1:3]
    assert ok(client, "/api/v1/rest/dataset?modified=2000-01-01T00:00:00Z") == everything
    assert ok(client, "/api/v1/rest/dataset?modified=2999-01-01T00:00:00Z") == []


def test_dataset_metadata_has_the_spec_fields(client: TestClient, published: Published) -> None:
    meta = ok(client, f"/api/v1/rest/dataset/{published.freeway.dataset_identifier}")
    for key in (
        "categoryCode", "identifier", "title", "description", "fieldDescription", "type",
        "license", "licenseURL", "cost", "organization", "publisher", "publisherOrgCode",
        "accrualPeriodicity", "issued", "modified", "language", "keyword", "numberOfData",
        "distribution",
    ):  # fmt: skip
        assert key in meta, key
    assert meta["publisherOrgCode"] == "379130000E"
    # no OID recorded for the organization: its code, never an empty field
    assert meta["publisherOID"] == "379130000E"
    assert meta["cost"] == "免費"  # the metadata standard's wording, not the slug "free"
    assert meta["numberOfData"] == 2_500
    assert "Volume（車流量（輛））" in meta["fieldDescription"]
    (distribution,) = meta["distribution"]
    assert distribution["resourceID"] == FREEWAY
    assert distribution["downloadURL"].endswith("/api/resources/freeway/download.csv")


def test_datastore_result_shape_and_parameters(client: TestClient, published: Published) -> None:
    url = (
        f"/api/v1/rest/datastore/{FREEWAY}?filters="
        + json.dumps({"GantryID": "01F0017N", "Direction": "N"})
        + "&sort=Volume&limit=4&offset=1&fields=id,Volume"
    )
    result = ok(client, url)
    assert set(result) == {"resource_id", "fields", "records", "limit", "offset", "total"}
    chosen = sorted((r for r in published.rows if r.gantry == "01F0017N"), key=lambda r: r.volume)
    assert result["total"] == len(chosen)
    assert result["fields"] == [
        {"id": "id", "type": "integer"},
        {"id": "Volume", "type": "integer"},
    ]
    assert [r["Volume"] for r in result["records"]] == [r.volume for r in chosen[1:5]]
    searched = ok(client, f"/api/v1/rest/datastore/{THEFT}?q=汽車竊盜")
    assert searched["total"] == 2


@pytest.mark.parametrize("fmt", ["json", "csv", "xml"])
def test_dump_is_gzip_in_each_format(client: TestClient, fmt: str) -> None:
    response = client.get(f"/api/v1/dump/datastore/{THEFT}?format={fmt}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/x-gzip"
    text = gzip.decompress(response.content).decode("utf-8")
    if fmt == "json":
        places = [r["發生地點"] for r in json.loads(text)]
    elif fmt == "csv":
        places = [r["發生地點"] for r in csv.DictReader(io.StringIO(text))]
    else:
        places = [f.text for f in ET.fromstring(text).iter("field") if f.get("name") == "發生地點"]
    assert len(places) == 6 and "大安分局" in places


# -- errors ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        ("/api/v1/rest/datastore/A00000000A-000001-001", 404, "ER0100"),
        ("/api/v1/dump/datastore/nope?format=csv", 404, "ER0100"),
        ("/api/v1/rest/dataset/A00000000A-000001", 404, "ER0100"),
        ("/api/v1/rest/group/ZZZ", 404, "ER0100"),
        (f"/api/v1/rest/datastore/{FREEWAY}?filter=x", 400, "ER0200"),
        ("/api/v1/rest/dataset?page=2", 400, "ER0200"),
        ("/api/v1/rest/group?limit=11.5", 400, "ER0210"),
        ("/api/v1/rest/dataset?offset=all", 400, "ER0210"),
        ("/api/v1/rest/dataset?modified=yesterday", 400, "ER0210"),
        ("/api/v1/rest/dataset?modified=2024-01-01", 400, "ER0210"),
        ("/api/v1/rest/dataset?modified=20240101T000000Z", 400, "ER0210"),
        ("/api/v1/rest/dataset?modified=2024-13-45T00:00:00Z", 400, "ER0210"),
        ("/api/v1/rest/nothing", 404, "ER0100"),
        ("/api/v1/", 404, "ER0100"),
        (f"/api/v1/rest/datastore/{FREEWAY}?filters=GantryID:x", 400, "ER0210"),
        (f"/api/v1/rest/datastore/{FREEWAY}?q=市", 400, "ER0210"),
        (f"/api/v1/dump/datastore/{FREEWAY}?format=pdf", 400, "ER0210"),
        (f'/api/v1/rest/datastore/{FREEWAY}?filters={{"nope":1}}', 400, "ER0220"),
        (f"/api/v1/rest/datastore/{FREEWAY}?sort=nope", 400, "ER0220"),
        (f"/api/v1/rest/datastore/{FREEWAY}?fields=id,nope", 400, "ER0220"),
    ],
)
def test_errors(client: TestClient, url: str, status: int, code: str) -> None:
    response = client.get(url)
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is False and "result" not in body
    assert body["error"]["type"] == code
    assert body["error"]["message"]


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_other_methods_answer_in_the_specs_shape(client: TestClient, method: str) -> None:
    response = client.request(method, "/api/v1/rest/dataset")
    assert response.status_code == 405 and response.headers["allow"] == "GET"
    body = response.json()
    assert body["success"] is False and body["error"]["type"] == "ER010001"
    assert method in body["error"]["message"]


def test_modified_accepts_rfc3339_offsets(client: TestClient, published: Published) -> None:
    everything = ok(client, "/api/v1/rest/dataset")
    assert ok(client, "/api/v1/rest/dataset?modified=2000-01-01T08:00:00%2B08:00") == everything
    assert ok(client, "/api/v1/rest/dataset?modified=2000-01-01t00:00:00.5z") == everything


@pytest.fixture
def broken(tmp_path: Path, make_settings: MakeSettings) -> Iterator[TestClient]:
    """A data directory whose freeway resource lost its Parquet files."""
    settings = make_settings(tmp_path / "data", rate_limit=0)
    published = publish_fixtures(settings, tmp_path / "files")
    shutil.rmtree(published.settings.data_dir / "tables" / published.freeway.resource)
    with TestClient(create_app(published.settings), raise_server_exceptions=False) as client:
        yield client


def test_a_resource_whose_files_are_gone_is_er0500(broken: TestClient) -> None:
    response = broken.get(f"/api/v1/rest/datastore/{FREEWAY}")
    assert response.status_code == 500
    assert response.json() == {
        "success": False,
        "error": {"type": "ER0500", "message": response.json()["error"]["message"]},
    }
    dump = broken.get(f"/api/v1/dump/datastore/{FREEWAY}?format=csv")
    assert (dump.status_code, dump.json()["error"]["type"]) == (500, "ER0500")
    assert broken.get(f"/api/v1/rest/datastore/{THEFT}").status_code == 200
