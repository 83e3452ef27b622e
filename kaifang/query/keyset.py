"""Keyset paging: an opaque ``next`` token and the WHERE clause that resumes after it.

Published rows have no row id, so the order is made total by sorting on the requested sort
columns, then on the table's key columns (by default every column). The token carries the
last row's values of that order and how many rows with exactly those values were already
returned, so exact duplicate rows are neither lost nor repeated: the next page is
``WHERE (order) >= (last) ... OFFSET <duplicates already seen>``, never a deep OFFSET.
NULLs sort last in both directions.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import math
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kaifang.errors import QueryError
from kaifang.sqlutil import quote_ident


@dataclass(frozen=True)
class OrderItem:
    column: str
    descending: bool = False

    def sql(self) -> str:
        direction = "DESC" if self.descending else "ASC"
        return f"{quote_ident(self.column)} {direction} NULLS LAST"


@dataclass(frozen=True)
class Cursor:
    order: tuple[OrderItem, ...]
    values: tuple[Any, ...]
    seen: int


def resume_condition(cursor: Cursor) -> tuple[str, list[Any]]:
    """``(order) >= (cursor.values)`` in the cursor's order, NULLs last, and its params."""
    params: list[Any] = []
    condition = ""
    for item, value in reversed(list(zip(cursor.order, cursor.values, strict=True))):
        column = quote_ident(item.column)
        rest = f" AND {condition}" if condition else ""
        if value is None:
            condition = f"({column} IS NULL{rest})"
            continue
        beyond = f"({column} {'<' if item.descending else '>'} ? OR {column} IS NULL)"
        condition = f"({beyond} OR ({column} = ?{rest}))"
        params[:0] = [value, value]
    return condition or "TRUE", params


def encode_cursor(cursor: Cursor) -> str:
    payload = {
        "o": [[item.column, item.descending] for item in cursor.order],
        "v": [_encode_value(value) for value in cursor.values],
        "s": cursor.seen,
    }
    text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(token: str) -> Cursor:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        payload = json.loads(raw)
        order = tuple(OrderItem(str(column), bool(desc)) for column, desc in payload["o"])
        values = tuple(_decode_value(value) for value in payload["v"])
        seen = int(payload["s"])
        if len(order) != len(values) or seen < 1:
            raise ValueError("inconsistent cursor")
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError):
        raise QueryError(
            "the next-page cursor is not valid",
            hint="Pass the 'next' value of the previous page unchanged, or start again.",
        ) from None
    return Cursor(order=order, values=values, seen=seen)


def page_cursor(
    order: Sequence[OrderItem], keys: Sequence[tuple[Any, ...]], previous: Cursor | None
) -> Cursor:
    """The cursor after a page whose rows had the order values ``keys`` (in order)."""
    last = keys[-1]
    seen = sum(1 for key in keys if key == last)
    if previous is not None and previous.values == last:
        seen += previous.seen
    return Cursor(order=tuple(order), values=last, seen=seen)


def _encode_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"float": repr(value)}
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, dt.datetime):
        return {"timestamp": value.isoformat()}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if isinstance(value, dt.time):
        return {"time": value.isoformat()}
    if isinstance(value, dt.timedelta):
        return {"interval": [value.days, value.seconds, value.microseconds]}
    if isinstance(value, bytes):
        return {"bytes": base64.b64encode(value).decode()}
    if isinstance(value, uuid.UUID):
        return {"uuid": str(value)}
    if isinstance(value, list | tuple):
        return {"list": [_encode_value(item) for item in value]}
    raise QueryError(
        f"cannot page on a value of type {type(value).__name__}",
        hint="Sort on scalar columns, or pass key columns that identify a row.",
    )


_DECODERS: dict[str, Callable[[Any], Any]] = {
    "float": float,
    "decimal": Decimal,
    "timestamp": dt.datetime.fromisoformat,
    "date": dt.date.fromisoformat,
    "time": dt.time.fromisoformat,
    "interval": lambda parts: dt.timedelta(days=parts[0], seconds=parts[1], microseconds=parts[2]),
    "bytes": base64.b64decode,
    "uuid": uuid.UUID,
}


def _decode_value(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    ((tag, inner),) = value.items()
    if tag == "list":
        return [_decode_value(item) for item in inner]
    return _DECODERS[tag](inner)
