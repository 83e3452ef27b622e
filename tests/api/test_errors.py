"""One JSON error envelope for every error under /api/ (the compatibility layers excepted):
a sweep over every route of the app, plus a table of bad requests for each route."""

from __future__ import annotations

import re
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from kaifang.app import create_app
from kaifang.settings import Settings
from tests.api.conftest import Published, publish_fixtures
from tests.catalogs import MakeSettings

COMPAT_PREFIXES = ("/api/v1/", "/api/3/", "/api/action/")
SERVER_PATHS = sorted(
    {
        str(Path.home()),
        sys.prefix,
        str(Path(__file__).resolve().parents[2]),  # the checkout
        tempfile.gettempdir(),  # where the tests' data directories are
    }
)
"""Absolute paths of the server that no error body may show."""


def native_routes(client: TestClient) -> list[tuple[str, str]]:
    """(method, path) of every route of the app under /api/, compatibility layers excepted."""
    found = []
    app: FastAPI = client.app  # type: ignore[assignment]
    for route in iter_route_contexts(app.routes):  # flattens included routers
        path = route.path or ""
        if not path.startswith("/api/") or path.startswith(COMPAT_PREFIXES):
            continue
        found.extend((method, path) for method in sorted(route.methods or ()))
    return sorted(found)


def assert_envelope(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert_no_server_paths(response.text)
    body: dict[str, Any] = response.json()
    assert set(body) == {"error", "status"}, body
    assert body["status"] == status
    error = body["error"]
    assert isinstance(error["code"], str) and re.fullmatch(r"[a-z_]+", error["code"])
    assert isinstance(error["message"], str) and error["message"]
    assert set(error) <= {"code", "message", "hint", "details"}
    return error


def assert_no_server_paths(text: str) -> None:
    shown = [path for path in SERVER_PATHS if path in text]
    assert not shown, f"the error body shows server paths {shown}: {text}"


# Each native route, with requests that must fail and how.
BAD_REQUESTS: dict[tuple[str, str], list[tuple[str, int, str]]] = {
    ("GET", "/api/datasets"): [
        ("/api/datasets?limit=abc", 422, "validation_error"),
        ("/api/datasets?limit=0", 422, "validation_error"),
        ("/api/datasets?offset=-1", 422, "validation_error"),
    ],
    ("GET", "/api/datasets/{dataset_id}"): [("/api/datasets/nope", 404, "not_found")],
    ("GET", "/api/datasets/{dataset_id}/datapackage.json"): [
        ("/api/datasets/nope/datapackage.json", 404, "not_found")
    ],
    ("POST", "/api/datasets/{dataset_id}/resources/{resource_name}/versions"): [
        ("/api/datasets/nope/resources/x/versions", 422, "validation_error"),  # no file part
    ],
    ("GET", "/api/organizations"): [("/api/organizations?x=1&x=2", 200, "")],  # no parameters
    ("GET", "/api/analyses/theft/trend"): [  # no theft resource in this fixture
        ("/api/analyses/theft/trend?category=bike", 404, "not_found")
    ],
    ("GET", "/api/organizations/{code}"): [("/api/organizations/000000000X", 404, "not_found")],
    ("GET", "/api/resources/{resource_id}"): [("/api/resources/nope", 404, "not_found")],
    ("GET", "/api/resources/{resource_id}/rows"): [
        ("/api/resources/nope/rows", 404, "not_found"),
        ("/api/resources/freeway/rows?_limit=abc", 400, "validation_error"),
        ("/api/resources/freeway/rows?_version=7", 404, "not_found"),
        ("/api/resources/freeway/rows?nope=1", 400, "query_refused"),
        ("/api/resources/freeway/rows?Volume__like=1", 400, "query_refused"),
        ("/api/resources/freeway/rows?_sort=nope", 400, "query_refused"),
        ("/api/resources/freeway/rows?_fields=nope", 400, "query_refused"),
        ("/api/resources/freeway/rows?_next=garbage", 400, "query_refused"),
    ],
    ("GET", "/api/resources/{resource_id}/aggregate"): [
        ("/api/resources/nope/aggregate", 404, "not_found"),
        ("/api/resources/freeway/aggregate?metric=x", 400, "query_refused"),
    ],
    ("GET", "/api/resources/{resource_id}/download.{fmt}"): [
        ("/api/resources/nope/download.csv", 404, "not_found"),
        ("/api/resources/freeway/download.doc", 400, "validation_error"),
        ("/api/resources/freeway/download.csv?version=abc", 422, "validation_error"),
        ("/api/resources/freeway/download.csv?bom=maybe", 422, "validation_error"),
    ],
    ("GET", "/api/sql"): [
        ("/api/sql", 422, "validation_error"),
        ("/api/sql?sql=", 400, "validation_error"),
        ("/api/sql?sql=SELECT+*+FROM+nope", 400, "query_refused"),
        ("/api/sql?sql=DROP+TABLE+freeway", 400, "query_refused"),
        ("/api/sql?sql=SELECT+*+FROM+read_parquet('/etc/hosts')", 400, "query_refused"),
        ("/api/sql?sql=SELECT+CAST('/srv/x/y'+AS+INT)", 400, "query_refused"),
        ("/api/sql?sql=SELECT+length(repeat('x',+2000000000))", 400, "query_limit"),
    ],
    ("POST", "/api/sql"): [],  # checked with bodies below
    ("GET", "/api/subscriptions"): [("/api/subscriptions", 401, "unauthorized")],
    ("POST", "/api/subscriptions"): [],  # tests/notify/test_webhooks.py sends the bodies
    ("GET", "/api/requests"): [("/api/requests?organization=000000000X", 404, "not_found")],
    ("POST", "/api/requests"): [],  # tests/api/test_community.py sends the bodies
    ("GET", "/api/reports"): [("/api/reports?limit=0", 422, "validation_error")],
    ("GET", "/api/showcases"): [("/api/showcases?dataset=nope", 404, "not_found")],
    ("GET", "/api/showcases/pending"): [("/api/showcases/pending", 401, "unauthorized")],
    ("POST", "/api/showcases"): [],  # tests/api/test_community.py sends the bodies
}


def invalid_query(client: TestClient, method: str, path: str) -> str | None:
    """A query string with an invalid value for the first constrained query parameter the
    route declares in its OpenAPI description (an integer, boolean, pattern or enum)."""
    operation = client.get("/openapi.json").json()["paths"].get(path, {}).get(method.lower(), {})
    for parameter in operation.get("parameters", []):
        if parameter["in"] != "query":
            continue
        schema = parameter.get("schema", {})
        options = [schema, *schema.get("anyOf", [])]
        constrained = {"pattern", "enum", "format"}
        if any(
            o.get("type") in {"integer", "number", "boolean"} or constrained & set(o)
            for o in options
        ):
            return f"{parameter['name']}=@not-valid@"
    return None


def test_every_native_route_is_swept(client: TestClient) -> None:
    """Each route is in the table, or named by a path parameter (the unknown-id sweep), or
    takes a constrained query parameter (the invalid-value sweep)."""
    routes = native_routes(client)
    assert set(BAD_REQUESTS) <= set(routes), "the table names a route the app does not have"
    unswept = [
        route
        for route in routes
        if route not in BAD_REQUESTS and "{" not in route[1] and not invalid_query(client, *route)
    ]
    assert unswept == []


def test_sweep_every_route_with_invalid_query_values(
    client: TestClient, published: Published
) -> None:
    swept = []
    for method, path in native_routes(client):
        query = invalid_query(client, method, path)
        if query is None or method != "GET":
            continue
        url = re.sub(r"\{[^}]+\}", "no-such-thing", path.replace("{fmt}", "csv"))
        response = client.get(f"{url}?{query}")
        # 422 when FastAPI checks the type; 400 for values the service checks (documented
        # enums such as a theft category, SQL the guard refuses)
        assert_envelope(response, 422 if response.status_code == 422 else 400)
        swept.append(url)
    assert len(swept) >= 2


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [case for cases in BAD_REQUESTS.values() for case in cases if case[1] != 200],
)
def test_bad_requests_get_the_envelope(
    client: TestClient, published: Published, url: str, status: int, code: str
) -> None:
    method = "POST" if url.endswith("/versions") else "GET"
    assert assert_envelope(client.request(method, url), status)["code"] == code


def test_sweep_every_route_with_unknown_ids(client: TestClient, published: Published) -> None:
    """Every route whose path names something answers a made-up name with the envelope."""
    swept = []
    for method, path in native_routes(client):
        if "{" not in path:
            continue
        url = re.sub(r"\{[^}]+\}", "no-such-thing", path.replace("{fmt}", "csv"))
        response = client.request(method, url, headers={"Authorization": "Bearer kf_0_made_up"})
        status = 422 if method == "POST" else 404  # the upload checks its form first
        if method == "HEAD":  # the status and headers of a GET, without its body
            assert (response.status_code, response.content) == (404, b"")
            continue
        assert_envelope(response, status)
        swept.append(url)
    assert len(swept) >= 8


@pytest.mark.parametrize(
    ("method", "url", "status", "code"),
    [
        ("GET", "/api/nope", 404, "not_found"),
        ("GET", "/api/datasets/x/y/z", 404, "not_found"),
        ("GET", "/api/resources", 404, "not_found"),
        ("DELETE", "/api/datasets/freeway_traffic_volume", 405, "method_not_allowed"),
        ("PUT", "/api/sql", 405, "method_not_allowed"),
        ("POST", "/api/datasets", 405, "method_not_allowed"),
    ],
)
def test_unknown_paths_and_methods(
    client: TestClient, method: str, url: str, status: int, code: str
) -> None:
    assert assert_envelope(client.request(method, url), status)["code"] == code


@pytest.mark.parametrize(
    ("content", "status", "code"),
    [
        (b"", 422, "validation_error"),
        (b"not json", 422, "validation_error"),
        (b"[1, 2]", 422, "validation_error"),
        (b'{"sql": 5}', 422, "validation_error"),
        (b'{"sql": "SELECT * FROM read_csv(\'/etc/passwd\')"}', 400, "query_refused"),
    ],
)
def test_sql_post_bodies(client: TestClient, content: bytes, status: int, code: str) -> None:
    response = client.post(
        "/api/sql", content=content, headers={"Content-Type": "application/json"}
    )
    assert assert_envelope(response, status)["code"] == code


def test_validation_errors_list_each_problem(client: TestClient) -> None:
    error = assert_envelope(client.get("/api/datasets?limit=abc&offset=x"), 422)
    locations = [p["location"] for p in error["details"]["problems"]]
    assert locations == ["query.limit", "query.offset"]
    assert error["message"].startswith("query.limit:")


# -- unexpected failures: a version whose Parquet files were overwritten with garbage --------
@pytest.fixture
def damaged(tmp_path: Path, make_settings: MakeSettings) -> Iterator[TestClient]:
    settings = make_settings(tmp_path / "data", rate_limit=0)
    published = publish_fixtures(settings, tmp_path / "files")
    for part in (published.settings.data_dir / "tables" / "freeway").rglob("*.parquet"):
        part.write_bytes(b"not parquet " * 100)
    with TestClient(create_app(published.settings), raise_server_exceptions=False) as client:
        yield client


def test_an_unexpected_failure_is_a_500_in_each_surfaces_shape(damaged: TestClient) -> None:
    native = damaged.get("/api/resources/freeway/download.csv")
    error = assert_envelope(native, 500)
    assert error["code"] == "internal_error"
    assert "tables" not in error["message"], "file paths stay in the log"
    spec = damaged.get("/api/v1/dump/datastore/379130000E-000001-001?format=csv")
    assert (spec.status_code, spec.json()["error"]["type"]) == (500, "ER0500")
    assert damaged.get("/api/resources/theft/download.csv").status_code == 200


def test_the_server_still_sees_the_exception_to_log_it(damaged: TestClient) -> None:
    strict = TestClient(damaged.app)  # raises what reaches the server, as uvicorn logs it
    with pytest.raises(Exception, match="parquet"):
        strict.get("/api/resources/freeway/download.csv")


# -- the server's fault: stored files the catalog lists are damaged or gone ------------------
def _broken_client(settings: Settings, files: Path, damage: str) -> TestClient:
    published = publish_fixtures(settings, files)
    versions = published.settings.data_dir / "tables" / "freeway"
    if damage == "corrupt":
        for part in versions.rglob("*.parquet"):
            part.write_bytes(b"not parquet " * 100)
    elif damage == "files_deleted":
        for part in versions.rglob("*.parquet"):
            part.unlink()
    else:  # the whole version folder, manifest included
        for folder in versions.iterdir():
            for path in sorted(folder.rglob("*"), reverse=True):
                path.unlink() if path.is_file() else path.rmdir()
            folder.rmdir()
    return TestClient(create_app(published.settings), raise_server_exceptions=False)


@pytest.mark.parametrize("damage", ["corrupt", "files_deleted", "version_deleted"])
def test_unreadable_stored_data_is_a_500_on_every_surface(
    tmp_path: Path, make_settings: MakeSettings, damage: str
) -> None:
    settings = make_settings(tmp_path / "data", rate_limit=0)
    with _broken_client(settings, tmp_path / "files", damage) as client:
        for path in (
            "/api/resources/freeway/rows?_limit=5",
            "/api/resources/freeway/rows?Volume=3",
            "/api/resources/freeway/aggregate?group_by=GantryID",
            "/api/sql?sql=SELECT+count(*)+FROM+freeway",
        ):
            error = assert_envelope(client.get(path), 500)
            assert error["code"] == "stored_data_error", (path, error)
            assert "tables" not in error["message"], "file paths stay in the log"
        ckan = client.get("/api/3/action/datastore_search?resource_id=freeway&limit=5")
        assert ckan.status_code == 500, ckan.text
        assert ckan.json()["success"] is False
        assert ckan.json()["error"]["__type"] == "Internal Server Error"
        spec = client.get("/api/v1/rest/datastore/379130000E-000001-001?limit=5")
        assert (spec.status_code, spec.json()["error"]["type"]) == (500, "ER0500"), spec.text
        assert client.get("/api/resources/theft/rows?_limit=5").status_code == 200
