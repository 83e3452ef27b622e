"""GET /api/resources/{id}/rows: every filter operator, sorting, fields, limits, keyset paging
and pinned versions — each compared with the same question answered in plain Python."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kaifang.service.data import rows_page
from kaifang.service.runner import QueryRunner
from tests.api.conftest import FREEWAY_V1_ROWS, Published
from tests.api.data import FreewayRow

ROWS = "/api/resources/freeway/rows"
Predicate = Callable[[FreewayRow], bool]


def fetch_all(client: TestClient, query: str, limit: int = 10_000) -> list[dict[str, Any]]:
    """Every row of a query, following ``next`` page after page."""
    rows: list[dict[str, Any]] = []
    url = f"{ROWS}?{query}&_limit={limit}"
    cursor: str | None = None
    for _ in range(1_000):
        response = client.get(url + (f"&_next={cursor}" if cursor else ""))
        assert response.status_code == 200, response.text
        body = response.json()
        rows.extend(body["rows"])
        cursor = body["next"]
        if cursor is None:
            return rows
    raise AssertionError("paging did not end")


@pytest.mark.parametrize(
    ("query", "predicate"),
    [
        ("VehicleType=31", lambda r: r.vehicle_type == 31),
        ("GantryID=03F0150S", lambda r: r.gantry == "03F0150S"),
        ("Volume__gt=250", lambda r: r.volume > 250),
        ("Volume__gte=250", lambda r: r.volume >= 250),
        ("Volume__lt=20", lambda r: r.volume < 20),
        ("Volume__lte=20", lambda r: r.volume <= 20),
        ("Direction__ne=N", lambda r: r.direction != "N"),
        ("VehicleType__in=31,5", lambda r: r.vehicle_type in {31, 5}),
        ("GantryID__in=01F0005N,05F0001S", lambda r: r.gantry in {"01F0005N", "05F0001S"}),
        ("GantryID__contains=F00", lambda r: "F00" in r.gantry),
        ("GantryID__startswith=03", lambda r: r.gantry.startswith("03")),
        ("Speed__isnull=true", lambda r: r.speed is None),
        ("Speed__isnull=false", lambda r: r.speed is not None),
        ("Speed__gt=100.5", lambda r: r.speed is not None and r.speed > 100.5),
        (
            "TimeInterval__gte=2024-01-01T10:00:00&TimeInterval__lt=2024-01-01T11:00:00",
            lambda r: r.time.hour == 10 and r.time.day == 1,
        ),
        (
            "Direction=S&VehicleType__in=41,42&Volume__gte=100",
            lambda r: r.direction == "S" and r.vehicle_type in {41, 42} and r.volume >= 100,
        ),
    ],
)
def test_filters_match_python(
    client: TestClient, published: Published, query: str, predicate: Predicate
) -> None:
    got = fetch_all(client, query)
    expected = {r.id for r in published.rows if predicate(r)}
    assert expected, "the fixture should have matching rows"
    assert sorted(row["id"] for row in got) == sorted(expected)


@pytest.mark.parametrize(
    ("query", "limit"),
    [
        ("VehicleType=31", 7),  # many pages: counted once, the same on every page
        ("VehicleType=31", 10_000),  # one page holds them all: counted from the page
        ("VehicleType=31&Volume__gt=400", 10_000),
        ("VehicleType=31&_offset=3", 10_000),  # an offset page cannot count itself
    ],
)
def test_the_filtered_total_is_the_same_on_every_page(
    client: TestClient, published: Published, query: str, limit: int
) -> None:
    matching = [r for r in published.rows if r.vehicle_type == 31]
    if "Volume__gt" in query:
        matching = [r for r in matching if r.volume > 400]
    url, cursor, totals = f"{ROWS}?{query}&_limit={limit}", None, set()
    for _ in range(100):
        body = client.get(url + (f"&_next={cursor}" if cursor else "")).json()
        totals.add(body["total"])
        cursor = body["next"]
        if cursor is None:
            break
    assert totals == {len(matching)}


@pytest.mark.parametrize("count_within", [0, 40, 10_000])
def test_a_first_page_counts_its_matches_in_its_own_query_up_to_a_bound(
    client: TestClient, published: Published, count_within: int
) -> None:
    """Up to ``count_within`` matches, a first page's own query counts them; past it the
    page is asked again and counted apart, and then so is every filter of that shape (the
    same columns and operators) until one counts fewer. Totals and rows are the same."""
    service = client.app.state.service  # type: ignore[attr-defined]
    ref = service.refs.get("freeway")
    runner = QueryRunner(service.page_engine, service.resolver, service.store)  # no counts yet
    questions: list[tuple[dict[str, str], Predicate]] = [
        ({"VehicleType": "31"}, lambda r: r.vehicle_type == 31),  # about 500: past 40
        ({"VehicleType": "5"}, lambda r: r.vehicle_type == 5),  # same shape: counted apart
        (
            {"GantryID": "03F0150S", "Volume__gt": "400"},
            lambda r: r.gantry == "03F0150S" and r.volume > 400,
        ),
        ({"VehicleType": "31", "_offset": "5"}, lambda r: r.vehicle_type == 31),
        ({"VehicleType": "31", "_offset": "9999"}, lambda r: r.vehicle_type == 31),
        ({"Volume__gt": "600"}, lambda r: r.volume > 600),  # none
    ]
    for filters, predicate in questions:
        params = {**filters, "_sort": "id", "_limit": "10"}
        answer = rows_page(runner, ref, params, cursor_key=b"k" * 32, count_within=count_within)
        matching = sorted(r.id for r in published.rows if predicate(r))
        skip = int(filters.get("_offset", 0))
        assert answer.total == len(matching), filters
        assert [row[0] for row in answer.rows] == matching[skip : skip + 10], filters
        assert (answer.next is None) == (len(matching) <= skip + 10), filters


def test_page_shape_and_the_filtered_total(client: TestClient, published: Published) -> None:
    body = client.get(f"{ROWS}?VehicleType=31").json()
    assert set(body) >= {"rows", "next", "total", "total_exact"}
    assert len(body["rows"]) == 100  # the default _limit
    assert body["total"] == sum(1 for r in published.rows if r.vehicle_type == 31)
    assert body["total_exact"] is True
    assert client.get(ROWS).json()["total"] == 2_500  # no filter: the manifest's count
    assert body["version"] == 2
    assert set(body["rows"][0]) == {
        "id", "TimeInterval", "GantryID", "Direction", "VehicleType", "Volume", "Speed",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("sort", "key", "reverse"),
    [
        ("_sort=Volume", lambda r: r.volume, False),
        ("_sort_desc=Volume", lambda r: r.volume, True),
        ("_sort=GantryID", lambda r: r.gantry, False),
        ("_sort_desc=TimeInterval", lambda r: r.time.isoformat(), True),
    ],
)
def test_deep_keyset_paging_equals_python(
    client: TestClient, published: Published, sort: str, key: Callable[[Any], Any], reverse: bool
) -> None:
    got = fetch_all(client, sort, limit=97)  # 26 pages
    assert len(got) == 2_500
    assert len({row["id"] for row in got}) == 2_500, "a row appeared on two pages"
    expected = sorted((key(r) for r in published.rows), reverse=reverse)
    column = sort.split("=")[1]
    values = [row[column] for row in got]
    if column == "TimeInterval":
        values = [v.replace(" ", "T") for v in values]
    assert values == expected


def test_paging_on_a_unique_sort_gives_the_exact_order(
    client: TestClient, published: Published
) -> None:
    got = fetch_all(client, "_sort_desc=id&Volume__gte=100", limit=50)
    assert [row["id"] for row in got] == sorted(
        (r.id for r in published.rows if r.volume >= 100), reverse=True
    )


def test_fields_picks_columns_in_order(client: TestClient) -> None:
    body = client.get(f"{ROWS}?_fields=Volume,id&_limit=3&_sort=id").json()
    assert body["rows"] == [{"Volume": body["rows"][i]["Volume"], "id": i + 1} for i in range(3)]
    assert [list(row) for row in body["rows"]] == [["Volume", "id"]] * 3


@pytest.mark.parametrize(("limit", "status"), [(1, 200), (10_000, 200), (10_001, 400), (0, 400)])
def test_limit_bounds(client: TestClient, limit: int, status: int) -> None:
    response = client.get(f"{ROWS}?_limit={limit}")
    assert response.status_code == status, response.text
    if status == 200:
        assert len(response.json()["rows"]) == min(limit, 2_500)
    else:
        assert response.json()["error"]["code"] == "validation_error"
        assert "10000" in response.json()["error"]["message"]


def test_an_older_version(client: TestClient, published: Published) -> None:
    got = fetch_all(client, "_version=1&_sort=id")
    assert [row["id"] for row in got] == [r.id for r in published.rows_v1]
    body = client.get(f"{ROWS}?_version=1").json()
    assert (body["total"], body["version"]) == (FREEWAY_V1_ROWS, 1)


def test_a_cursor_cannot_change_the_sort(client: TestClient) -> None:
    cursor = client.get(f"{ROWS}?_sort=Volume&_limit=5").json()["next"]
    response = client.get(f"{ROWS}?_sort_desc=Volume&_limit=5&_next={cursor}")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "query_refused"
