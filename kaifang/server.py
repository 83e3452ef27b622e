"""Running the app under uvicorn. Worker processes build their settings from the environment,
which ``serve`` fills from its own settings.

With ``--workers N`` each of the N server processes holds its own SQL workers and heavy-request
slots, so the settings that bound the whole server (``query_memory_budget``, ``query_workers``,
``heavy_requests``, ``heavy_queue``, ``heavy_per_client``) are divided between them
(:func:`per_process`): the memory budget holds for all queries together however many
processes serve. Serving copies are shared (built once, under a file lock).
"""

from __future__ import annotations

import gc
import os

import uvicorn
from fastapi import FastAPI

from kaifang.settings import SETTINGS, Settings, env_name, load_settings


def app_from_environ() -> FastAPI:
    """The uvicorn factory: ``uvicorn --factory kaifang.server:app_from_environ``.

    What importing and building the app made (about 190,000 objects that live as long as the
    process) is moved out of the garbage collector's sight (``gc.freeze``): every full
    collection walked them all, 100 ms each at 100,000 datasets, and those pauses were the
    p99 of the catalog's pages (110 ms against a p50 of 14 ms for a page of datasets)."""
    from kaifang.app import create_app

    app = create_app(load_settings(os.environ))
    gc.collect()
    gc.freeze()
    return app


def per_process(settings: Settings, workers: int) -> Settings:
    """``settings`` for one of ``workers`` server processes: the memory budget split evenly,
    and the counts of SQL workers and heavy requests divided,
    rounded up, keeping at least one each."""
    if workers <= 1:
        return settings
    from kaifang.query.limits import parse_size

    budget = parse_size(settings.query_memory_budget, setting="query_memory_budget")

    def share(count: int) -> int:
        return max(1, -(-count // workers))

    return settings.replace(
        query_memory_budget=f"{budget // workers}B",
        query_workers=share(settings.query_workers),
        heavy_requests=share(settings.heavy_requests),
        heavy_queue=-(-settings.heavy_queue // workers),
        heavy_per_client=share(settings.heavy_per_client),
    )


def serve(settings: Settings, *, host: str, port: int, workers: int = 1) -> None:
    settings = per_process(settings, workers)
    for name in SETTINGS:
        os.environ[env_name(name)] = str(getattr(settings, name))
    os.environ[env_name("data_dir")] = str(settings.data_dir.resolve())
    uvicorn.run(
        "kaifang.server:app_from_environ",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        access_log=False,
    )
