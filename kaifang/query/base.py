"""What every query engine shares: the result, the resolver, and the run with its limits.

:class:`SqlEngine` validates the SQL with the guard, caps it at the row limit (one row more,
to tell a truncated result), times it and cuts the rows back; an engine (DuckDB's
:class:`~kaifang.query.engine.QueryEngine`, :class:`~kaifang.query.spark_engine.SparkEngine`)
only renders the capped SQL in its dialect and executes it, raising a
:class:`~kaifang.errors.QueryError` or :class:`~kaifang.errors.QueryLimitError` for what fails.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self, TypeAlias

import pyarrow.dataset as pa_dataset

from kaifang.errors import QueryError
from kaifang.query.cursors import TableSource
from kaifang.query.guard import ValidatedQuery, validate_sql
from kaifang.query.serving import ServingCopy
from kaifang.settings import Settings

Resolver: TypeAlias = "Callable[[str], TableSource | None]"


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]
    truncated: bool
    elapsed_ms: float


class ResolvedTables:
    """Calls the resolver once per table name and remembers the answer."""

    def __init__(self, resolver: Resolver) -> None:
        self._resolver = resolver
        self.sources: dict[str, TableSource] = {}

    def known(self, name: str) -> bool:
        if name not in self.sources:
            source = self._resolver(name)
            if source is None:
                return False
            self.sources[name] = source
        return True

    def files(self) -> list[str]:
        """The Parquet files the sources read (a serving copy's are those it mirrors)."""
        files: list[str] = []
        for source in self.sources.values():
            plain = source.fallback if isinstance(source, ServingCopy) else source
            if not isinstance(plain, pa_dataset.Dataset):
                files.extend(plain)
        return files


class SqlEngine(ABC):
    """Runs the guard's queries with the row limit of ``settings`` (``query_max_rows``) or of
    the call; subclasses say how to write the capped SQL and how to execute it."""

    settings: Settings

    @abstractmethod
    def render(self, validated: ValidatedQuery, *, limit: int) -> str:
        """``validated`` as SQL of this engine, returning at most ``limit`` rows."""

    @abstractmethod
    def execute(
        self, sql: str, validated: ValidatedQuery, tables: ResolvedTables, params: Sequence[Any]
    ) -> tuple[list[str], list[tuple[Any, ...]]]:
        """Run ``sql`` over ``tables``' sources: its column names and rows, or a QueryError."""

    def start(self) -> None:  # noqa: B027 - an in-process engine is ready when built
        """Prepare what the first query needs (nothing by default)."""

    def close(self) -> None:  # noqa: B027 - an engine may hold nothing to release
        """Release what the engine holds (nothing by default)."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def run_sql(
        self,
        sql: str,
        *,
        resolver: Resolver,
        params: Sequence[Any] = (),
        max_rows: int | None = None,
    ) -> QueryResult:
        """Validate ``sql`` and run it; see :func:`kaifang.query.run_sql`."""
        tables = ResolvedTables(resolver)
        validated = validate_sql(sql, known_tables=tables.known)
        return self.run_validated(validated, tables, params=params, max_rows=max_rows)

    def run_validated(
        self,
        validated: ValidatedQuery,
        tables: ResolvedTables,
        *,
        params: Sequence[Any] = (),
        max_rows: int | None = None,
    ) -> QueryResult:
        """Run a query the guard accepted, reading ``tables``' sources."""
        limit = self.settings.query_max_rows if max_rows is None else max_rows
        if limit < 0:
            raise QueryError(f"max_rows must be 0 or more, not {limit}")
        try:
            sql = self.render(validated, limit=limit + 1)
        except RecursionError:
            raise QueryError("the query is nested too deeply to run") from None
        started = time.perf_counter()
        columns, rows = self.execute(sql, validated, tables, params)
        return QueryResult(
            columns=columns,
            rows=rows[:limit],
            truncated=len(rows) > limit,
            elapsed_ms=(time.perf_counter() - started) * 1000,
        )
