"""Nothing a client sends through the APIs reads a file or changes data (the query layer's
own corpus is tested in tests/query; here the same refusals arrive through HTTP)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import Published

HOSTILE = [
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_csv_auto('/etc/hostname')",
    "SELECT * FROM '/etc/passwd'",
    "SELECT * FROM read_text('/etc/passwd')",
    "SELECT * FROM read_parquet('http://127.0.0.1:1/x.parquet')",
    "SELECT * FROM glob('/*')",
    "ATTACH '/tmp/kaifang-evil.db' AS evil",
    "COPY freeway TO '/tmp/kaifang-evil.csv'",
    "COPY (SELECT 1) TO '/tmp/kaifang-evil.csv'",
    "SELECT 1; SELECT 2",
    "SELECT 1; DROP TABLE freeway",
    "INSTALL httpfs",
    "LOAD httpfs",
    "PRAGMA database_list",
    "SET enable_external_access = true",
    "CREATE TABLE t AS SELECT 1",
    "DELETE FROM freeway",
    "EXPORT DATABASE '/tmp/kaifang-evil'",
    "SELECT /* ; */ * FROM read_csv('/etc/passwd') -- ",
    "SELECT getenv('HOME')",
]


@pytest.mark.parametrize("sql", HOSTILE)
def test_native_sql_refuses_and_the_server_still_answers(
    client: TestClient, published: Published, sql: str
) -> None:
    response = client.get("/api/sql", params={"sql": sql})
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["status"] == 400
    assert body["error"]["code"] in {"query_refused", "query_limit"}
    assert body["error"]["message"]
    assert client.get("/api/sql", params={"sql": "SELECT count(*) FROM freeway"}).json()[
        "rows"
    ] == [[2_500]]
    assert not list(Path("/tmp").glob("kaifang-evil*"))


@pytest.mark.parametrize("sql", HOSTILE)
def test_ckan_sql_refuses_with_a_ckan_error(
    client: TestClient, published: Published, sql: str
) -> None:
    response = client.post("/api/3/action/datastore_search_sql", json={"sql": sql})
    body = response.json()
    assert (response.status_code, body["success"]) == (409, False), body
    assert body["error"]["__type"] == "Validation Error"
    assert client.get("/api/3/action/status_show").json()["success"] is True


def test_a_runaway_query_is_stopped_by_a_limit(client: TestClient) -> None:
    sql = "SELECT count(*) FROM freeway a, freeway b, freeway c, freeway d"
    response = client.get("/api/sql", params={"sql": sql})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "query_limit"
    assert client.get("/api/datasets").status_code == 200


def test_filter_values_are_bound_not_spliced(client: TestClient) -> None:
    response = client.get("/api/resources/freeway/rows", params={"GantryID": "x' OR '1'='1"})
    assert response.status_code == 200
    assert response.json()["rows"] == []
    column = client.get('/api/resources/freeway/rows?"id" OR 1=1--=1')
    assert column.status_code == 400
    assert column.json()["error"]["code"] == "query_refused"
