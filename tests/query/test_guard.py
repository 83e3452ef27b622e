"""validate_sql: what the guard accepts, what it names as tables, and the allow-lists."""

from __future__ import annotations

import duckdb
import pytest

from kaifang.errors import QueryError
from kaifang.query import PINNED_VERSION, validate_sql
from kaifang.query.functions import (
    AGGREGATE_FUNCTIONS,
    SCALAR_FUNCTIONS,
    TABLE_FUNCTIONS,
    WINDOW_FUNCTIONS,
)

RESOURCES = {"people", "people__v1", "cities", "臺北市人口"}


def known(name: str) -> bool:
    return name in RESOURCES


@pytest.mark.parametrize(
    ("sql", "tables"),
    [
        ("SELECT * FROM people", ("people",)),
        ("SELECT * FROM people__v1 JOIN cities USING (city)", ("people__v1", "cities")),
        ("WITH p AS (SELECT * FROM people) SELECT * FROM p, p AS q", ("people",)),
        ("WITH people AS (SELECT 1 AS x) SELECT * FROM people", ()),
        ("SELECT 1 + 1", ()),
        ("SELECT * FROM range(3)", ()),
        ("(SELECT city FROM people) UNION (SELECT city FROM cities)", ("people", "cities")),
        ("SELECT city FROM people INTERSECT SELECT city FROM cities", ("people", "cities")),
        ("SELECT * FROM people WHERE id IN (SELECT id FROM people__v1)", ("people", "people__v1")),
        ('SELECT * FROM "臺北市人口"', ("臺北市人口",)),
        ("FROM people SELECT id", ("people",)),
        ("SELECT * FROM people;", ("people",)),
        ("((SELECT * FROM people))", ("people",)),
        (
            "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) "
            "SELECT * FROM r",
            (),
        ),
        ("SELECT city, count(*) FILTER (WHERE age > 30) FROM people GROUP BY ALL", ("people",)),
        ("SELECT * FROM people QUALIFY row_number() OVER (PARTITION BY city) = 1", ("people",)),
    ],
)
def test_accepted(sql: str, tables: tuple[str, ...]) -> None:
    validated = validate_sql(sql, known_tables=known)
    assert validated.tables == tables
    assert validated.sql == sql


def test_known_tables_is_asked_only_for_real_tables() -> None:
    asked: list[str] = []

    def record(name: str) -> bool:
        asked.append(name)
        return True

    validate_sql(
        "WITH a AS (SELECT * FROM people) SELECT * FROM a JOIN cities ON true", known_tables=record
    )
    assert sorted(asked) == ["cities", "people"]


@pytest.mark.parametrize(
    ("name", "resource", "version"),
    [
        ("people__v1", "people", "1"),
        ("freeway_m03a__v12", "freeway_m03a", "12"),
        ("a__v1__v2", "a__v1", "2"),
    ],
)
def test_pinned_version_names(name: str, resource: str, version: str) -> None:
    match = PINNED_VERSION.match(name)
    assert match is not None
    assert (match["resource"], match["version"]) == (resource, version)


@pytest.mark.parametrize("name", ["people", "people__v0", "people__vx", "people_v1"])
def test_not_pinned_names(name: str) -> None:
    assert PINNED_VERSION.match(name) is None


def test_limit_is_added_to_what_runs_not_to_what_was_sent() -> None:
    validated = validate_sql("SELECT * FROM people ORDER BY id", known_tables=known)
    assert validated.render(limit=11).endswith("LIMIT 11")
    assert "LIMIT" not in validated.render()
    nested = validate_sql("SELECT * FROM people LIMIT 5 OFFSET 2", known_tables=known)
    assert nested.render(limit=3).startswith("SELECT * FROM (SELECT")


@pytest.mark.parametrize(
    ("sql", "runs"),
    [
        # its own LIMIT already returns no more than the cap: runs as it is
        ("SELECT * FROM people ORDER BY id LIMIT 11", "SELECT * FROM people ORDER BY id LIMIT 11"),
        ("SELECT * FROM people LIMIT 3", "SELECT * FROM people LIMIT 3"),
        # anything else is capped from outside
        ("SELECT * FROM people LIMIT 12", "SELECT * FROM (SELECT * FROM people LIMIT 12) AS"),
        ("SELECT * FROM people LIMIT 10%", "SELECT * FROM (SELECT * FROM people LIMIT 10 PERC"),
        ("SELECT * FROM people LIMIT 5 + 5", "SELECT * FROM (SELECT * FROM people LIMIT 5 + 5)"),
        ("SELECT * FROM people LIMIT -1", "SELECT * FROM (SELECT * FROM people LIMIT -1) AS"),
    ],
)
def test_a_limit_within_the_cap_is_not_wrapped(sql: str, runs: str) -> None:
    rendered = validate_sql(sql, known_tables=known).render(limit=11)
    assert rendered.startswith(runs)
    assert rendered == runs or rendered.endswith("LIMIT 11")


def _duckdb_functions() -> dict[str, set[str]]:
    con = duckdb.connect()
    try:
        rows = con.execute("SELECT function_name, function_type FROM duckdb_functions()").fetchall()
    finally:
        con.close()
    kinds: dict[str, set[str]] = {}
    for name, kind in rows:
        kinds.setdefault(name.lower(), set()).add(kind)
    return kinds


def test_allow_lists_name_real_functions_of_the_right_kind() -> None:
    kinds = _duckdb_functions()
    for name in SCALAR_FUNCTIONS | AGGREGATE_FUNCTIONS:
        assert name in kinds, f"{name} is not a DuckDB function"
        if name not in TABLE_FUNCTIONS:  # unnest() in a SELECT list is special syntax
            assert kinds[name] - {"table", "table_macro"}, f"{name} is only a table function"
    for name in WINDOW_FUNCTIONS - AGGREGATE_FUNCTIONS:
        assert name in kinds, f"{name} is not a DuckDB window function"
    for name in TABLE_FUNCTIONS:
        assert "table" in kinds[name]


@pytest.mark.parametrize(
    "name",
    [
        "read_csv",
        "read_text",
        "read_blob",
        "glob",
        "read_parquet",
        "parquet_scan",
        "getenv",
        "current_setting",
        "duckdb_settings",
        "setseed",
        "nextval",
        "sleep_ms",
        "pg_sleep",
        "write_log",
        "getvariable",
        "json_serialize_plan",
        "json_execute_serialized_sql",
        "query",
        "query_table",
        "python_map_function",
        "sniff_csv",
        "stats",
    ],
)
def test_dangerous_functions_are_not_allowed(name: str) -> None:
    allowed = SCALAR_FUNCTIONS | AGGREGATE_FUNCTIONS | WINDOW_FUNCTIONS | TABLE_FUNCTIONS
    assert name not in allowed


def test_cached_analysis_still_asks_which_tables_are_published() -> None:
    sql = "SELECT count(*) FROM people"
    first = validate_sql(sql, known_tables=known)
    assert validate_sql(sql, known_tables=known).expression is first.expression
    with pytest.raises(QueryError, match="'people' is not a published resource"):
        validate_sql(sql, known_tables=lambda name: False)
    assert first.render(limit=3) == "SELECT COUNT(*) FROM people LIMIT 3"


def test_parenthesized_query_with_modifiers_is_refused() -> None:
    with pytest.raises(QueryError, match="Remove the outer parentheses"):
        validate_sql("(SELECT * FROM people) LIMIT 1", known_tables=known)


def test_every_refusal_names_what_and_what_next() -> None:
    with pytest.raises(QueryError) as caught:
        validate_sql("SELECT * FROM nowhere", known_tables=known)
    assert caught.value.message == "table 'nowhere' is not a published resource"
    assert caught.value.hint is not None and "<id>__v<N>" in caught.value.hint
    assert caught.value.code == "query_refused"
