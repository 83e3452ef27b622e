"""The spill folder exists, spill failures have their own errors, and no server path shows."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from kaifang.errors import QueryLimitError, SpillError
from kaifang.query import QueryEngine
from kaifang.query.errors import map_duckdb_error
from kaifang.query.sandbox import temp_directory
from kaifang.settings import Settings

SORT_MANY = "SELECT count(*) FROM (SELECT md5(range::VARCHAR) AS m FROM range(1000000) ORDER BY m)"


def test_engine_creates_the_spill_folder(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    with QueryEngine(settings):
        assert temp_directory(settings).is_dir()
    assert temp_directory(settings) == tmp_path / "data" / "tmp" / "query"


def test_a_query_that_spills_runs(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", query_memory_limit="32MB", query_threads=1)
    with QueryEngine(settings) as engine:
        result = engine.run_sql(SORT_MANY, resolver=lambda name: None)
    assert result.rows == [(1_000_000,)]


def test_spilling_past_the_spill_limit_is_a_disk_limit(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path / "data",
        query_memory_limit="32MB",
        query_spill_limit="1MB",
        query_threads=1,
    )
    with QueryEngine(settings) as engine, pytest.raises(QueryLimitError) as caught:
        engine.run_sql(SORT_MANY, resolver=lambda name: None)
    assert caught.value.details["limit"] == "disk"
    assert "spill space of 1MB" in caught.value.message
    assert str(tmp_path) not in str(caught.value)


def test_a_spill_folder_that_cannot_be_written_is_a_spill_error(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    folder = temp_directory(settings)
    failure = duckdb.IOException(
        f'IO Error: Failed to create directory "{folder}": No such file or directory'
    )
    error = map_duckdb_error(failure, settings)
    assert isinstance(error, SpillError)
    assert error.status == 500
    assert str(tmp_path) not in str(error)
    assert "<data_dir>/tmp/query" in (error.hint or "")
