"""GET /api/sql/tables: every published table and version SQL can name, with its columns."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import Published


def test_every_listed_table_and_version_can_be_queried(
    client: TestClient, published: Published
) -> None:
    body = client.get("/api/sql/tables").json()
    assert body["count"] == 3
    tables = {t["table"]: t for t in body["tables"]}
    assert tables["freeway"]["versions"] == ["freeway__v1", "freeway__v2"]
    assert tables["freeway"]["current_version"] == 2
    for table in tables.values():
        names = [c["name"] for c in table["columns"]]
        for name in [table["table"], *table["versions"]]:
            answer = client.get("/api/sql", params={"sql": f'SELECT * FROM "{name}" LIMIT 1'})
            assert answer.status_code == 200, answer.text
            assert answer.json()["columns"] == names
    volume = next(c for c in tables["freeway"]["columns"] if c["name"] == "Volume")
    assert volume == {"name": "Volume", "type": "integer", "description": "車流量（輛）"}


def test_tables_page(client: TestClient, published: Published) -> None:
    first = client.get("/api/sql/tables?limit=2").json()
    rest = client.get("/api/sql/tables?limit=2&offset=2").json()
    names = [t["table"] for t in first["tables"] + rest["tables"]]
    assert names == sorted(names) and len(names) == 3


def sql(client: TestClient, query: str) -> list[dict[str, object]]:
    answer = client.get("/api/sql", params={"sql": query})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    return [dict(zip(body["columns"], row, strict=True)) for row in body["rows"]]


def test_information_schema_tables_lists_exactly_the_published_tables(
    client: TestClient, published: Published
) -> None:
    listed = client.get("/api/sql/tables").json()["tables"]
    names = sorted(name for t in listed for name in [t["table"], *t["versions"]])
    rows = sql(client, "SELECT * FROM information_schema.tables ORDER BY table_name")
    assert [r["table_name"] for r in rows] == names
    freeway = {r["table_name"]: r for r in rows if r["dataset_id"] == published.freeway.dataset}
    assert freeway["freeway"] | {"table_comment": None} == {
        "table_catalog": "kaifang", "table_schema": "main", "table_name": "freeway",
        "table_type": "BASE TABLE", "table_comment": None,
        "dataset_id": published.freeway.dataset, "version": 2, "is_current": True,
        "row_count": len(published.rows),
    }  # fmt: skip
    assert (freeway["freeway__v1"]["is_current"], freeway["freeway__v1"]["row_count"]) == (
        False,
        len(published.rows_v1),
    )


def test_information_schema_columns_give_the_types_the_engine_reads(client: TestClient) -> None:
    columns = sql(
        client,
        "SELECT c.table_name, column_name, ordinal_position, data_type, field_type, "
        "column_comment FROM information_schema.columns c JOIN INFORMATION_SCHEMA.TABLES t "
        "USING (table_name) WHERE t.is_current ORDER BY c.table_name, ordinal_position",
    )
    listed = {t["table"]: t["columns"] for t in client.get("/api/sql/tables").json()["tables"]}
    for table, described in listed.items():
        mine = [c for c in columns if c["table_name"] == table]
        assert [c["column_name"] for c in mine] == [c["name"] for c in described]
        assert [c["ordinal_position"] for c in mine] == list(range(1, len(described) + 1))
        assert [c["field_type"] for c in mine] == [c["type"] for c in described]
        assert [c["column_comment"] for c in mine] == [c.get("description") for c in described]
        typeof = ", ".join(f'typeof("{c["column_name"]}")' for c in mine)
        (engine,) = sql(client, f'SELECT {typeof} FROM "{table}" LIMIT 1')
        assert [c["data_type"] for c in mine] == list(engine.values()), table
    by_name = {(c["table_name"], c["column_name"]): c for c in columns}
    volume = by_name["freeway", "Volume"]
    assert (volume["data_type"], volume["column_comment"]) == ("BIGINT", "車流量（輛）")


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ("SELECT * FROM information_schema.schemata", "qualified"),
        ("SELECT * FROM main.information_schema.tables", "qualified"),
        ("SELECT * FROM pg_catalog.pg_tables", "qualified"),
        ("SELECT * FROM duckdb_tables()", "duckdb_tables"),
    ],
)
def test_the_engines_own_catalog_stays_out_of_reach(
    client: TestClient, query: str, fragment: str
) -> None:
    answer = client.get("/api/sql", params={"sql": query})
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == "query_refused" and fragment in error["message"]
    assert "information_schema.tables" in error.get("hint", "") or fragment == "duckdb_tables"
