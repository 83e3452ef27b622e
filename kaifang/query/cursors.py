"""One DuckDB cursor per thread, each remembering the resource views it already holds.

DuckDB connections cannot be shared across threads mid-query, so each thread that runs
queries gets a cursor of its own (a connection to the engine's one sandboxed database).
Resources appear in a cursor as temporary views named like the resources. A view reads
fixed files, and a stored version's files never change (docs/architecture.md), so a view is
created once per (name, source) and reused; when a name comes with another source (a new
current version), the view is replaced before the query runs. Views only become reachable
through names the guard accepted and the resolver answered for this query.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeAlias

import duckdb
import pyarrow.dataset as pa_dataset

from kaifang.errors import QueryError
from kaifang.query.serving import SERVING_TABLE, ServingCopy, copy_alias
from kaifang.sqlutil import quote_ident
from kaifang.storage.scan import parquet_scan_sql

TableSource: TypeAlias = "Sequence[str] | pa_dataset.Dataset | ServingCopy"
"""What a resolver returns for a table: its Parquet files, a pyarrow Dataset (object stores),
or a serving copy the engine attaches (kaifang.query.serving)."""

MAX_VIEWS_PER_CURSOR = 64
"""Past this many views a thread's cursor is replaced, so views of old versions cannot pile up."""


@dataclass
class ThreadCursor:
    cursor: duckdb.DuckDBPyConnection
    views: dict[str, tuple[str, object]] = field(default_factory=dict)  # casefold -> name, key

    def expose(self, names: Sequence[str], sources: dict[str, TableSource]) -> None:
        """Make each of ``names`` readable as its source. DuckDB matches names without
        regard to case, so ``People`` and ``people`` in one query must be one resource."""
        exposed: dict[str, str] = {}
        for name in names:
            first = exposed.setdefault(name.casefold(), name)
            if first != name:
                if _key(sources[first]) != _key(sources[name]):
                    raise QueryError(
                        f"tables {first!r} and {name!r} differ only by case but are different "
                        "resources",
                        hint="Quote the names exactly as the resources are published.",
                    )
                continue
            key = _key(sources[name])
            if self.views.get(name.casefold()) == (name, key):
                continue
            self.views.pop(name.casefold(), None)
            _create_view(self.cursor, name, sources[name])
            self.views[name.casefold()] = (name, key)


class CursorPool:
    """Hands each thread its own :class:`ThreadCursor` on ``connection``."""

    def __init__(self, connection: duckdb.DuckDBPyConnection) -> None:
        self._connection = connection
        self._lock = threading.Lock()
        self._local = threading.local()
        self._cursors: dict[int, ThreadCursor] = {}
        self._closed = False

    def get(self) -> ThreadCursor:
        held: ThreadCursor | None = getattr(self._local, "cursor", None)
        if held is not None and len(held.views) <= MAX_VIEWS_PER_CURSOR:
            return held
        if held is not None:
            self.discard(held)
        with self._lock:
            if self._closed:
                raise QueryError("the query engine is closed")
            fresh = ThreadCursor(self._connection.cursor())
            self._cursors[id(fresh)] = fresh
        self._local.cursor = fresh
        return fresh

    def discard(self, held: ThreadCursor) -> None:
        """Close ``held`` (after an error its state is unknown); the thread gets a new one."""
        if getattr(self._local, "cursor", None) is held:
            self._local.cursor = None
        with self._lock:
            self._cursors.pop(id(held), None)
        held.cursor.close()

    @property
    def size(self) -> int:
        with self._lock:
            return len(self._cursors)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            cursors, self._cursors = list(self._cursors.values()), {}
        for held in cursors:
            held.cursor.close()


def _key(source: TableSource) -> object:
    """What identifies a source: its file list, or the Dataset object itself."""
    if isinstance(source, pa_dataset.Dataset):
        return ("dataset", id(source))
    if isinstance(source, ServingCopy):
        return ("copy", source.path)
    return tuple(source)


def _create_view(cursor: duckdb.DuckDBPyConnection, name: str, source: TableSource) -> None:
    if isinstance(source, pa_dataset.Dataset):
        cursor.register(name, source)
        return
    if isinstance(source, ServingCopy):  # attached read-only by the engine beforehand
        cursor.execute(
            f"CREATE OR REPLACE TEMP VIEW {quote_ident(name)} AS SELECT * FROM "
            f"{copy_alias(source.path)}.{SERVING_TABLE}"
        )
        return
    files: list[str] = list(source)
    if not files:
        raise QueryError(
            f"resource {name!r} has no data files",
            hint="Publish a version of the resource first.",
        )
    cursor.execute(
        f"CREATE OR REPLACE TEMP VIEW {quote_ident(name)} AS SELECT * FROM "
        f"{parquet_scan_sql(files)}"
    )
