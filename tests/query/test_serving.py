"""Serving copies: a version's rows in a read-only DuckDB file answer exactly as its Parquet
does; building is atomic and happens once; eviction keeps the budget; a bad copy falls back."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import duckdb
import pytest

from kaifang.errors import StoredDataError
from kaifang.query import QueryEngine, TableSource
from kaifang.query.serving import (
    ServingCopies,
    ServingCopy,
    build_copy,
    copy_path,
    evict,
    serving_root,
)
from kaifang.settings import Settings
from tests.query.conftest import PEOPLE, Tables

QUERIES = [
    "SELECT * FROM people ORDER BY id, name, city, age, score, born",
    "SELECT city, count(*), sum(age), avg(score), min(born) FROM people GROUP BY ALL ORDER BY 1",
    "SELECT * FROM people WHERE age >= 34 AND name IS NOT NULL ORDER BY born DESC, id LIMIT 4",
    "SELECT p.name, c.population FROM people p JOIN cities c USING (city) ORDER BY 1, 2",
    "SELECT typeof(id), typeof(name), typeof(score), typeof(born) FROM people LIMIT 1",
]


def _copies(settings: Settings, tables: Tables) -> dict[str, TableSource]:
    """``people`` (v2, three files) and ``cities`` as serving copies, built now."""
    sources: dict[str, TableSource] = dict(tables)
    for name, rows in (("people", len(PEOPLE["id"])), ("cities", 4)):
        path = build_copy(settings, name, 2, tables[name], rows=rows)
        assert path is not None
        sources[name] = ServingCopy(str(path), rows, tables[name])
    return sources


def _engine(
    settings: Settings, tables: Tables, serving: ServingCopies | None = None
) -> QueryEngine:
    directories = [Path(tables["people"][0]).parents[2], serving_root(settings)]
    return QueryEngine(settings, allowed_directories=directories, serving=serving)


@pytest.mark.parametrize("sql", QUERIES)
def test_a_copy_answers_exactly_as_the_parquet(
    sql: str, tables: Tables, query_settings: Settings
) -> None:
    copies = _copies(query_settings, tables)
    with _engine(query_settings, tables) as engine:
        from_parquet = engine.run_sql(sql, resolver=tables.get)
        from_copy = engine.run_sql(sql, resolver=copies.get)
    assert from_copy.columns == from_parquet.columns
    assert from_copy.rows == from_parquet.rows
    assert [type(v) for v in from_copy.rows[0]] == [type(v) for v in from_parquet.rows[0]]


def test_the_copy_is_attached_read_only(tables: Tables, query_settings: Settings) -> None:
    copies = _copies(query_settings, tables)
    with _engine(query_settings, tables) as engine:
        engine.run_sql("SELECT count(*) FROM people", resolver=copies.get)
        alias = engine._con.execute(  # the engine's own connection, past the guard
            "SELECT database_name FROM duckdb_databases() WHERE NOT internal "
            "AND database_name LIKE 'kaifang_serving_%'"
        ).fetchall()[0][0]
        for write in (
            f"INSERT INTO {alias}.data SELECT * FROM {alias}.data",
            f"DELETE FROM {alias}.data",
            f"DROP TABLE {alias}.data",
            f"CREATE TABLE {alias}.extra (x INTEGER)",
        ):
            with pytest.raises(duckdb.Error, match="read-only"):
                engine._con.execute(write)
        assert engine.run_sql("SELECT count(*) FROM people", resolver=copies.get).rows == [(12,)]


def test_concurrent_builds_write_one_copy(tables: Tables, query_settings: Settings) -> None:
    results: list[Path | None] = []
    barrier = threading.Barrier(6)

    def build() -> None:
        barrier.wait()
        results.append(build_copy(query_settings, "people", 2, tables["people"], rows=12))

    threads = [threading.Thread(target=build) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    final = copy_path(query_settings, "people", 2)
    assert {r for r in results if r is not None} == {final}
    assert sorted(p.name for p in final.parent.iterdir()) == [final.name]  # no temp files left
    count = duckdb.connect(str(final), read_only=True).execute("SELECT count(*) FROM data")
    assert count.fetchall() == [(12,)]


def test_a_failed_build_leaves_nothing(tables: Tables, query_settings: Settings) -> None:
    with pytest.raises(StoredDataError, match="has 12 rows, the version 13"):
        build_copy(query_settings, "people", 2, tables["people"], rows=13)
    final = copy_path(query_settings, "people", 2)
    assert list(final.parent.iterdir()) == []


def test_eviction_deletes_the_least_recently_used_first(query_settings: Settings) -> None:
    settings = query_settings.replace(serving_copy_budget_mb=2)
    paths = [copy_path(settings, f"r{i}", 1) for i in range(3)]
    for age, path in enumerate(reversed(paths)):  # r2 oldest, r0 newest
        path.parent.mkdir(parents=True)
        path.write_bytes(b"x" * 2**20)
        os.utime(path, (1_000_000 + age, 1_000_000 + age))
    assert evict(settings, keep=paths[2]) == [paths[1]]  # r2 is kept although oldest
    assert [p.exists() for p in paths] == [True, False, True]
    assert evict(settings) == []


@pytest.mark.parametrize("damage", ["corrupt", "missing"])
def test_a_corrupt_or_missing_copy_falls_back_to_the_parquet(
    damage: str, tables: Tables, query_settings: Settings
) -> None:
    settings = query_settings.replace(serving_copy_min_rows=1)
    serving = ServingCopies(settings)
    path = copy_path(settings, "people", 2)

    def resolve(name: str) -> TableSource | None:
        files = tables.get(name)
        if name != "people" or files is None:
            return files
        return serving.source("people", 2, files, rows=12)

    assert resolve("people") == tables["people"]  # not built yet: Parquet, build started
    serving.wait()
    assert isinstance(resolve("people"), ServingCopy)
    if damage == "corrupt":
        path.write_bytes(b"not a duckdb file" * 100)
    else:
        path.unlink()
    try:
        with _engine(settings, tables, serving) as engine:
            result = engine.run_sql("SELECT count(*), sum(age) FROM people", resolver=resolve)
            assert result.rows == [(12, 410)]  # read from the Parquet
            assert not path.exists()  # the bad copy is gone...
            assert resolve("people") == tables["people"]  # ...and is being rebuilt
            serving.wait()
            assert isinstance(resolve("people"), ServingCopy)
            assert engine.run_sql("SELECT sum(age) FROM people", resolver=resolve).rows == [(410,)]
    finally:
        serving.close()


@pytest.mark.parametrize(
    ("overrides", "copied"),
    [
        ({"serving_copy_min_rows": 12}, True),
        ({"serving_copy_min_rows": 13}, False),  # too small a version
        ({"serving_copy_min_rows": 1, "serving_copies": False}, False),  # turned off
    ],
)
def test_only_large_enough_versions_get_a_copy_and_only_when_on(
    overrides: dict[str, object], copied: bool, tables: Tables, query_settings: Settings
) -> None:
    settings = query_settings.replace(**overrides)
    serving = ServingCopies(settings)
    try:
        assert serving.source("people", 2, tables["people"], rows=12) == tables["people"]
        serving.wait()
        assert copy_path(settings, "people", 2).exists() is copied
        again = serving.source("people", 2, tables["people"], rows=12)
        assert isinstance(again, ServingCopy) is copied
    finally:
        serving.close()
