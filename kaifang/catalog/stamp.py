"""The catalog's change stamp: a value that changes whenever anyone commits a change to the
catalog, from this process or any other (a ``kaifang publish`` beside the server, a second
server worker, ``kaifang catalog rename``).

Answers kept until the catalog changes (:mod:`kaifang.service.catalog_cache`) compare it.
Read the stamp *before* computing an answer: a commit in between makes the answer newer than
its stamp, never older, so a kept answer is always exact.

- **SQLite**: ``PRAGMA data_version`` on a connection of its own that never writes. SQLite
  changes it whenever another connection commits to the file, in any process; reading it
  touches no table (a few microseconds), so the server can read it on its event loop.
- **PostgreSQL**: the current snapshot (``pg_current_snapshot()``): two equal snapshots see
  exactly the same committed transactions. It moves with any write to the server (other
  databases' too), which only costs a recomputation.
- **In-memory SQLite** (tests): a new value on every read, so nothing is kept.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
import threading
from collections.abc import Hashable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine

_fresh = itertools.count()


class ChangeStamp:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        database = engine.url.database
        self.dialect = engine.dialect.name
        self._file = (
            database
            if self.dialect == "sqlite" and database not in (None, "", ":memory:")
            else None
        )
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._pid = 0

    @property
    def is_local(self) -> bool:
        """True when reading the stamp asks no server (SQLite): cheap enough for an event
        loop."""
        return self.dialect == "sqlite"

    def read(self) -> Hashable:
        if self.dialect == "sqlite":
            if self._file is None:
                return ("fresh", next(_fresh))
            return ("sqlite", self._data_version())
        from sqlalchemy import text

        with self._engine.connect() as conn:
            return ("snapshot", conn.execute(text("SELECT pg_current_snapshot()::text")).scalar())

    def _data_version(self) -> int:
        with self._lock:
            if self._conn is None or self._pid != os.getpid():  # a forked worker: its own
                assert self._file is not None
                # never writes; a plain path (no URI), so any file name opens
                self._conn = sqlite3.connect(
                    self._file, isolation_level=None, check_same_thread=False
                )
                self._pid = os.getpid()
            version: int = self._conn.execute("PRAGMA data_version").fetchone()[0]
            return version

    def close(self) -> None:
        with self._lock:
            if self._conn is not None and self._pid == os.getpid():
                self._conn.close()
            self._conn = None
