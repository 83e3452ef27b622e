"""GET /api/resources/{id}/aggregate and GET|POST /api/sql, against plain Python."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import FREEWAY_V1_ROWS, Published
from tests.api.data import FreewayRow


def python_aggregate(rows: list[FreewayRow]) -> dict[tuple[str, int], dict[str, Any]]:
    groups: dict[tuple[str, int], list[FreewayRow]] = defaultdict(list)
    for r in rows:
        groups[(r.gantry, r.vehicle_type)].append(r)
    out = {}
    for key, members in groups.items():
        speeds = [m.speed for m in members if m.speed is not None]
        out[key] = {
            "count": len(members),
            "sum_Volume": sum(m.volume for m in members),
            "avg_Speed": sum(speeds) / len(speeds) if speeds else None,
            "min_Volume": min(m.volume for m in members),
            "max_Volume": max(m.volume for m in members),
        }
    return out


@pytest.mark.parametrize(
    ("filters", "predicate"),
    [
        ("", lambda r: True),
        ("&Direction=N", lambda r: r.direction == "N"),
        (
            "&Volume__gte=100&VehicleType__in=31,32",
            lambda r: r.volume >= 100 and r.vehicle_type in {31, 32},
        ),
    ],
)
def test_group_by_with_every_metric(
    client: TestClient, published: Published, filters: str, predicate: Any
) -> None:
    response = client.get(
        "/api/resources/freeway/aggregate?group_by=GantryID,VehicleType"
        "&metric=count,sum:Volume,avg:Speed,min:Volume,max:Volume" + filters
    )
    assert response.status_code == 200, response.text
    rows = response.json()["rows"]
    expected = python_aggregate([r for r in published.rows if predicate(r)])
    got = {(r["GantryID"], r["VehicleType"]): r for r in rows}
    assert set(got) == set(expected)
    for key, want in expected.items():
        row = got[key]
        assert (row["count"], row["sum_Volume"], row["min_Volume"], row["max_Volume"]) == (
            want["count"],
            want["sum_Volume"],
            want["min_Volume"],
            want["max_Volume"],
        )
        assert row["avg_Speed"] == pytest.approx(want["avg_Speed"])
    assert [(r["GantryID"], r["VehicleType"]) for r in rows] == sorted(expected)


def test_aggregate_without_group_by_counts_the_version(client: TestClient) -> None:
    now = client.get("/api/resources/freeway/aggregate").json()
    old = client.get("/api/resources/freeway/aggregate?_version=1&metric=count").json()
    assert (now["rows"], now["version"]) == ([{"count": 2_500}], 2)
    assert (old["rows"], old["version"]) == ([{"count": FREEWAY_V1_ROWS}], 1)
    scanned = client.get("/api/sql", params={"sql": "SELECT count(*) FROM freeway__v1"})
    assert scanned.json()["rows"] == [[FREEWAY_V1_ROWS]]  # the manifest's count is the truth


@pytest.mark.parametrize(
    "query",
    [
        "metric=stddev:Volume",
        "metric=p100:Volume",
        "group_by=nope",
        "group_by=date_trunc:fortnight:TimeInterval",
        "metric=sum:nope",
        "metric=sum",
        "metric=count&_sort=nope",
    ],
)
def test_bad_aggregates_are_refused(client: TestClient, query: str) -> None:
    response = client.get(f"/api/resources/freeway/aggregate?{query}")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "query_refused"


SQL = 'SELECT "Direction", count(*) AS n, sum("Volume") AS v FROM freeway GROUP BY 1 ORDER BY 1'


def expected_sql_rows(rows: list[FreewayRow]) -> list[list[Any]]:
    out = []
    for direction in ("N", "S"):
        chosen = [r for r in rows if r.direction == direction]
        out.append([direction, len(chosen), sum(r.volume for r in chosen)])
    return out


def test_sql_get_and_post_agree_with_python(client: TestClient, published: Published) -> None:
    got = client.get("/api/sql", params={"sql": SQL})
    posted = client.post("/api/sql", json={"sql": SQL})
    assert got.status_code == posted.status_code == 200, got.text
    assert got.json()["columns"] == ["Direction", "n", "v"]
    assert got.json()["rows"] == posted.json()["rows"] == expected_sql_rows(published.rows)


def test_sql_pins_a_version_with_the_double_underscore_form(
    client: TestClient, published: Published
) -> None:
    pinned = SQL.replace("FROM freeway", "FROM freeway__v1")
    body = client.get("/api/sql", params={"sql": pinned}).json()
    assert body["rows"] == expected_sql_rows(published.rows_v1)


def test_sql_joins_resources_by_identifier_or_id(client: TestClient, published: Published) -> None:
    sql = f'SELECT count(*) FROM freeway f JOIN "{published.school.resource}" s ON f.id = s.id'
    body = client.get("/api/sql", params={"sql": sql}).json()
    assert body["rows"] == [[30]]


@pytest.mark.parametrize("body", [{}, {"sql": ""}, {"sql": "   "}])
def test_empty_sql_is_a_validation_error(client: TestClient, body: dict[str, str]) -> None:
    response = client.post("/api/sql", json=body)
    assert response.status_code in {400, 422}
    assert response.json()["error"]["code"] == "validation_error"


def test_sql_values_are_json_numbers_or_null(client: TestClient) -> None:
    """Decimals are numbers; NaN and infinity have no JSON form, so they are null."""
    sql = "SELECT 1.25::DECIMAL(5, 2) AS d, 'nan'::DOUBLE AS n, 'inf'::DOUBLE AS i, 2.5 AS f"
    response = client.get("/api/sql", params={"sql": sql})
    assert response.status_code == 200, response.text
    assert response.json()["rows"] == [[1.25, None, None, 2.5]]
