"""Heavy query work runs at a lower OS priority than pages (``query_nice``): the SQL workers,
and the threads of an engine built with ``background_threads`` together with the threads
DuckDB starts for it. Linux keeps a nice value per thread, read here from /proc."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from kaifang.query.engine import QueryEngine
from kaifang.query.isolated import IsolatedEngine
from kaifang.query.priority import BackgroundThreads
from kaifang.settings import Settings
from tests.query.conftest import Tables

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice")


def _nice(stat: Path) -> int:
    # /proc/<pid>/task/<tid>/stat: field 19 is the nice value; the name (field 2) may hold
    # spaces, so count from the closing parenthesis
    fields = stat.read_text().rsplit(")", 1)[1].split()
    return int(fields[16])


def _thread_nices(pid: int | str = "self") -> list[int]:
    return [_nice(task / "stat") for task in Path(f"/proc/{pid}/task").iterdir()]


def test_background_threads_run_at_lower_priority() -> None:
    own = os.getpriority(os.PRIO_PROCESS, 0)
    threads = BackgroundThreads(1, 5, name="test-low")
    try:
        seen = threads.run(lambda: _nice(Path(f"/proc/self/task/{threading.get_native_id()}/stat")))
    finally:
        threads.close()
    assert seen == min(19, own + 5)
    assert os.getpriority(os.PRIO_PROCESS, 0) == own, "the calling thread kept its priority"


def test_heavy_engine_and_duckdb_threads_are_lowered(
    query_settings: Settings, tables: Tables, resolver: Callable[[str], list[str] | None]
) -> None:
    settings = query_settings.replace(query_nice=7, query_threads=2)
    own = os.getpriority(os.PRIO_PROCESS, 0)
    before = set(os.listdir("/proc/self/task"))
    folder = str(Path(tables["people"][0]).parent.parent.parent)
    engine = QueryEngine(settings, allowed_directories=[folder], background_threads=2)
    try:
        # the pool's thread and the threads DuckDB started for the engine's database
        started = set(os.listdir("/proc/self/task")) - before
        assert len(started) >= 2
        nices = {_nice(Path(f"/proc/self/task/{tid}/stat")) for tid in started}
        # Ours run at +7. Another engine of this test process (a serving copy built in the
        # background, default query_nice 10) may start a thread meanwhile: it is lowered too.
        # No thread the engine started may keep the caller's priority.
        assert min(19, own + 7) in nices and nices <= {min(19, own + 7), min(19, own + 10)}
        result = engine.run_sql("SELECT count(*) FROM people", resolver=resolver)
        assert result.rows == [(12,)]
        # this engine's pool (other engines of the test process have pools of their own)
        heavy = [
            t.native_id
            for t in threading.enumerate()
            if t.name.startswith("kaifang-heavy") and str(t.native_id) in started
        ]
        assert heavy
        assert {_nice(Path(f"/proc/self/task/{tid}/stat")) for tid in heavy} == {min(19, own + 7)}
    finally:
        engine.close()
    assert os.getpriority(os.PRIO_PROCESS, 0) == own, "the calling thread kept its priority"


def test_sql_workers_run_at_lower_priority(query_settings: Settings) -> None:
    settings = query_settings.replace(query_nice=9, query_workers=1)
    own = os.getpriority(os.PRIO_PROCESS, 0)
    before = set(_children())  # another test's process still ending is not this engine's
    engine = IsolatedEngine(settings, allowed_directories=[])
    try:
        assert engine.run_sql("SELECT 1", resolver=lambda name: None).rows == [(1,)]
        (worker,) = [c for c in _children() if c != os.getpid() and c not in before]
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not _thread_nices(worker):
            time.sleep(0.05)
        assert set(_thread_nices(worker)) == {min(19, own + 9)}
    finally:
        engine.close()


def _children() -> list[int]:
    children = Path(f"/proc/self/task/{os.getpid()}/children").read_text().split()
    return [int(pid) for pid in children]
