"""Column filters of the rows and aggregate endpoints, as SQL conditions with bound values.

A filter is ``column=value`` (equality) or ``column__<op>=value``; the value is always a
bound parameter, and DuckDB casts it to the column's type. Column names are checked against
the table's columns and quoted; nothing the client sends is formatted into the SQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

from kaifang.errors import QueryError
from kaifang.sqlutil import quote_ident

FilterInput: TypeAlias = "Mapping[str, str] | Iterable[tuple[str, str]]"
"""Filters as a mapping or as (key, value) pairs (repeat a key to AND two conditions)."""

_COMPARISONS = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
OPERATORS: tuple[str, ...] = (
    "eq",
    *_COMPARISONS,
    "ne",
    "in",
    "contains",
    "startswith",
    "isnull",
)
_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}


@dataclass(frozen=True)
class Filter:
    column: str
    operator: str
    value: str


def check_columns(names: Iterable[str], columns: Sequence[str], *, what: str) -> None:
    """Refuse any name that is not one of ``columns``, listing the valid ones."""
    unknown = [name for name in names if name not in columns]
    if unknown:
        raise QueryError(
            f"unknown {what} {', '.join(repr(name) for name in unknown)}",
            hint="Valid columns: " + ", ".join(columns) + ".",
        )


def parse_filters(filters: FilterInput, columns: Sequence[str]) -> list[Filter]:
    """Split ``column__op`` keys; an exact column name means equality."""
    pairs = filters.items() if isinstance(filters, Mapping) else filters
    parsed: list[Filter] = []
    for key, value in pairs:
        column, operator = key, "eq"
        if key not in columns and "__" in key:
            column, _, operator = key.rpartition("__")
            if operator not in OPERATORS:
                raise QueryError(
                    f"unknown filter operator {operator!r} in {key!r}",
                    hint="Valid operators: " + ", ".join(f"__{op}" for op in OPERATORS) + ".",
                )
        check_columns([column], columns, what="filter column")
        parsed.append(Filter(column=column, operator=operator, value=str(value)))
    return parsed


def where_conditions(filters: Sequence[Filter]) -> tuple[list[str], list[Any]]:
    """SQL conditions (to AND together) and their parameters, in order."""
    conditions: list[str] = []
    params: list[Any] = []
    for item in filters:
        column = quote_ident(item.column)
        if item.operator == "eq":
            conditions.append(f"{column} = ?")
            params.append(item.value)
        elif item.operator in _COMPARISONS:
            conditions.append(f"{column} {_COMPARISONS[item.operator]} ?")
            params.append(item.value)
        elif item.operator == "ne":
            conditions.append(f"{column} IS DISTINCT FROM ?")
            params.append(item.value)
        elif item.operator == "in":
            values = [value for value in item.value.split(",") if value != ""]
            if not values:
                raise QueryError(
                    f"filter {item.column}__in needs at least one value",
                    hint="Separate values with commas, e.g. city__in=Taipei,Tainan.",
                )
            conditions.append(f"{column} IN ({', '.join('?' for _ in values)})")
            params.extend(values)
        elif item.operator == "contains":
            conditions.append(f"contains(CAST({column} AS VARCHAR), ?)")
            params.append(item.value)
        elif item.operator == "startswith":
            conditions.append(f"starts_with(CAST({column} AS VARCHAR), ?)")
            params.append(item.value)
        else:
            conditions.append(f"{column} {'IS' if _flag(item) else 'IS NOT'} NULL")
    return conditions, params


def _flag(item: Filter) -> bool:
    text = item.value.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise QueryError(
        f"filter {item.column}__isnull takes true or false, not {item.value!r}",
        hint=f"Use {item.column}__isnull=true or {item.column}__isnull=false.",
    )
