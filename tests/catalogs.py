"""The catalog backend of a test run: SQLite files (the default) or, with ``--catalog=postgres``,
a fresh database on the throwaway PostgreSQL server for every settings object the tests build."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import sqlalchemy

from kaifang.catalog.db import create_catalog_engine, upgrade
from kaifang.settings import Settings, load_settings

MakeSettings = Callable[..., Settings]


class Catalogs:
    """Where the catalogs of test settings live: the SQLite file in each data directory, or
    with ``--catalog=postgres`` a fresh database on the test server per settings object.

    Fixtures of any scope build their settings with :meth:`settings` (function-scoped tests use
    the ``make_settings`` fixture, which drops its databases when the test ends); databases not
    dropped earlier are dropped when the session ends. The databases of :meth:`settings` are
    copies of one template migrated once per session (``CREATE DATABASE ... TEMPLATE``, about
    a tenth of a second less per test than migrating each); :meth:`new_database` gives an empty
    one, for the tests of migrating itself."""

    def __init__(self, backend: str, server_url: Callable[[], str]) -> None:
        self.backend = backend
        self._server_url = server_url
        self._open: list[str] = []
        self._admin_engine: sqlalchemy.Engine | None = None
        self._template: str | None = None
        self.sqlite_dirs: list[Path] = []
        """The data directories given SQLite catalogs here (checked at the session's end)."""

    @property
    def on_postgres(self) -> bool:
        return self.backend == "postgres"

    def _admin(self) -> sqlalchemy.Engine:
        if self._admin_engine is None:
            self._admin_engine = sqlalchemy.create_engine(
                self._server_url(), isolation_level="AUTOCOMMIT"
            )
        return self._admin_engine

    def _create(self, template: str | None) -> str:
        name = f"t_{uuid.uuid4().hex[:12]}"
        copy = f' TEMPLATE "{template}"' if template else ""
        with self._admin().connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"{copy}')
        url = self._server_url().rsplit("/", 1)[0] + f"/{name}"
        self._open.append(url)
        return url

    def new_database(self) -> str:
        """The URL of a new, empty database on the test server."""
        return self._create(None)

    def new_catalog(self) -> str:
        """The URL of a new database holding an empty, migrated catalog."""
        if self._template is None:
            url = self.new_database()
            engine = create_catalog_engine(url)
            try:
                upgrade(engine)
            finally:
                engine.dispose()  # a template may have no connections when it is copied
            self._template = url.rsplit("/", 1)[1]
        return self._create(self._template)

    def drop(self, urls: Sequence[str]) -> None:
        """Drop these databases, closing whatever connections are still open to them."""
        mine = [url for url in urls if url in self._open]
        if not mine:  # nothing on the server (SQLite catalogs have an empty URL)
            return
        with self._admin().connect() as conn:
            for url in mine:
                name = url.rsplit("/", 1)[1]
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                self._open.remove(url)

    def settings(self, data_dir: Path, **overrides: Any) -> Settings:
        """``load_settings({}, data_dir=..., **overrides)`` on this run's catalog backend."""
        if self.on_postgres and "database_url" not in overrides:
            overrides["database_url"] = self.new_catalog()
        elif not overrides.get("database_url"):
            self.sqlite_dirs.append(data_dir)
        return load_settings({}, data_dir=data_dir, **overrides)

    def close(self) -> None:
        if self._admin_engine is None:
            return
        self.drop(list(self._open))
        self._admin_engine.dispose()


def catalog_env(settings: Settings) -> dict[str, str]:
    """The environment of a ``kaifang`` subprocess that should use ``settings``' catalog
    (an empty ``KAIFANG_DATABASE_URL`` means the SQLite file in the data directory)."""
    return {
        **os.environ,
        "KAIFANG_DATA_DIR": str(settings.data_dir),
        "KAIFANG_DATABASE_URL": settings.database_url,
    }
