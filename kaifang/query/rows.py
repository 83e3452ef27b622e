"""The SQL of the rows endpoint (filters, sort, fields, keyset paging) and of aggregates.

The builders only write SQL with bound parameters; it then runs through the same guard and
engine as any user query (:func:`kaifang.query.run_sql` / :class:`QueryEngine`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from kaifang.errors import QueryError
from kaifang.query.engine import QueryResult
from kaifang.query.filters import FilterInput, check_columns, parse_filters, where_conditions
from kaifang.query.keyset import (
    Cursor,
    OrderItem,
    decode_cursor,
    encode_cursor,
    page_cursor,
    resume_condition,
)
from kaifang.sqlutil import quote_ident

MAX_PAGE_ROWS = 10_000
"""Largest ``_limit`` of one page."""

MAX_OFFSET = 10_000
"""Largest ``_offset``: deeper pages follow the ``next`` cursor, which never scans back."""

METRICS = ("count", "sum", "avg", "min", "max")
_KEY_PREFIX = "__kaifang_key_"
_TOTAL = "__kaifang_total"
_MATCHING = "kaifang_matching"


@dataclass(frozen=True)
class RowsPage:
    columns: list[str]
    rows: list[tuple[Any, ...]]
    next: str | None


@dataclass(frozen=True)
class RowsQuery:
    """One page's SQL and parameters; unpacks as ``sql, params = build_select(...)``.

    Run it with ``max_rows=query.max_rows`` (the query asks for one row more than the page to
    know whether another page follows), then call :meth:`page` on the result.
    """

    sql: str
    params: list[Any]
    limit: int
    fields: tuple[str, ...]
    order: tuple[OrderItem, ...]
    key_positions: tuple[int, ...]
    after: Cursor | None
    cursor_key: bytes = b""
    count_within: int = 0
    """When above 0, the query also counts the matching rows, as long as there are at most
    this many (:meth:`total`); 0: it does not count."""

    def __iter__(self) -> Iterator[Any]:
        return iter((self.sql, self.params))

    @property
    def max_rows(self) -> int:
        """The ``max_rows`` to run this query with: the page and one row more."""
        return self.limit + 1

    def total(self, result: QueryResult) -> int | None:
        """The rows matching the filters, counted by the page's own query (``count_within``);
        None when it did not count, or found no row to read the count from (an ``_offset``
        past the last match)."""
        if not self.count_within or not result.rows:
            return None
        counted: int = result.rows[0][-1]
        return counted

    def overflowed(self, result: QueryResult) -> bool:
        """Whether more rows matched than the query counts (``count_within``): its page is
        then drawn from only some of them and must be asked again without counting."""
        total = self.total(result)
        return total is not None and total > self.count_within

    def page(self, result: QueryResult) -> RowsPage:
        """The page's visible rows and the ``next`` token (None on the last page)."""
        rows = result.rows[: self.limit]
        has_next = len(result.rows) > self.limit or result.truncated
        token = None
        if has_next and rows:
            key_of = _values_at(self.key_positions)
            keys = [key_of(row) for row in rows]
            token = encode_cursor(page_cursor(self.order, keys, self.after), self.cursor_key)
        width = len(self.fields)
        if rows and len(rows[0]) > width:  # the order's key columns, or the count, follow
            rows = [row[:width] for row in rows]
        return RowsPage(columns=list(self.fields), rows=rows, next=token)


def _values_at(positions: Sequence[int]) -> Any:
    """A function giving a row's values at ``positions``, as a tuple (itemgetter returns a
    bare value for one position, and needs one)."""
    if not positions:
        return lambda row: ()
    if len(positions) == 1:
        (position,) = positions
        return lambda row: (row[position],)
    return itemgetter(*positions)


def build_select(
    table: str,
    *,
    columns: Sequence[str],
    filters: FilterInput = (),
    sort: Sequence[str] = (),
    fields: Sequence[str] | None = None,
    limit: int = 100,
    after: str | None = None,
    key: Sequence[str] | None = None,
    cursor_key: bytes = b"",
    offset: int = 0,
    count_within: int = 0,
) -> RowsQuery:
    """The SQL of one page of ``table`` (a resource name, as in user SQL).

    ``columns`` are the table's columns; ``sort`` names columns, ``-col`` for descending;
    ``fields`` picks the returned columns (default all); ``after`` is the previous page's
    ``next`` token; ``key`` lists columns that identify a row (default: all columns), used
    after ``sort`` to make the order total; ``cursor_key`` seals the ``next`` token
    (the ``cursor_key`` setting, :func:`kaifang.query.keyset.seal`); ``offset`` skips that
    many rows before the first page (at most :data:`MAX_OFFSET`; not with ``after``);
    ``count_within`` (a first page with filters) makes the same query count the matching
    rows when there are at most that many (:meth:`RowsQuery.total`), which saves a second
    query and a second scan; past that many, :meth:`RowsQuery.overflowed` says so and the
    page must be asked again without it.
    """
    if not 1 <= limit <= MAX_PAGE_ROWS:
        raise QueryError(
            f"_limit must be between 1 and {MAX_PAGE_ROWS}, not {limit}",
            hint=f"Ask for at most {MAX_PAGE_ROWS} rows and follow 'next' for more.",
        )
    chosen = tuple(fields) if fields else tuple(columns)
    check_columns(chosen, columns, what="field")
    order = _order(sort, columns, key)
    conditions, params = where_conditions(parse_filters(filters, columns))
    cursor = decode_cursor(after, cursor_key) if after else None
    if not 0 <= offset <= MAX_OFFSET:
        raise QueryError(
            f"_offset must be between 0 and {MAX_OFFSET}, not {offset}",
            hint="Follow the 'next' cursor of each page for deeper pages.",
        )
    if offset and cursor is not None:
        raise QueryError(
            "_offset and _next cannot be used together",
            hint="Use _offset for the first page only, then follow 'next'.",
        )
    skip = offset
    if cursor is not None:
        if cursor.order != order:
            raise QueryError(
                "the next-page cursor was made for a different sort order",
                hint="Keep _sort / _sort_desc unchanged while paging, or start again.",
            )
        condition, resume_params = resume_condition(cursor)
        conditions.append(condition)
        params.extend(resume_params)
        skip = cursor.seen
    selected = [quote_ident(name) for name in chosen]
    key_positions: list[int] = []
    for item in order:
        if item.column in chosen:
            key_positions.append(chosen.index(item.column))
        else:
            alias = f"{_KEY_PREFIX}{len(key_positions)}"
            key_positions.append(len(selected))
            selected.append(f"{quote_ident(item.column)} AS {quote_ident(alias)}")
    where = " WHERE " + " AND ".join(conditions) if conditions else ""
    counting = count_within if count_within > 0 and cursor is None and conditions else 0
    if counting:
        # the matching rows, at most one more than counted (so that more is seen), counted
        # over the window of all of them, then sorted and cut to the page
        selected.append(f"count(*) OVER () AS {quote_ident(_TOTAL)}")
        source = f"(SELECT * FROM {quote_ident(table)}{where} LIMIT {counting + 1}) AS {_MATCHING}"
        sql = f"SELECT {', '.join(selected)} FROM {source}"
    else:
        sql = f"SELECT {', '.join(selected)} FROM {quote_ident(table)}{where}"
    sql += " ORDER BY " + ", ".join(item.sql() for item in order)
    sql += f" LIMIT {limit + 1}"
    if skip:
        sql += f" OFFSET {skip}"
    return RowsQuery(
        sql=sql,
        params=params,
        limit=limit,
        fields=chosen,
        order=order,
        key_positions=tuple(key_positions),
        after=cursor,
        cursor_key=cursor_key,
        count_within=counting,
    )


def build_aggregate(
    table: str,
    *,
    columns: Sequence[str],
    group_by: Sequence[str] = (),
    metrics: Sequence[str] = ("count",),
    filters: FilterInput = (),
) -> tuple[str, list[Any]]:
    """SQL grouping ``table`` by ``group_by`` with ``metrics`` (``count``, ``sum:x``,
    ``avg:x``, ``min:x``, ``max:x``; ``count:x`` counts non-null x); output columns are the
    group columns, then ``count``, ``sum_x``...; groups come sorted."""
    check_columns(group_by, columns, what="group_by column")
    if not metrics:
        raise QueryError("no metric asked for", hint="Use metric=count or e.g. metric=sum:x.")
    selected = [quote_ident(name) for name in group_by]
    for metric in metrics:
        function, _, column = metric.partition(":")
        if function not in METRICS or (function != "count" and not column):
            raise QueryError(
                f"unknown metric {metric!r}",
                hint="Valid metrics: count, count:x, sum:x, avg:x, min:x, max:x.",
            )
        if column:
            check_columns([column], columns, what="metric column")
        argument = quote_ident(column) if column else "*"
        alias = f"{function}_{column}" if column else function
        selected.append(f"{function.upper()}({argument}) AS {quote_ident(alias)}")
    conditions, params = where_conditions(parse_filters(filters, columns))
    sql = f"SELECT {', '.join(selected)} FROM {quote_ident(table)}"
    if conditions:
        sql += " WHERE " + " AND ".join(conditions)
    if group_by:
        group = ", ".join(quote_ident(name) for name in group_by)
        order = ", ".join(f"{quote_ident(name)} ASC NULLS LAST" for name in group_by)
        sql += f" GROUP BY {group} ORDER BY {order}"
    return sql, params


def _order(
    sort: Sequence[str], columns: Sequence[str], key: Sequence[str] | None
) -> tuple[OrderItem, ...]:
    items = [
        OrderItem(name[1:], descending=True) if name.startswith("-") else OrderItem(name)
        for name in sort
    ]
    check_columns([item.column for item in items], columns, what="sort column")
    tiebreak = list(key) if key is not None else list(columns)
    check_columns(tiebreak, columns, what="key column")
    sorted_columns = {item.column for item in items}
    items.extend(OrderItem(name) for name in tiebreak if name not in sorted_columns)
    if len({item.column for item in items}) != len(items):
        raise QueryError("a column appears twice in the sort", hint="Sort on each column once.")
    return tuple(items)
