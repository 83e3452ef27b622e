"""GET /api/sql/tables: every published table and version SQL can name, with its columns."""

from __future__ import annotations

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
