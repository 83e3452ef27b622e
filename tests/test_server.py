"""``kaifang serve --workers N``: the limits that bound the whole server are divided between
its N processes, so that together they hold what the settings say."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from kaifang.query.limits import parse_size
from kaifang.server import app_from_environ, per_process
from kaifang.settings import Settings, load_settings


@pytest.mark.parametrize(
    ("workers", "budget", "sql_workers", "heavy", "queue", "per_client"),
    [
        (1, 2_000_000_000, 2, 4, 64, 8),
        (2, 1_000_000_000, 1, 2, 32, 4),
        (3, 666_666_666, 1, 2, 22, 3),
    ],
)
def test_the_budget_and_slots_are_divided_between_server_processes(
    tmp_path: Path,
    workers: int,
    budget: int,
    sql_workers: int,
    heavy: int,
    queue: int,
    per_client: int,
) -> None:
    settings = load_settings({}, data_dir=tmp_path)
    shared = per_process(settings, workers)
    assert parse_size(shared.query_memory_budget, setting="query_memory_budget") == budget
    assert parse_size(shared.query_memory_budget, setting="") * workers <= 2_000_000_000
    assert (shared.query_workers, shared.heavy_requests) == (sql_workers, heavy)
    assert (shared.heavy_queue, shared.heavy_per_client) == (queue, per_client)


def test_the_server_app_keeps_what_it_was_built_with_out_of_the_collectors_way(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """uvicorn's factory freezes the objects import and start-up made, so that no full
    collection walks them again (they were the catalog pages' 100 ms pauses)."""
    monkeypatch.setenv("KAIFANG_DATA_DIR", str(settings.data_dir))
    gc.unfreeze()
    app = app_from_environ()
    try:
        frozen = gc.get_freeze_count()
        assert frozen > 50_000  # the modules, classes and routes of the app, at least
        young = len(gc.get_objects(generation=2))
        assert young < frozen / 10  # what is left for full collections is small
    finally:
        gc.unfreeze()
        app.state.service.close()  # its catalog connections, not left to the collector
