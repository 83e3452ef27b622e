"""The catalog backend of a test run: SQLite files (the default) or, with ``--catalog=postgres``,
a fresh database on the throwaway PostgreSQL server for every settings object the tests build."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import sqlalchemy

from kaifang.settings import Settings, load_settings

MakeSettings = Callable[..., Settings]


class Catalogs:
    """Where the catalogs of test settings live: the SQLite file in each data directory, or
    with ``--catalog=postgres`` a fresh database on the test server per settings object.

    Fixtures of any scope build their settings with :meth:`settings` (function-scoped tests use
    the ``make_settings`` fixture, which drops its databases when the test ends); databases not
    dropped earlier are dropped when the session ends."""

    def __init__(self, backend: str, server_url: Callable[[], str]) -> None:
        self.backend = backend
        self._server_url = server_url
        self._open: list[str] = []

    @property
    def on_postgres(self) -> bool:
        return self.backend == "postgres"

    def _admin(self) -> sqlalchemy.Engine:
        return sqlalchemy.create_engine(self._server_url(), isolation_level="AUTOCOMMIT")

    def new_database(self) -> str:
        """The URL of a new, empty database on the test server."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        admin = self._admin()
        try:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        finally:
            admin.dispose()
        url = self._server_url().rsplit("/", 1)[0] + f"/{name}"
        self._open.append(url)
        return url

    def drop(self, urls: Sequence[str]) -> None:
        """Drop these databases, closing whatever connections are still open to them."""
        urls = [url for url in urls if url in self._open]
        if not urls:
            return
        admin = self._admin()
        try:
            with admin.connect() as conn:
                for url in urls:
                    name = url.rsplit("/", 1)[1]
                    conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                    self._open.remove(url)
        finally:
            admin.dispose()

    def settings(self, data_dir: Path, **overrides: Any) -> Settings:
        """``load_settings({}, data_dir=..., **overrides)`` on this run's catalog backend."""
        if self.on_postgres and "database_url" not in overrides:
            overrides["database_url"] = self.new_database()
        return load_settings({}, data_dir=data_dir, **overrides)

    def close(self) -> None:
        self.drop(list(self._open))


def catalog_env(settings: Settings) -> dict[str, str]:
    """The environment of a ``kaifang`` subprocess that should use ``settings``' catalog
    (an empty ``KAIFANG_DATABASE_URL`` means the SQLite file in the data directory)."""
    return {
        **os.environ,
        "KAIFANG_DATA_DIR": str(settings.data_dir),
        "KAIFANG_DATABASE_URL": settings.database_url,
    }
