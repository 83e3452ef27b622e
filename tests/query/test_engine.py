"""run_sql and QueryEngine on real Parquet: what a data user can ask, and the limits."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path

import duckdb
import pyarrow.dataset as pa_dataset
import pytest

from kaifang.errors import QueryError, QueryLimitError
from kaifang.query import QueryEngine, run_sql
from kaifang.query.sandbox import sandboxed_connection
from kaifang.settings import Settings
from tests.query.conftest import CITIES, PEOPLE, PEOPLE_V1, Tables, make_tables

Resolver = Callable[[str], list[str] | None]


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT count(*) FROM people", [(12,)]),
        ("SELECT count(*) FROM people__v1", [(3,)]),
        ("SELECT count(*) FROM people__v2", [(12,)]),
        (
            "SELECT p.name, c.population FROM people__v1 AS p JOIN cities c USING (city) "
            "ORDER BY p.id",
            [("Lin", 2_500_000), ("Chen", 1_850_000), ("Wang", 2_500_000)],
        ),
        (
            "SELECT city, count(*) AS n, max(age) FROM people WHERE city IS NOT NULL "
            "GROUP BY city HAVING count(*) > 1 ORDER BY city",
            [("Tainan", 3, 51), ("Taipei", 5, 40)],
        ),
        (
            "SELECT id, rank() OVER (PARTITION BY city ORDER BY id DESC) AS r FROM people__v1 "
            "ORDER BY id",
            [(1, 2), (2, 1), (3, 1)],
        ),
        (
            "WITH old AS (SELECT * FROM people WHERE age >= 50) SELECT name FROM old ORDER BY 1",
            [("Chen",), ("Huang",)],
        ),
        (
            "SELECT city FROM people__v1 UNION SELECT city FROM cities ORDER BY city",
            [("Hsinchu",), ("Kaohsiung",), ("Tainan",), ("Taipei",)],
        ),
        (
            "SELECT city FROM cities EXCEPT SELECT city FROM people__v1 ORDER BY city",
            [("Hsinchu",), ("Kaohsiung",)],
        ),
        ("SELECT x FROM range(3) AS t(x) ORDER BY x", [(0,), (1,), (2,)]),
        (
            "SELECT list_transform([1, 2], x -> x * 10), upper('a'), 'a' || 'b'",
            [([10, 20], "A", "ab")],
        ),
        ("SELECT name FROM people WHERE born = DATE '2005-03-03'", [("陳",)]),
        ("SELECT * FROM 'cities' WHERE population < 500000", [("Hsinchu", 450_000)]),
    ],
)
def test_queries_answer(
    sql: str, expected: list[tuple[object, ...]], resolver: Resolver, query_settings: Settings
) -> None:
    result = run_sql(sql, resolver=resolver, settings=query_settings)
    assert result.rows == expected
    assert result.truncated is False
    assert result.elapsed_ms > 0


def test_names_differing_by_case(tables: Tables, query_settings: Settings) -> None:
    def any_case(name: str) -> list[str] | None:
        return tables.get(name.lower())

    sql = 'SELECT count(*) FROM People JOIN "PEOPLE" AS p2 USING (id)'
    result = run_sql(sql, resolver=any_case, settings=query_settings)
    assert result.rows == [(14,)]  # 10 single ids, and id 10 twice on each side
    mixed = {"Cities": tables["cities"], "cities": tables["people"]}
    with pytest.raises(QueryError, match="differ only by case"):
        run_sql("SELECT * FROM Cities, cities", resolver=mixed.get, settings=query_settings)


def test_columns_are_named(resolver: Resolver, query_settings: Settings) -> None:
    result = run_sql(
        "SELECT id, name AS who FROM people__v1", resolver=resolver, settings=query_settings
    )
    assert result.columns == ["id", "who"]
    assert result.rows == list(zip(PEOPLE_V1["id"], PEOPLE_V1["name"], strict=True))


@pytest.mark.parametrize(
    ("sql", "params", "expected"),
    [
        ("SELECT name FROM people WHERE id = ?", [3], [("Wang",)]),
        (
            "SELECT name FROM people WHERE id = $1 OR id = $2 ORDER BY id",
            [1, 2],
            [("Lin",), ("Chen",)],
        ),
        ("SELECT count(*) FROM people WHERE age > ?", ["40"], [(3,)]),
        ("SELECT count(*) FROM people WHERE name = ?", ["'; DROP TABLE people; --"], [(0,)]),
        ("SELECT count(*) FROM people WHERE born < ?", [dt.date(1980, 1, 1)], [(2,)]),
    ],
)
def test_parameters_are_bound(
    sql: str,
    params: list[object],
    expected: list[tuple[object, ...]],
    resolver: Resolver,
    query_settings: Settings,
) -> None:
    assert run_sql(sql, resolver=resolver, settings=query_settings, params=params).rows == expected


@pytest.mark.parametrize(
    ("sql", "max_rows", "rows", "truncated"),
    [
        ("SELECT id FROM people ORDER BY id", 5, [(1,), (2,), (3,), (4,), (5,)], True),
        ("SELECT id FROM people ORDER BY id LIMIT 2", 5, [(1,), (2,)], False),
        ("SELECT id FROM people ORDER BY id LIMIT 3 OFFSET 1", 2, [(2,), (3,)], True),
        (
            "SELECT id FROM people__v1 UNION ALL SELECT id FROM people__v1 ORDER BY 1",
            4,
            [(1,), (1,), (2,), (2,)],
            True,
        ),
        ("SELECT id FROM people__v1 ORDER BY id", 3, [(1,), (2,), (3,)], False),
        ("SELECT id FROM people__v1", 0, [], True),
    ],
)
def test_row_limit_reports_truncation(
    sql: str,
    max_rows: int,
    rows: list[tuple[int]],
    truncated: bool,
    resolver: Resolver,
    query_settings: Settings,
) -> None:
    result = run_sql(sql, resolver=resolver, settings=query_settings, max_rows=max_rows)
    assert (result.rows, result.truncated) == (rows, truncated)


def test_row_limit_defaults_to_setting(resolver: Resolver, query_settings: Settings) -> None:
    result = run_sql(
        "SELECT * FROM range(100)",
        resolver=resolver,
        settings=query_settings.replace(query_max_rows=7),
    )
    assert (len(result.rows), result.truncated) == (7, True)


@pytest.mark.parametrize(
    ("sql", "fragments"),
    [
        ("SELECT nope FROM people", ["nope", "not found"]),
        ("SELECT * FROM people WHERE age > 'old'", ["old"]),
        ("SELECT * FROM missing", ["'missing' is not a published resource"]),
        ("SELEC 1", ["could not parse"]),
    ],
)
def test_errors_are_clean(
    sql: str, fragments: list[str], resolver: Resolver, tables: Tables, query_settings: Settings
) -> None:
    with pytest.raises(QueryError) as caught:
        run_sql(sql, resolver=resolver, settings=query_settings)
    text = str(caught.value)
    assert all(fragment in text for fragment in fragments), text
    assert "Traceback" not in text and "LINE 1" not in text
    assert not any(path in text for paths in tables.values() for path in paths)
    assert caught.value.hint


def test_time_limit_stops_the_query(resolver: Resolver, query_settings: Settings) -> None:
    settings = query_settings.replace(query_timeout=0.5)
    with pytest.raises(QueryLimitError) as caught:
        run_sql(
            "SELECT count(*) FROM range(1000000) a, range(1000000) b",
            resolver=resolver,
            settings=settings,
        )
    assert "stopped after 0.5 s" in caught.value.message
    assert "WHERE" in (caught.value.hint or "")


def test_memory_limit_stops_the_query(resolver: Resolver, query_settings: Settings) -> None:
    settings = query_settings.replace(query_memory_limit="64MB", query_timeout=10.0)
    with pytest.raises(QueryLimitError) as caught:
        run_sql("SELECT list(x) FROM range(30000000) t(x)", resolver=resolver, settings=settings)
    assert caught.value.message == "stopped: the query needed more than its memory limit of 64MB"
    assert caught.value.details == {"limit": "memory"}


def test_engine_is_shared_across_threads(tables: Tables, query_settings: Settings) -> None:
    root = Path(tables["people"][0]).parents[2]
    answers: dict[int, object] = {}
    with QueryEngine(query_settings, allowed_directories=[root]) as engine:

        def ask(index: int) -> None:
            try:
                result = engine.run_sql(
                    "SELECT count(*) + ? FROM people", resolver=tables.get, params=[index]
                )
                answers[index] = result.rows[0][0]
            except QueryError as error:  # a slow query in another thread must not disturb
                answers[index] = error

        slow = threading.Thread(
            target=lambda: answers.setdefault(-1, _expect_limit(engine, tables))
        )
        slow.start()
        workers = [threading.Thread(target=ask, args=(i,)) for i in range(8)]
        for worker in workers:
            worker.start()
        for worker in [*workers, slow]:
            worker.join(timeout=30)
    assert {i: answers[i] for i in range(8)} == {i: 12 + i for i in range(8)}
    assert answers[-1] is True


def _expect_limit(engine: QueryEngine, tables: Tables) -> bool:
    try:
        engine.run_sql("SELECT count(*) FROM range(100000000000)", resolver=tables.get)
    except QueryLimitError:
        return True
    return False


def test_server_engine_reads_the_tables_directory(query_settings: Settings) -> None:
    tables = make_tables(Path(query_settings.tables_url))
    outside = make_tables(query_settings.data_dir.parent / "elsewhere")
    with QueryEngine.for_storage(query_settings) as engine:
        assert engine.run_sql("SELECT count(*) FROM cities", resolver=tables.get).rows == [(4,)]
        with pytest.raises(QueryError, match="outside the published data"):
            engine.run_sql("SELECT count(*) FROM cities", resolver=outside.get)


def test_pyarrow_dataset_source(tables: Tables, query_settings: Settings) -> None:
    dataset = pa_dataset.dataset(tables["cities"])
    with QueryEngine(query_settings) as engine:
        result = engine.run_sql(
            "SELECT city FROM cities WHERE population > 2000000 ORDER BY city",
            resolver={"cities": dataset}.get,
        )
    expected = sorted(
        c for c, n in zip(CITIES["city"], CITIES["population"], strict=True) if n > 2_000_000
    )
    assert result.rows == [(city,) for city in expected]


def test_engine_cannot_read_outside_its_directories(
    tables: Tables, query_settings: Settings
) -> None:
    with QueryEngine(query_settings, allowed_directories=[query_settings.data_dir]) as engine:
        with pytest.raises(QueryError, match="outside the published data"):
            engine.run_sql("SELECT * FROM people", resolver=tables.get)


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT * FROM read_csv({path})",
        "SELECT * FROM read_text({path})",
        "SELECT * FROM sniff_csv({path})",
        "COPY (SELECT 1) TO {path}",
        "SET enable_external_access = true",
        "SET lock_configuration = false",
        "INSTALL httpfs",
        "ATTACH {path} AS other",
    ],
)
def test_sandbox_holds_even_without_the_guard(
    statement: str, tmp_path: Path, tables: Tables, query_settings: Settings
) -> None:
    """Defence in depth: the DuckDB configuration alone refuses file access and changes."""
    secret = tmp_path / "secret.csv"
    secret.write_text("token\nhunter2\n")
    con = sandboxed_connection(query_settings, allowed_paths=tables["people"])
    try:
        with pytest.raises(duckdb.Error):
            con.execute(statement.format(path=f"'{secret}'")).fetchall()
        assert con.execute(
            "SELECT count(*) FROM read_parquet(?)", [tables["people"]]
        ).fetchall() == [(len(PEOPLE["id"]),)]
    finally:
        con.close()
