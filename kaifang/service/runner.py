"""Running the SQL that kaifang's own builders write (rows, aggregates, datastore searches).

Every such query still passes the guard and runs in the sandboxed engine, but two costs that
do not change between requests are paid once:

- the guard's verdict, per SQL text: builders bind every value as a parameter, so one shape of
  request (same resource, filters, sort and fields) is the same text whatever the values;
- the file list of a version: versions are immutable (docs/architecture.md), so the files of
  (resource, version N) never change. Which version is current is still asked of the catalog
  on every request.

A runner for heavy work (aggregates, datastore searches) is given the SQL worker processes
(``workers``, kaifang.query.isolated): its queries then run there, validated and executed
inside the workers' memory and time limits at their lower priority, and the server process
only resolves their tables. Rows pages stay in the server, on the in-process ``engine``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from kaifang.errors import NotFoundError, QueryError, StoredDataError
from kaifang.query import QueryEngine, QueryResult, Resolver, ValidatedQuery, validate_sql
from kaifang.query.engine import ResolvedTables, TableSource
from kaifang.query.engines import SqlRunner
from kaifang.storage import VersionStore

MAX_SHAPES = 1_024
MAX_VERSIONS = 4_096
MAX_TOTALS = 4_096
"""Filtered row counts kept (a version's rows never change, so neither do its counts)."""


def missing_version(resource_id: str, version: int) -> StoredDataError:
    """The error for a version the catalog lists but storage no longer holds."""
    return StoredDataError(
        f"version {version} of resource {resource_id!r} is listed in the catalog but its "
        "files are missing from storage",
        hint="This is a server fault: the operator should restore or re-publish the version.",
        resource_id=resource_id,
        version=version,
    )


def listed_files(store: VersionStore, resource_id: str, version: int) -> tuple[list[str], int]:
    """The files and row count of a version the catalog lists; a missing manifest is a
    server fault."""
    try:
        entries = store.file_entries(resource_id, version)
    except NotFoundError:
        raise missing_version(resource_id, version) from None
    files = [store.location.uri(resource_id, entry.path) for entry in entries]
    return files, sum(entry.rows for entry in entries)


class Bounded(OrderedDict[Any, Any]):
    """A dict that forgets its least recently used entries past ``limit`` entries, or past
    ``max_weight`` in all when ``weight`` weighs each value (callers lock)."""

    def __init__(
        self,
        limit: int,
        *,
        weight: Callable[[Any], int] | None = None,
        max_weight: int = 0,
    ) -> None:
        super().__init__()
        self.limit = limit
        self.weight = weight
        self.max_weight = max_weight
        self.total = 0

    def remember(self, key: Any, value: Any) -> None:
        if self.weight is not None:
            if key in self:
                self.total -= self.weight(self[key])
            self.total += self.weight(value)
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.limit or (self.max_weight and self.total > self.max_weight):
            _key, old = self.popitem(last=False)
            if self.weight is not None:
                self.total -= self.weight(old)


class QueryRunner:
    """Runs builder SQL for a resource version through the guard and the engine."""

    def __init__(
        self,
        engine: QueryEngine,
        resolver: Resolver,
        store: VersionStore,
        *,
        workers: SqlRunner | None = None,
    ) -> None:
        self.engine = engine
        self.workers = workers
        self.resolver = resolver
        self.store = store
        self._shapes = Bounded(MAX_SHAPES)
        self._files = Bounded(MAX_VERSIONS)
        self._totals = Bounded(MAX_TOTALS)
        self._lock = threading.Lock()

    def remembered_total(self, key: Any) -> int | None:
        """A filtered count :meth:`remember_total` kept for ``key``
        (resource, version, filters), if any."""
        with self._lock:
            total: int | None = self._totals.get(key)
        return total

    def remember_total(self, key: Any, total: int) -> None:
        with self._lock:
            self._totals.remember(key, total)

    def version_files(self, resource_id: str, version: int) -> list[str]:
        return self._listed(resource_id, version)[0]

    def version_source(self, resource_id: str, version: int) -> TableSource:
        """What a query reads for the version: its serving copy when one is ready
        (kaifang.query.serving), else its files."""
        files, rows = self._listed(resource_id, version)
        serving = self.engine.serving
        if serving is None:
            return files
        return serving.source(resource_id, version, files, rows=rows)

    def _listed(self, resource_id: str, version: int) -> tuple[list[str], int]:
        key = (resource_id, version)
        with self._lock:
            cached: tuple[list[str], int] | None = self._files.get(key)
        if cached is None:
            cached = listed_files(self.store, resource_id, version)
            with self._lock:
                self._files.remember(key, cached)
        return cached

    def run(
        self,
        sql: str,
        *,
        table: str,
        resource_id: str,
        version: int,
        params: Sequence[Any] = (),
        max_rows: int | None = None,
    ) -> QueryResult:
        """Run ``sql``, in which ``table`` names version ``version`` of ``resource_id``."""

        def resolve(name: str) -> TableSource | None:
            if name == table:
                return self.version_source(resource_id, version)
            return self.resolver(name)

        if self.workers is not None:
            return self.workers.run_sql(sql, resolver=resolve, params=params, max_rows=max_rows)
        tables = ResolvedTables(resolve)
        with self._lock:
            validated: ValidatedQuery | None = self._shapes.get(sql)
        if validated is None:
            validated = validate_sql(sql, known_tables=tables.known)
            with self._lock:
                self._shapes.remember(sql, validated)
        else:
            missing = [name for name in validated.tables if not tables.known(name)]
            if missing:
                raise QueryError(f"unknown table {missing[0]!r}")
        return self.engine.run_validated(validated, tables, params=params, max_rows=max_rows)
