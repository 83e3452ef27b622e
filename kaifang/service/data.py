"""Reading published rows for the APIs: pages, aggregates, datastore searches, SQL, exports.

Every query a client shapes runs through the safe query layer (validated SQL in the
sandboxed engine); exports read the version's own files with SQL that kaifang writes.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from kaifang.errors import NotFoundError, QueryError, ValidationError
from kaifang.export import FORMATS, stream_rows
from kaifang.jsonable import dumps, jsonable, record
from kaifang.query import (
    MAX_PAGE_ROWS,
    QueryResult,
    Resolver,
    RowsQuery,
    build_aggregate,
    build_aggregate_query,
    build_select,
)
from kaifang.query.aggregate import MAX_GROUPS_PAGE
from kaifang.query.engines import SqlRunner
from kaifang.query.filters import (
    NESTED_TYPES,
    check_columns,
    check_values,
    parse_filters,
    where_conditions,
)
from kaifang.service.runner import QueryRunner, missing_version
from kaifang.sqlutil import quote_ident, quote_literal
from kaifang.storage import VersionStore

ROW_CONTROL = {"_sort", "_sort_desc", "_fields", "_limit", "_next", "_offset", "_version"}


@dataclass(frozen=True)
class ResourceRef:
    """What the data functions need to know about a resource."""

    id: str  # its id now: the table name of the SQL the data functions write
    storage: str  # its storage name: its files, serving copies and cached counts
    identifier: str
    columns: list[str]
    types: dict[str, str]
    current_version: int | None
    versions: dict[int, int]  # number -> rows

    def table(self, version: int | None) -> tuple[str, int]:
        number = version if version is not None else self.current_version
        if number is None:
            raise NotFoundError(
                f"resource {self.id!r} has no published version yet",
                hint="Publish a file to it first (kaifang publish, or an upload).",
            )
        if number not in self.versions:
            known = ", ".join(str(v) for v in sorted(self.versions)) or "none"
            raise NotFoundError(
                f"resource {self.id!r} has no version {number}",
                hint=f"Published versions: {known}.",
            )
        name = self.id if version is None else f"{self.id}__v{number}"
        return name, number

    @property
    def scalar_columns(self) -> list[str]:
        """The columns a page can be ordered by (nested values have no order)."""
        return [c for c in self.columns if self.types.get(c) not in NESTED_TYPES]


@dataclass(frozen=True)
class DatastorePage:
    columns: list[str]
    records: list[dict[str, Any]]
    total: int | None


@dataclass(frozen=True)
class Export:
    """A download: its bytes, an ASCII file name (the resource id) and the same name built
    from the dataset's title (Chinese, for ``filename*``)."""

    chunks: Iterator[bytes]
    filename: str
    title_filename: str


def title_filename(title: str, number: int, extension: str, part: str = "") -> str:
    """``<title>-v<number><part>.<ext>`` with the characters file systems refuse removed."""
    stem = re.sub(r'[\x00-\x1f\x7f/\\:*?"<>|]+', " ", title).strip(" .") or "data"
    return f"{stem[:120]}-v{number}{part}.{extension}"


def _int(params: Mapping[str, str], key: str, default: int) -> int:
    raw = params.get(key)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValidationError(f"{key}={raw!r} is not an integer", key=key) from None


def _names(raw: str | None) -> list[str]:
    return [name.strip() for name in (raw or "").split(",") if name.strip()]


def check_filter_values(ref: ResourceRef, filters: list[tuple[str, str]]) -> None:
    """A 400 naming column, value and expected type for a value the column cannot hold."""
    check_values(parse_filters(filters, ref.columns), ref.types)


def _row_filter(key: str, ref: ResourceRef) -> bool:
    """Whether an aggregate's filter ``key`` is on a column (else on a metric: HAVING)."""
    return key in ref.columns or key.rpartition("__")[0] in ref.columns


COUNT_WITHIN = 10_000
"""A first page with filters counts its matching rows in its own query when there are at
most this many (one query and one scan instead of two); a filter shape whose last count was
larger asks for the page and the count separately."""


@dataclass(frozen=True)
class RowsAnswer:
    """One page of the native rows endpoint, its values as the engine returned them."""

    columns: list[str]
    rows: list[tuple[Any, ...]]
    next: str | None
    total: int
    version: int

    def to_dict(self) -> dict[str, Any]:
        """``{rows, next, total, total_exact, version}`` with JSON-ready values."""
        return self._shape([record(self.columns, row) for row in self.rows])

    def to_json(self) -> bytes:
        """:meth:`to_dict` as compact UTF-8 JSON, encoded without the intermediate values."""
        return dumps(self._shape([dict(zip(self.columns, row, strict=True)) for row in self.rows]))

    def _shape(self, rows: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "rows": rows,
            "next": self.next,
            "total": self.total,
            "total_exact": True,
            "version": self.version,
        }


def rows_page(
    runner: QueryRunner,
    ref: ResourceRef,
    params: Mapping[str, str],
    *,
    cursor_key: bytes,
    count_within: int = COUNT_WITHIN,
) -> RowsAnswer:
    """A page of the native rows endpoint; its ``next`` is sealed with ``cursor_key``. A
    first page with filters counts its matches in its own query up to ``count_within``."""
    version = _int(params, "_version", 0) or None
    table, number = ref.table(version)
    sort = _names(params.get("_sort")) + [f"-{n}" for n in _names(params.get("_sort_desc"))]
    limit = _int(params, "_limit", 100)
    if not 1 <= limit <= MAX_PAGE_ROWS:
        raise ValidationError(
            f"_limit must be between 1 and {MAX_PAGE_ROWS}, not {limit}", key="_limit"
        )
    nested = [n.lstrip("-") for n in sort if n.lstrip("-") not in ref.scalar_columns]
    nested = [n for n in nested if n in ref.columns]
    if nested:
        raise ValidationError(
            f"cannot sort on {', '.join(nested)}: its values are nested (lists or records)",
            hint="Sort on one of: " + ", ".join(ref.scalar_columns) + ".",
            key="_sort",
        )
    filters = [(k, v) for k, v in params.items() if k not in ROW_CONTROL]
    check_filter_values(ref, filters)
    offset = _int(params, "_offset", 0)
    first = not params.get("_next") and not offset
    counts = _Counts(runner, ref, number, filters, count_within)

    def select(counting: int) -> RowsQuery:
        return build_select(
            table,
            columns=ref.columns,
            filters=filters,
            sort=sort,
            fields=_names(params.get("_fields")) or None,
            limit=limit,
            after=params.get("_next") or None,
            key=ref.scalar_columns,
            cursor_key=cursor_key,
            offset=offset,
            count_within=counting,
        )

    def run(query: RowsQuery) -> QueryResult:
        return runner.run(
            query.sql,
            table=table,
            resource_id=ref.storage,
            version=number,
            params=query.params,
            max_rows=limit + 1,
        )

    query = select(count_within if counts.in_page() else 0)
    result = run(query)
    counted = query.total(result)
    if query.overflowed(result):  # too many matches to count with the page: ask again
        counts.too_many()
        query = select(0)
        result = run(query)
        counted = None
    page = query.page(result)
    if counted is not None:
        counts.remember(counted)
        total = counted
    elif first and page.next is None and not result.truncated:
        total = len(page.rows)  # every matching row is on this first page: no count needed
    else:
        total = counts.total(table)
    return RowsAnswer(page.columns, page.rows, page.next, total, number)


class _Counts:
    """The rows matching a page's filters: from the version's manifest when there are none,
    else counted (by the page's own query, or by one of its own), kept per filters (a
    version never changes, so neither does a count) and, per filter shape (the filtered
    columns and operators), the last count, to tell whether the page's query should count."""

    def __init__(
        self,
        runner: QueryRunner,
        ref: ResourceRef,
        number: int,
        filters: list[tuple[str, str]],
        within: int,
    ) -> None:
        self.runner, self.ref, self.number, self.filters = runner, ref, number, filters
        self.within = within
        self.key = (ref.storage, number, tuple(sorted(filters)))
        self.shape = ("shape", ref.storage, number, tuple(sorted(key for key, _ in filters)))

    def in_page(self) -> bool:
        """Whether the page's query should count: filters whose count is not known yet, of
        a shape whose last count (if any) was small enough."""
        if not self.filters or self.runner.remembered_total(self.key) is not None:
            return False
        last = self.runner.remembered_total(self.shape)
        return self.within > 0 and (last is None or last <= self.within)

    def remember(self, total: int) -> None:
        self.runner.remember_total(self.key, total)
        self.runner.remember_total(self.shape, total)

    def too_many(self) -> None:
        """The page's query found more matches than it counts: its shape counts apart."""
        self.runner.remember_total(self.shape, self.within + 1)

    def total(self, table: str) -> int:
        if not self.filters:
            return self.ref.versions[self.number]
        remembered = self.runner.remembered_total(self.key)
        if remembered is not None:
            return remembered
        sql, values = build_aggregate(table, columns=self.ref.columns, filters=self.filters)
        counted = self.runner.run(
            sql, table=table, resource_id=self.ref.storage, version=self.number, params=values
        )
        total = int(counted.rows[0][0])
        self.remember(total)
        return total


def aggregate(runner: QueryRunner, ref: ResourceRef, params: Mapping[str, str]) -> dict[str, Any]:
    """One page of groups (:mod:`kaifang.query.aggregate` has the parameters); ``next_offset``
    is the ``_offset`` of the next page, None on the last."""
    version = _int(params, "_version", 0) or None
    table, number = ref.table(version)
    control = ROW_CONTROL | {"group_by", "metric"}
    group_by = _names(params.get("group_by"))
    metrics = _names(params.get("metric")) or ["count"]
    filters = [(k, v) for k, v in params.items() if k not in control]
    sort = _names(params.get("_sort")) + [f"-{n}" for n in _names(params.get("_sort_desc"))]
    limit = _int(params, "_limit", MAX_GROUPS_PAGE)
    offset = _int(params, "_offset", 0)
    if not group_by and not filters and metrics == ["count"] and not offset and not sort:
        # the manifest counted the version's rows when it was written
        return {
            "rows": [{"count": ref.versions[number]}],
            "truncated": False,
            "next_offset": None,
            "version": number,
        }
    check_filter_values(ref, [(k, v) for k, v in filters if _row_filter(k, ref)])
    query = build_aggregate_query(
        table,
        columns=ref.columns,
        group_by=group_by,
        metrics=metrics,
        filters=filters,
        sort=sort,
        limit=limit,
        offset=offset,
    )
    result = runner.run(
        query.sql,
        table=table,
        resource_id=ref.storage,
        version=number,
        params=query.params,
        max_rows=limit + 1,
    )
    shown = result.rows[:limit]
    more = len(result.rows) > limit or result.truncated
    return {
        "rows": [record(result.columns, row) for row in shown],
        "truncated": more,
        "next_offset": offset + len(shown) if more and shown else None,
        "version": number,
    }


ROW_ID = "_id"
"""CKAN's row id column: the row's position (from 1) in its version."""


def datastore(
    runner: QueryRunner,
    ref: ResourceRef,
    *,
    filters: Mapping[str, Any],
    q: str | Mapping[str, str] | None,
    sort: Sequence[tuple[str, bool]],
    fields: Sequence[str],
    limit: int,
    offset: int,
    include_total: bool = True,
    distinct: bool = False,
) -> DatastorePage:
    """Offset paging with equality filters and a full-text ``q`` (CKAN / national spec):
    every word of ``q`` must occur in the row (or, for ``{column: words}``, in that column).
    ``fields`` may name ``_id``, the row's position in its version; ``distinct`` drops
    repeated rows."""
    table, number = ref.table(None)
    conditions: list[str] = []
    values: list[Any] = []
    for name, value in filters.items():
        if isinstance(value, list):
            if not value:
                conditions.append("FALSE")
                continue
            conditions.append(
                f"CAST({quote_ident(name)} AS VARCHAR) IN ({', '.join('?' * len(value))})"
            )
            values.extend(str(v) for v in value)
        else:
            conditions.append(f"CAST({quote_ident(name)} AS VARCHAR) = ?")
            values.append(str(value))
    searched = q.items() if isinstance(q, Mapping) else [(None, q)] if q else []
    for column_name, words in searched:
        columns = [column_name] if column_name else ref.columns
        haystack = " || ' ' || ".join(
            f"coalesce(CAST({quote_ident(c)} AS VARCHAR), '')" for c in columns
        )
        for word in str(words).split():
            conditions.append(f"strpos(lower({haystack}), lower(?)) > 0")
            values.append(word)
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    # _id: a row's position in the version; without a filter or an order a page's rows are
    # offset + 1, offset + 2 ... and nothing is numbered
    numbered = ROW_ID in fields or any(n == ROW_ID for n, _ in sort)
    source = quote_ident(table)
    if numbered and (where or sort):
        source = f"(SELECT row_number() OVER () AS {ROW_ID}, * FROM {source})"
    elif numbered:
        fields = [f for f in fields if f != ROW_ID]
    order = ", ".join(f"{quote_ident(n)} {'DESC' if d else 'ASC'}" for n, d in sort)
    select = ", ".join(quote_ident(f) for f in fields)
    sql = f"SELECT {'DISTINCT ' if distinct else ''}{select} FROM {source}{where}"
    if order:
        sql += f" ORDER BY {order}"
    sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
    result = runner.run(
        sql, table=table, resource_id=ref.storage, version=number, params=values, max_rows=limit
    )
    columns = list(result.columns)
    records = [record(result.columns, row) for row in result.rows]
    if numbered and not (where or sort):
        columns = [ROW_ID, *columns]
        records = [{ROW_ID: offset + i + 1, **r} for i, r in enumerate(records)]
    total: int | None = None
    if include_total:
        if conditions or distinct:
            inner = f"SELECT {'DISTINCT ' if distinct else ''}{select} FROM {source}{where}"
            counted = runner.run(
                f"SELECT count(*) FROM ({inner})",
                table=table,
                resource_id=ref.storage,
                version=number,
                params=values,
            )
            total = int(counted.rows[0][0])
        else:
            total = ref.versions[number]
    return DatastorePage(columns=columns, records=records, total=total)


def value_types(rows: Sequence[Sequence[Any]], width: int) -> list[str | None]:
    """The Python type name of each column's first non-null value (None: all null)."""
    found: list[str | None] = [None] * width
    for row in rows:
        for i, value in enumerate(row):
            if found[i] is None and value is not None:
                found[i] = type(value).__name__
        if all(found):
            break
    return found


def run_sql(engine: SqlRunner, resolver: Resolver, sql: str) -> QueryResult:
    return run_sql_typed(engine, resolver, sql)[0]


def run_sql_typed(
    engine: SqlRunner, resolver: Resolver, sql: str
) -> tuple[QueryResult, list[str | None]]:
    """:func:`run_sql` and the Python type of each column's values (:func:`value_types`)."""
    result = engine.run_sql(sql, resolver=resolver)
    types = value_types(result.rows, len(result.columns))
    return QueryResult(
        columns=result.columns,
        rows=[tuple(jsonable(v) for v in row) for row in result.rows],
        truncated=result.truncated,
        elapsed_ms=result.elapsed_ms,
    ), types


MERGE_METHODS = ("insert", "upsert", "update")


def merge_records(
    store: VersionStore,
    ref: ResourceRef,
    records: Path,
    out: Path,
    *,
    method: str,
    key: Sequence[str],
) -> None:
    """Write to ``out`` (a JSON array) the current version's rows merged with ``records`` (a
    JSON array of objects), each value cast to its column's type: ``insert`` appends them,
    ``upsert`` replaces the rows with the same ``key`` and appends the others, ``update``
    replaces rows and refuses a record whose key is not there. The caller publishes ``out``
    as the next version (CKAN's datastore_upsert)."""
    if method not in MERGE_METHODS:
        raise ValidationError(
            f"method: {method!r} is not one of {', '.join(MERGE_METHODS)}", key="method"
        )
    _table, number = ref.table(None)
    try:
        current = store.dataset(ref.storage, number)
    except NotFoundError:
        raise missing_version(ref.id, number) from None
    con = duckdb.connect(config={"threads": 1, "memory_limit": "512MB"})
    try:
        con.register("current_rows", current)
        empty = con.sql("SELECT * FROM current_rows LIMIT 0")
        types = {n: str(t) for n, t in zip(empty.columns, empty.types, strict=True)}
        source = f"read_json({quote_literal(str(records))}, format='array', records=true)"
        given = con.sql(f"SELECT * FROM {source} LIMIT 0").columns
        unknown = [c for c in given if c not in types]
        if unknown:
            raise ValidationError(
                f"records: column(s) {', '.join(unknown)} are not in resource {ref.id!r}",
                hint=f"Its columns: {', '.join(types)}.",
                key="records",
            )
        missing_key = [k for k in key if k not in given]
        if method != "insert" and (not key or missing_key):
            raise ValidationError(
                f"method: {method} needs a key present in every record "
                f"({', '.join(key) or 'none declared'})",
                hint="Declare the dataset's primary_key in its metadata, or pass primary_key.",
                key="method",
            )
        cast = ", ".join(
            f"CAST({quote_ident(c)} AS {t}) AS {quote_ident(c)}"
            if c in given
            else f"CAST(NULL AS {t}) AS {quote_ident(c)}"
            for c, t in types.items()
        )
        con.execute(f"CREATE TEMP TABLE new_rows AS SELECT {cast} FROM {source}")
        same = " AND ".join(
            f"c.{quote_ident(k)} IS NOT DISTINCT FROM n.{quote_ident(k)}" for k in key
        )
        if method == "update":
            unmatched = con.execute(
                f"SELECT count(*) FROM new_rows n ANTI JOIN current_rows c ON {same}"
            ).fetchone()
            if unmatched and unmatched[0]:
                raise ValidationError(
                    f"records: {unmatched[0]} record(s) match no row by {', '.join(key)}",
                    hint="Use method upsert to add them.",
                    key="records",
                )
        kept = (
            "SELECT * FROM current_rows"
            if method == "insert"
            else f"SELECT c.* FROM current_rows c ANTI JOIN new_rows n ON {same}"
        )
        con.execute(
            f"COPY ({kept} UNION ALL SELECT * FROM new_rows) TO {quote_literal(str(out))} "
            "(FORMAT json, ARRAY true)"
        )
    except duckdb.Error as exc:
        raise ValidationError(
            f"records: cannot merge them into {ref.id!r} ({str(exc).splitlines()[0]})",
            hint="Check that every value fits its column's type.",
            key="records",
        ) from None
    finally:
        con.close()


EXPORT_CONTROL = {"version", "bom"}
"""Download parameters that are not row filters (``_sort`` and ``_sort_desc`` order the rows)."""


@dataclass(frozen=True)
class ExportView:
    """The rows of a filtered or sorted download: the rows endpoint's filters and sort."""

    where: list[str]
    params: list[Any]
    order: list[str]

    def sql(self, source: str) -> str:
        where = f" WHERE {' AND '.join(self.where)}" if self.where else ""
        order = f" ORDER BY {', '.join(self.order)}" if self.order else ""
        return f"SELECT * FROM {quote_ident(source)}{where}{order}"


def export_view(ref: ResourceRef, params: Mapping[str, str]) -> ExportView | None:
    """The view ``params`` ask a download for (the rows endpoint's filters, ``_sort`` and
    ``_sort_desc``), checked before any byte is sent; None for the whole version."""
    sort = [(n, "ASC") for n in _names(params.get("_sort"))]
    sort += [(n, "DESC") for n in _names(params.get("_sort_desc"))]
    filters = [
        (k, v) for k, v in params.items() if k not in EXPORT_CONTROL | {"_sort", "_sort_desc"}
    ]
    if not filters and not sort:
        return None
    check_columns([name for name, _ in sort], ref.scalar_columns, what="sort column")
    check_filter_values(ref, filters)
    conditions, values = where_conditions(parse_filters(filters, ref.columns))
    return ExportView(conditions, values, [f"{quote_ident(n)} {way}" for n, way in sort])


def export(
    store: VersionStore,
    ref: ResourceRef,
    fmt: str,
    *,
    version: int | None,
    bom: bool,
    title: str = "",
    head: bool = False,
    params: Mapping[str, str] | None = None,
) -> Export:
    """The download of ``ref`` in ``fmt``; with ``head`` only its names (for ``HEAD``),
    after the same checks, without reading the data. ``params``: the rows endpoint's filters
    and sort (:func:`export_view`), for a download of the rows the explorer shows."""
    if fmt not in FORMATS:
        raise ValidationError(
            f"unknown download format {fmt!r}", hint=f"Formats: {', '.join(FORMATS)}.", key="format"
        )
    _table, number = ref.table(version)
    view = export_view(ref, params or {})
    extension = FORMATS[fmt].extension
    part = "-filtered" if view else ""
    names = (
        f"{ref.id}-v{number}{part}.{extension}",
        title_filename(title or ref.id, number, extension, part),
    )
    try:
        dataset = store.dataset(ref.storage, number)
    except NotFoundError:
        raise missing_version(ref.id, number) from None
    if head:
        return Export(iter(()), *names)

    def chunks() -> Iterator[bytes]:
        con = duckdb.connect(config={"threads": 1, "memory_limit": "512MB"})
        try:
            rows = con.from_arrow(dataset)
            if view is not None:
                rows.create_view("export_source")
                rows = con.sql(view.sql("export_source"), params=view.params)
            yield from stream_rows(rows, fmt, bom=bom)
        finally:
            con.close()

    return Export(_primed(chunks()), *names)


def _primed(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """Compute the first chunk now, so that a failure to read the version is an error
    response rather than a download cut short after its headers were sent."""
    first = next(chunks, None)
    return itertools.chain([] if first is None else [first], chunks)


__all__ = ["DatastorePage", "Export", "QueryError", "ResourceRef"]
