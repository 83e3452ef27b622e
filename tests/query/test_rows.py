"""build_select / build_aggregate against an independent computation in plain Python."""

from __future__ import annotations

import base64
import functools
import json
import math
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from kaifang.errors import QueryError
from kaifang.query import QueryEngine, build_aggregate, build_select
from kaifang.settings import Settings
from tests.query.conftest import PEOPLE, Tables

COLUMNS = list(PEOPLE)
KEY = b"test cursor key"
ROWS: list[dict[str, Any]] = [
    dict(zip(COLUMNS, values, strict=True)) for values in zip(*PEOPLE.values(), strict=True)
]
Row = dict[str, Any]


def expected_order(rows: list[Row], sort: Sequence[str]) -> list[Row]:
    """Sort like the rows endpoint: the sort columns, then every column; NULLs last."""
    items = [(name.lstrip("-"), name.startswith("-")) for name in sort]
    items += [(name, False) for name in COLUMNS if name not in {c for c, _ in items}]

    def compare(left: Row, right: Row) -> int:
        for column, descending in items:
            a, b = left[column], right[column]
            if a == b:
                continue
            if a is None or b is None:
                return 1 if a is None else -1
            return (1 if a > b else -1) * (-1 if descending else 1)
        return 0

    return sorted(rows, key=functools.cmp_to_key(compare))


@pytest.fixture
def engine(tables: Tables, query_settings: Settings) -> Iterator[QueryEngine]:
    with QueryEngine(
        query_settings, allowed_directories=[Path(tables["people"][0]).parents[2]]
    ) as engine:
        yield engine


@pytest.mark.parametrize(
    ("filters", "keep"),
    [
        ({"city": "Taipei"}, lambda r: r["city"] == "Taipei"),
        ({"city": "臺中"}, lambda r: r["city"] == "臺中"),
        ({"age__gt": "34"}, lambda r: r["age"] is not None and r["age"] > 34),
        ({"age__gte": "34"}, lambda r: r["age"] is not None and r["age"] >= 34),
        ({"score__lt": "3"}, lambda r: r["score"] is not None and r["score"] < 3),
        ({"score__lte": "3"}, lambda r: r["score"] is not None and r["score"] <= 3),
        ({"city__ne": "Taipei"}, lambda r: r["city"] != "Taipei"),
        ({"city__in": "Taipei,Hsinchu"}, lambda r: r["city"] in {"Taipei", "Hsinchu"}),
        ({"id__in": "3,10"}, lambda r: r["id"] in {3, 10}),
        ({"name__contains": "in"}, lambda r: r["name"] is not None and "in" in r["name"]),
        (
            {"city__startswith": "Tai"},
            lambda r: r["city"] is not None and r["city"].startswith("Tai"),
        ),
        ({"age__isnull": "true"}, lambda r: r["age"] is None),
        ({"age__isnull": "false"}, lambda r: r["age"] is not None),
        (
            {"born__gte": "1990-01-01"},
            lambda r: r["born"] is not None and r["born"].isoformat() >= "1990-01-01",
        ),
        (
            [("age__gte", "30"), ("age__lt", "50")],
            lambda r: r["age"] is not None and 30 <= r["age"] < 50,
        ),
        ({}, lambda r: True),
    ],
)
def test_every_filter_operator(
    filters: Any, keep: Callable[[Row], bool], engine: QueryEngine, tables: Tables
) -> None:
    query = build_select("people", columns=COLUMNS, filters=filters, sort=["id"], limit=100)
    sql, params = query
    page = query.page(engine.run_sql(sql, resolver=tables.get, params=params))
    expected = expected_order([row for row in ROWS if keep(row)], ["id"])
    assert page.rows == [tuple(row.values()) for row in expected]
    assert page.next is None
    assert page.columns == COLUMNS


@pytest.mark.parametrize("sort", [[], ["age"], ["-age"], ["city", "-score"], ["-born", "name"]])
@pytest.mark.parametrize("limit", [1, 2, 5])
@pytest.mark.parametrize("fields", [None, ["name"], ["city", "id"]])
def test_keyset_paging_walks_every_row_once(
    sort: list[str], limit: int, fields: list[str] | None, engine: QueryEngine, tables: Tables
) -> None:
    seen: list[tuple[Any, ...]] = []
    after = None
    pages = 0
    while True:
        query = build_select(
            "people",
            columns=COLUMNS,
            sort=sort,
            fields=fields,
            limit=limit,
            after=after,
            cursor_key=KEY,
        )
        if query.after is None:
            assert "OFFSET" not in query.sql
        else:  # only the exact duplicates of the last row are skipped, never whole pages
            assert query.sql.endswith(f"OFFSET {query.after.seen}")
        page = query.page(engine.run_sql(query.sql, resolver=tables.get, params=query.params))
        assert len(page.rows) <= limit
        seen.extend(page.rows)
        pages += 1
        after = page.next
        if after is None:
            break
        assert pages < 100
    chosen = fields or COLUMNS
    expected = [tuple(row[c] for c in chosen) for row in expected_order(ROWS, sort)]
    assert seen == expected
    assert pages == max(1, math.ceil(len(ROWS) / limit))


def test_paging_with_a_filter_and_a_row_key(engine: QueryEngine, tables: Tables) -> None:
    after, seen = None, []
    while True:
        query = build_select(
            "people",
            columns=COLUMNS,
            filters={"city__ne": "Taipei"},
            sort=["-age"],
            key=["id"],
            limit=2,
            after=after,
            cursor_key=KEY,
        )
        page = query.page(engine.run_sql(query.sql, resolver=tables.get, params=query.params))
        seen.extend(page.rows)
        after = page.next
        if after is None:
            break
    assert sorted(seen, key=lambda r: r[0]) == [
        tuple(row.values()) for row in ROWS if row["city"] != "Taipei"
    ]


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"filters": {"colour": "red"}}, "unknown filter column 'colour'"),
        ({"filters": {"age__between": "1"}}, "unknown filter operator 'between'"),
        ({"filters": {"age__isnull": "maybe"}}, "takes true or false"),
        ({"filters": {"age__in": ","}}, "at least one value"),
        ({"fields": ["id", "secret"]}, "unknown field 'secret'"),
        ({"sort": ["-height"]}, "unknown sort column 'height'"),
        ({"sort": ["age", "-age"]}, "twice"),
        ({"limit": 0}, "between 1 and 10000"),
        ({"limit": 10_001}, "between 1 and 10000"),
        ({"after": "not-a-cursor", "cursor_key": KEY}, "cursor is not valid"),
        ({"key": ["nope"]}, "unknown key column 'nope'"),
    ],
)
def test_bad_requests_are_explained(kwargs: dict[str, Any], fragment: str) -> None:
    with pytest.raises(QueryError) as caught:
        build_select("people", columns=COLUMNS, **kwargs)
    assert fragment in caught.value.message
    assert caught.value.hint


def test_unknown_column_lists_the_valid_ones() -> None:
    with pytest.raises(QueryError) as caught:
        build_select("people", columns=COLUMNS, filters={"colour": "red"})
    assert caught.value.hint == "Valid columns: " + ", ".join(COLUMNS) + "."


def test_cursor_belongs_to_its_sort(engine: QueryEngine, tables: Tables) -> None:
    query = build_select("people", columns=COLUMNS, sort=["age"], limit=2, cursor_key=KEY)
    page = query.page(engine.run_sql(query.sql, resolver=tables.get, params=query.params))
    assert page.next is not None
    with pytest.raises(QueryError, match="different sort order"):
        build_select(
            "people", columns=COLUMNS, sort=["-age"], limit=2, after=page.next, cursor_key=KEY
        )


def test_cursors_are_sealed_and_hold_no_row_value(engine: QueryEngine, tables: Tables) -> None:
    """Issue 16 hole 4: the token is encrypted and signed; a changed token, a token under
    another key and an old plain base64 cursor are refused with a clear message."""
    query = build_select("people", columns=COLUMNS, sort=["name"], limit=2, cursor_key=KEY)
    page = query.page(engine.run_sql(query.sql, resolver=tables.get, params=query.params))
    token = page.next
    assert token is not None
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    last = str(page.rows[-1][COLUMNS.index("name")])
    assert last.encode() not in raw and last not in token
    resumed = build_select("people", columns=COLUMNS, sort=["name"], after=token, cursor_key=KEY)
    assert resumed.after is not None
    assert resumed.after.values[0] == page.rows[-1][COLUMNS.index("name")]
    flipped = token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]
    old = base64.urlsafe_b64encode(
        json.dumps({"o": [["name", False]], "v": [last], "s": 1}).encode()
    ).decode()
    for bad, key in [(flipped, KEY), (token, b"another key"), (old, KEY)]:
        with pytest.raises(QueryError, match="changed, or made by an older kaifang") as caught:
            build_select("people", columns=COLUMNS, sort=["name"], after=bad, cursor_key=key)
        assert caught.value.status == 400


def test_values_are_bound_not_formatted() -> None:
    hostile = "x'); DROP TABLE people; --"
    sql, params = build_select("people", columns=COLUMNS, filters={"name": hostile})
    assert hostile not in sql
    assert hostile in params


def _aggregate(
    rows: list[Row], group: Sequence[str], metrics: Sequence[str]
) -> list[tuple[Any, ...]]:
    groups: dict[tuple[Any, ...], list[Row]] = {}
    for row in rows:
        groups.setdefault(tuple(row[c] for c in group), []).append(row)
    out = []
    for key in sorted(groups, key=lambda k: [(v is None, v if v is not None else 0) for v in k]):
        members = groups[key]
        values: list[Any] = list(key)
        for metric in metrics:
            function, _, column = metric.partition(":")
            present = [r[column] for r in members if column and r[column] is not None]
            if function == "count":
                values.append(len(present) if column else len(members))
            elif not present:
                values.append(None)
            elif function == "sum":
                values.append(sum(present))
            elif function == "avg":
                values.append(pytest.approx(sum(present) / len(present)))
            else:
                values.append(min(present) if function == "min" else max(present))
        out.append(tuple(values))
    return out


@pytest.mark.parametrize(
    ("group_by", "metrics", "filters"),
    [
        (["city"], ["count", "sum:age", "avg:score", "min:born", "max:age", "count:age"], {}),
        (["city", "age"], ["count"], {"age__gte": "20"}),
        ([], ["count", "max:score", "min:name"], {"city__ne": "Taipei"}),
        (["name"], ["avg:age"], {"name__isnull": "false"}),
    ],
)
def test_aggregate_matches_python(
    group_by: list[str],
    metrics: list[str],
    filters: dict[str, str],
    engine: QueryEngine,
    tables: Tables,
) -> None:
    sql, params = build_aggregate(
        "people", columns=COLUMNS, group_by=group_by, metrics=metrics, filters=filters
    )
    result = engine.run_sql(sql, resolver=tables.get, params=params)
    keep = ROWS
    if filters:
        query = build_select("people", columns=COLUMNS, filters=filters, limit=100)
        kept = engine.run_sql(query.sql, resolver=tables.get, params=query.params).rows
        keep = [dict(zip(COLUMNS, row, strict=True)) for row in kept]
    assert result.rows == _aggregate(keep, group_by, metrics)
    assert result.columns == [*group_by, *[m.replace(":", "_") for m in metrics]]


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"metrics": ["median:age"]}, "unknown metric 'median:age'"),
        ({"metrics": ["sum"]}, "unknown metric 'sum'"),
        ({"metrics": ["sum:height"]}, "unknown metric column 'height'"),
        ({"group_by": ["colour"]}, "unknown group_by column 'colour'"),
        ({"metrics": []}, "no metric"),
    ],
)
def test_bad_aggregates_are_explained(kwargs: dict[str, Any], fragment: str) -> None:
    with pytest.raises(QueryError) as caught:
        build_aggregate("people", columns=COLUMNS, **kwargs)
    assert fragment in caught.value.message
