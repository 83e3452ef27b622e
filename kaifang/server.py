"""Running the app under uvicorn. Worker processes build their settings from the environment,
which ``serve`` fills from its own settings."""

from __future__ import annotations

import os

import uvicorn
from fastapi import FastAPI

from kaifang.settings import SETTINGS, Settings, env_name, load_settings


def app_from_environ() -> FastAPI:
    """The uvicorn factory: ``uvicorn --factory kaifang.server:app_from_environ``."""
    from kaifang.app import create_app

    return create_app(load_settings(os.environ))


def serve(settings: Settings, *, host: str, port: int, workers: int = 1) -> None:
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
