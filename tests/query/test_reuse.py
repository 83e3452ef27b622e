"""What the engine keeps between queries: one cursor per thread with its views, and one
watchdog thread for every query's time limit. Neither may weaken the guard or the limits."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import duckdb
import pytest

from kaifang.errors import QueryError, QueryLimitError
from kaifang.query import QueryEngine
from kaifang.query.cursors import CursorPool
from kaifang.query.watchdog import MIN_PRUNE, Watchdog
from kaifang.settings import Settings
from tests.query.conftest import Tables

SLOW = "SELECT count(*) FROM range(100000000000)"


def _engine(tables: Tables, settings: Settings) -> QueryEngine:
    return QueryEngine(settings, allowed_directories=[Path(tables["people"][0]).parents[2]])


def test_a_name_whose_source_changes_reads_the_new_source(
    tables: Tables, query_settings: Settings
) -> None:
    current = {"people": tables["people"]}
    with _engine(tables, query_settings) as engine:
        assert engine.run_sql("SELECT count(*) FROM people", resolver=current.get).rows == [(12,)]
        current["people"] = tables["people__v1"]  # a new current version
        assert engine.run_sql("SELECT count(*) FROM people", resolver=current.get).rows == [(3,)]


def test_a_view_left_from_an_earlier_query_is_not_readable(
    tables: Tables, query_settings: Settings
) -> None:
    with _engine(tables, query_settings) as engine:
        engine.run_sql("SELECT count(*) FROM cities", resolver=tables.get)
        only_people = {"people": tables["people"]}.get
        with pytest.raises(QueryError, match="cities"):
            engine.run_sql("SELECT count(*) FROM cities", resolver=only_people)
        with pytest.raises(QueryError):
            engine.run_sql(
                "SELECT count(*) FROM people, (SELECT * FROM cities) c", resolver=only_people
            )


def test_many_queries_start_no_thread_each(tables: Tables, query_settings: Settings) -> None:
    with _engine(tables, query_settings) as engine:
        engine.run_sql("SELECT 1 FROM people LIMIT 1", resolver=tables.get)
        before = threading.active_count()
        for i in range(50):
            result = engine.run_sql(
                "SELECT count(*) + ? FROM people", resolver=tables.get, params=[i]
            )
            assert result.rows == [(12 + i,)]
        assert threading.active_count() == before


def test_a_query_after_a_timeout_or_an_error_runs_normally(
    tables: Tables, query_settings: Settings
) -> None:
    with _engine(tables, query_settings.replace(query_timeout=0.3)) as engine:
        with pytest.raises(QueryLimitError):
            engine.run_sql(SLOW, resolver=tables.get)
        with pytest.raises(QueryError, match="nope"):
            engine.run_sql("SELECT nope FROM people", resolver=tables.get)
        for _ in range(3):
            assert engine.run_sql("SELECT count(*) FROM people", resolver=tables.get).rows == [
                (12,)
            ]


def test_the_watchdog_interrupts_only_the_query_it_watches() -> None:
    watchdog = Watchdog()
    cursor = duckdb.connect().cursor()
    try:
        with watchdog.watch(cursor, 0.2):
            assert cursor.execute("SELECT 1").fetchall() == [(1,)]
        assert watchdog.watching == 0
        time.sleep(0.4)  # the finished query's deadline passes while the cursor is idle
        assert cursor.execute("SELECT count(*) FROM range(30000000)").fetchall() == [(30000000,)]
        started = time.monotonic()
        with pytest.raises(duckdb.InterruptException), watchdog.watch(cursor, 0.2):
            cursor.execute(SLOW).fetchall()
        assert time.monotonic() - started < 5
    finally:
        watchdog.close()
        cursor.close()


def test_a_short_deadline_after_long_ones_still_interrupts_and_the_queue_stays_bounded() -> None:
    watchdog = Watchdog()
    cursor = duckdb.connect().cursor()
    try:
        for _ in range(2_000):  # finished queries whose (long) deadlines have not passed
            with watchdog.watch(cursor, 3600):
                pass
        assert len(watchdog._deadlines) <= 2 * 1 + MIN_PRUNE + 1
        started = time.monotonic()
        with pytest.raises(duckdb.InterruptException), watchdog.watch(cursor, 0.2):
            cursor.execute(SLOW).fetchall()
        assert time.monotonic() - started < 5
    finally:
        watchdog.close()
        cursor.close()


def test_each_thread_keeps_one_cursor() -> None:
    pool = CursorPool(duckdb.connect())
    seen: list[int] = []

    def work() -> None:
        first = pool.get()
        assert pool.get() is first
        seen.append(id(first))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert len(set(seen)) == 4
    assert pool.size == 4
    pool.close()
    assert pool.size == 0
