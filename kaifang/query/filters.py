"""Column filters of the rows and aggregate endpoints, as SQL conditions with bound values.

A filter is ``column=value`` (equality) or ``column__<op>=value``; the value is always a
bound parameter, and DuckDB casts it to the column's type. Column names are checked against
the table's columns and quoted; nothing the client sends is formatted into the SQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

from kaifang.errors import FilterValueError, QueryError
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


def _boolean(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in {"true", "t", "1"}:
        return True
    if lowered in {"false", "f", "0"}:
        return False
    raise ValueError(text)


# Table Schema type -> (parse, English name, zh-TW name, example)
_VALUE_TYPES: dict[str, tuple[Callable[[str], object], str, str, str]] = {
    "integer": (int, "an integer", "整數", "42"),
    "year": (int, "a year", "年份", "2024"),
    "number": (float, "a number", "數字", "3.5"),
    "date": (dt.date.fromisoformat, "a date (YYYY-MM-DD)", "日期（YYYY-MM-DD）", "2024-03-25"),
    "datetime": (
        dt.datetime.fromisoformat,
        "a timestamp (ISO 8601)",
        "時間（ISO 8601）",
        "2024-03-25T08:00:00",
    ),
    "time": (dt.time.fromisoformat, "a time (HH:MM:SS)", "時刻（HH:MM:SS）", "08:00:00"),
    "boolean": (_boolean, "true or false", "true 或 false", "true"),
}
_VALUE_OPERATORS = {"eq", "gt", "gte", "lt", "lte", "ne", "in"}
NESTED_TYPES = frozenset({"array", "object", "geojson"})


def check_values(filters: Sequence[Filter], types: Mapping[str, str]) -> None:
    """Refuse a filter whose value cannot be read as its column's type, naming the column,
    the value and the type expected (in zh-TW and English), before the engine sees it."""
    for item in filters:
        kind = types.get(item.column, "string")
        if kind in NESTED_TYPES and item.operator != "isnull":
            raise _refused(item, item.value, ("nested values", "巢狀值（清單或紀錄）", ""))
        if kind not in _VALUE_TYPES or item.operator not in _VALUE_OPERATORS:
            continue
        parse, english, chinese, example = _VALUE_TYPES[kind]
        values = item.value.split(",") if item.operator == "in" else [item.value]
        for value in values:
            try:
                parse(value.strip())
            except ValueError:
                raise _refused(item, value, (english, chinese, example)) from None


def _refused(item: Filter, value: str, expected: tuple[str, str, str]) -> FilterValueError:
    english, chinese, example = expected
    column = item.column
    if not example:  # a nested column: nothing to compare with
        translations = {
            "en": (
                f"column {column!r} holds {english}: it cannot be filtered by {value!r}",
                f"Filter on another column, or use {column}__isnull=true/false.",
            ),
            "zh-TW": (
                f"欄位 {column} 的值是{chinese}，不能以 {value!r} 篩選",
                f"請改用其他欄位篩選，或用 {column}__isnull=true/false。",
            ),
        }
    else:
        translations = {
            "en": (
                f"filter {column}: {value!r} is not {english}",
                f"Column {column!r} holds {english}, e.g. {column}={example}.",
            ),
            "zh-TW": (
                f"篩選條件 {column}：{value!r} 不是{chinese}",
                f"欄位 {column} 的值是{chinese}，例如 {column}={example}。",
            ),
        }
    return FilterValueError(column=column, value=value, expected=english, translations=translations)
