"""Turn engine values (dates, decimals, nested lists and structs) into JSON values.

A base utility beside `sqlutil`: the catalog's read-only SQL, the query engines and the
service layer all use it, so it sits below all of them."""

from __future__ import annotations

import base64
import datetime as dt
import json
import math
import re
from decimal import Decimal
from typing import Any

import orjson


def jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return str(value)


_AS_IS = frozenset({str, int, bool, type(None)})
"""Exact types that are already JSON values (the common case: skip the isinstance chain)."""


def record(columns: list[str], row: tuple[Any, ...]) -> dict[str, Any]:
    return {
        name: value if type(value) in _AS_IS else jsonable(value)
        for name, value in zip(columns, row, strict=True)
    }


def dumps(content: Any) -> bytes:
    """``content`` as compact UTF-8 JSON, its engine values converted as :func:`jsonable`
    converts them, without building the converted copy first: orjson writes dates, times,
    UUIDs and non-finite floats (as null) itself and asks :func:`jsonable` for the rest.
    What orjson refuses (an integer past 64 bits, a map with non-string keys) goes the slow
    way, through :func:`jsonable` and the standard library. Floats in exponent form are
    written without the ``+`` and the leading zeros (``1e16``, ``1e-5``): the same numbers."""
    try:
        return orjson.dumps(content, default=jsonable)
    except orjson.JSONEncodeError:
        text = json.dumps(
            jsonable(content), ensure_ascii=False, allow_nan=False, separators=(",", ":")
        )
        return text.encode("utf-8")


_LONG_NUMBER = re.compile(r"\d{19}")
_LONG_NUMBER_BYTES = re.compile(rb"\d{19}")


def loads(text: str | bytes) -> Any:
    """Parse JSON text as :func:`json.loads` does, with orjson where it can (the catalog's
    JSON columns: a listing page parses the columns of 300 resources). What orjson refuses
    (``NaN``, a lone surrogate) goes through the standard library, and so does text with a
    number of 19 digits or more, which orjson would read as a float when past 64 bits."""
    if isinstance(text, bytes):
        long_number = _LONG_NUMBER_BYTES.search(text) is not None
    else:
        long_number = _LONG_NUMBER.search(text) is not None
    if not long_number:
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            pass
    return json.loads(text)
