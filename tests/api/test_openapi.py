"""The served ``/openapi.json``: a valid OpenAPI document, and a bounded schemathesis run of
every operation in it with every check — generated requests, then the same requests on the
real datasets and resources of a small published fixture (and an editor's token for the
upload), so that the success bodies are checked too, not only the 404s."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis
import uvicorn
from fastapi.testclient import TestClient
from openapi_spec_validator import validate
from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from kaifang.api.capacity import is_heavy
from kaifang.api.compat import ckan
from kaifang.app import create_app
from kaifang.catalog import create_token, create_user, open_catalog
from tests.api.conftest import free_port, publish_fixtures, wait_until_up
from tests.api.data import ORG
from tests.catalogs import Catalogs

EXAMPLES_PER_OPERATION = 4


@dataclass(frozen=True)
class Fuzzed:
    client: TestClient
    base_url: str  # the same app under uvicorn, for schemathesis's requests
    real: dict[str, str]  # path parameter -> a value that names something published
    token: str


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory, catalogs: Catalogs) -> Iterator[Fuzzed]:
    """An app of its own (the upload operation publishes what the fuzzer sends)."""
    root = tmp_path_factory.mktemp("openapi")
    published = publish_fixtures(catalogs.settings(root / "data", rate_limit=0), root / "files")
    with open_catalog(published.settings) as catalog:
        create_user(catalog, "fuzzer", org=ORG, role="editor")
        token = create_token(catalog, "fuzzer").token
    real = {
        "dataset_id": published.freeway.dataset,
        "dataset": published.freeway.dataset,
        "identifier": published.freeway.dataset_identifier,
        "resource_id": published.freeway.resource,
        "resource_name": published.freeway.resource,
        "resourceID": published.freeway.resource_identifier,
        "code": ORG,
        "fmt": "csv",
        "categoryCode": "H00",
        "tagName": "traffic",
    }
    app = create_app(published.settings)
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_level="critical")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{server.config.port}"
    try:
        wait_until_up(base_url + "/openapi.json")
        with TestClient(app, raise_server_exceptions=False) as client:
            yield Fuzzed(client, base_url, real, token)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def api_schema(fuzzed: Fuzzed) -> Any:
    """The schema as the server serves it."""
    return schemathesis.openapi.from_url(fuzzed.base_url + "/openapi.json")


def test_the_schema_is_valid_openapi(fuzzed: Fuzzed) -> None:
    document = fuzzed.client.get("/openapi.json").json()
    validate(document)
    assert len(document["paths"]) >= 30


def test_every_native_operation_documents_its_errors_and_body(fuzzed: Fuzzed) -> None:
    """Each native operation declares the error envelope for the statuses every route can
    answer (bad parameter types, the rate limit, the server's own failures), and a named
    schema for its success body unless that body is a file."""
    document = fuzzed.client.get("/openapi.json").json()
    undescribed = []
    for path, operations in document["paths"].items():
        if path.startswith(("/api/v1/", "/api/3/action/")):  # the spec's and CKAN's own
            continue
        for method, operation in operations.items():
            responses = operation["responses"]
            rate_limited = path.startswith("/api/")  # the rate limit covers /api only
            for status in ("422", "500", *(("429",) if rate_limited else ())):
                schema = responses[status]["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorEnvelope"}, (path, status)
            success = next(s for s in responses if s.startswith("2"))
            body = responses[success].get("content", {})
            if "application/json" not in body:  # a file: downloads, CSV, the Atom feeds
                continue
            schema = body["application/json"]["schema"]
            if "$ref" not in schema and schema.get("type") != "object":
                undescribed.append(f"{method.upper()} {path}")
    assert undescribed == []


def expected_errors(path: str, method: str, operation: dict[str, Any]) -> set[str]:
    """The error statuses an operation can answer, from what stands in front of it and what
    it takes: a path parameter may name nothing (404), a body may be too large (413), a
    heavy request may find the server at capacity (503), a token may be missing (401) or
    lack the role (403), a declared parameter or body may not match its type (422); every /api
    route is rate limited (429)."""
    wanted = {"500"}
    if operation.get("parameters") or operation.get("requestBody"):
        wanted.add("422")
    if path.startswith("/api/"):
        wanted.add("429")
    if "{" in path:
        wanted.add("404")
    if method in ("post", "put", "patch"):
        wanted.add("413")
    if is_heavy(re.sub(r"\{[^}]+\}", "x", path)):
        wanted.add("503")
    if operation.get("security"):
        wanted |= {"401", "403"}
    return wanted


def test_every_operation_documents_its_error_statuses(fuzzed: Fuzzed) -> None:
    """Every operation, native, national spec or catalog export, names each error status it
    can answer in /openapi.json, each with a body schema."""
    document = fuzzed.client.get("/openapi.json").json()
    missing = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            gaps = sorted(expected_errors(path, method, operation) - set(responses))
            if gaps:
                missing.append(f"{method.upper()} {path}: {', '.join(gaps)}")
            for status, response in responses.items():
                if status.startswith(("4", "5")):
                    assert response["content"]["application/json"]["schema"], (path, status)
    assert missing == []


CKAN_ACTIONS_WITH_PARAMETERS = (
    "package_show",
    "organization_show",
    "resource_show",
    "datastore_search",
    "datastore_search_sql",
)
UPLOAD = "POST /api/datasets/{dataset_id}/resources/{resource_name}/versions"
# Checks that cannot hold for an operation, and why. Every other check runs on every call.
EXCLUDED: dict[str, list[Any]] = {
    # a schema-valid string is not yet valid SQL, nor a generated file a table, nor any two
    # instants a window the freeway analyses answer (at most 31 days): 400 is the answer
    "GET /api/sql": [positive_data_acceptance],
    "POST /api/sql": [positive_data_acceptance],
    # a schema-valid URL is not yet a public address, nor a value an existing dataset
    "POST /api/subscriptions": [positive_data_acceptance],
    # a schema-valid string is not yet a title, an http(s) link or an e-mail, and a wrong
    # value needs its row and column: the community's rules answer 400 naming the field
    "POST /api/requests": [positive_data_acceptance],
    "POST /api/datasets/{dataset_id}/reports": [positive_data_acceptance],
    "POST /api/showcases": [positive_data_acceptance],
    UPLOAD: [
        positive_data_acceptance,
        # multipart carries only strings and files: a "null" or a number arrives as text
        negative_data_rejection,
    ],
    # CKAN's parameters are its own (query or JSON body, as CKAN takes them), so a request
    # without them is schema-valid, and a show or datastore action answers it 409, as CKAN does
    **{
        f"{method} /api/3/action/{name}": [positive_data_acceptance]
        for name in CKAN_ACTIONS_WITH_PARAMETERS
        for method in ("GET", "POST")
    },
    **{
        f"GET /api/analyses/freeway/{name}": [positive_data_acceptance]
        for name in ("volume", "travel", "od", "trip-length")
    },
    # CKAN: a schema-valid string is not yet a filter query (fq), a JSON object of the
    # resource's columns (filters), nor SQL: CKAN answers 400 or 409 Validation Error
    **{
        f"{method} /api/3/action/{name}": [positive_data_acceptance]
        for name in ("package_search", "datastore_search", "datastore_search_sql")
        for method in ("GET", "POST")
    },
}


def fuzz(operation: Any, mode: GenerationMode, fuzzed: Fuzzed) -> None:
    """A fixed number of requests to ``operation``, each generated one also aimed at things
    that exist, every check on every response."""
    headers = {"Authorization": f"Bearer {fuzzed.token}"}
    excluded = EXCLUDED.get(operation.label, [])

    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis.settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
        suppress_health_check=list(hypothesis.HealthCheck),
    )
    def run(case: Any) -> None:
        case.call_and_validate(base_url=fuzzed.base_url, headers=headers, excluded_checks=excluded)
        named = {k for k in case.path_parameters or {} if k in fuzzed.real}
        if named:
            case.path_parameters = {**case.path_parameters, **{k: fuzzed.real[k] for k in named}}
            case.call_and_validate(
                base_url=fuzzed.base_url, headers=headers, excluded_checks=excluded
            )

    run()


def test_every_operation_answers_as_documented(api_schema: Any, fuzzed: Fuzzed) -> None:
    """No 5xx, no undocumented status, no body that breaks its schema, valid requests
    accepted and invalid ones refused: for generated requests (valid and invalid), and for
    the same requests aimed at things that exist. (schemathesis's own pytest integration
    needs the schema at collection time; the app here is built by a fixture.)"""
    failures = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                fuzz(operation, mode, fuzzed)
            except hypothesis.errors.Unsatisfiable:
                assert mode is GenerationMode.NEGATIVE  # nothing to make invalid
            except FailureGroup as group:  # collected: one run shows every operation's failures
                failures.append(f"{operation.label} ({mode.value}): {group}")
    assert len(operations) >= 30
    assert failures == [], "\n\n".join(failures)


def test_every_ckan_action_is_an_operation(fuzzed: Fuzzed) -> None:
    """CKAN's actions are in the document (GET and POST), so the fuzzing run above covers
    them like the native and national spec operations."""
    paths = fuzzed.client.get("/openapi.json").json()["paths"]
    for name, info in ckan.ACTIONS.items():
        operations = paths[f"/api/3/action/{name}"]
        # a write is a POST only (a GET of it is refused), as CKAN's own writes
        assert set(operations) == ({"post"} if info.writes else {"get", "post"}), name
        for operation in operations.values():
            error = operation["responses"]["409"]["content"]["application/json"]["schema"]
            assert error == {"$ref": "#/components/schemas/CkanErrorEnvelope"}
    assert any(path.startswith("/api/v1/") for path in paths)


def test_a_fuzzed_upload_file_name_is_not_a_path(fuzzed: Fuzzed, tmp_path: Path) -> None:
    """Regression from the fuzzing run: a file name of ``..`` or a long one is a 4xx."""
    url = f"/api/datasets/{fuzzed.real['dataset_id']}/resources/fuzz/versions"
    headers = {"Authorization": f"Bearer {fuzzed.token}"}
    for name in ("..", "x" * 300 + ".csv"):
        response = fuzzed.client.post(url, files={"file": (name, b"a\n1\n")}, headers=headers)
        assert 400 <= response.status_code < 500, (name, response.text)
        assert response.json()["error"]["code"]
