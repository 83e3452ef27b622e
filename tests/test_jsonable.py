"""kaifang.jsonable.dumps against the standard library's encoding of jsonable's values."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal
from typing import Any

import pytest

from kaifang.jsonable import dumps, jsonable, loads

TAIPEI = dt.timezone(dt.timedelta(hours=8))

VALUES: list[Any] = [
    None,
    True,
    0,
    -7,
    2**63 - 1,
    1.5,
    -0.0,
    float("nan"),
    float("inf"),
    '國道 1 號 "quoted" \\ \n\t\x00\x1f\u2028 /',
    dt.datetime(2024, 1, 2, 3, 4, 5),
    dt.datetime(2024, 1, 2, 3, 4, 5, 678),
    dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=TAIPEI),
    dt.datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=dt.UTC),
    dt.date(2024, 2, 29),
    dt.time(23, 59, 1),
    dt.time(23, 59, 1, 250_000),
    dt.time(8, 0, tzinfo=TAIPEI),
    Decimal("12.50"),
    dt.timedelta(days=1, seconds=2, microseconds=3),
    b"\x00\xffbytes",
    uuid.UUID("12345678-1234-5678-1234-567812345678"),
    [1, "a", None, [dt.date(2024, 1, 1)]],
    (1, 2),
    {"nested": {"when": dt.datetime(2024, 1, 1), "amount": Decimal("1.1")}},
    object,  # anything else: its str()
]


def standard(content: Any) -> bytes:
    """What the API answered before: jsonable's values through json.dumps, as Starlette's
    JSONResponse writes them."""
    text = json.dumps(jsonable(content), ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.encode("utf-8")


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_dumps_writes_the_same_bytes_as_before(value: Any) -> None:
    content = {"rows": [{"value": value}], "next": None, "total": 1}
    assert dumps(content) == standard(content)


@pytest.mark.parametrize(
    "value",
    [
        2**64,  # past 64 bits: orjson refuses it
        -(2**63) - 1,
        {1: "a", 2: "b"},  # a map with non-string keys
        {"deep": [{3: dt.date(2024, 1, 1)}]},
    ],
    ids=repr,
)
def test_what_orjson_refuses_goes_the_standard_way(value: Any) -> None:
    content = {"value": value}
    assert dumps(content) == standard(content)


@pytest.mark.parametrize("value", [1e16, 1.5e-7, 123456789.125, 0.1])
def test_floats_are_the_same_numbers(value: float) -> None:
    """orjson writes exponents without ``+`` and leading zeros (``1e16``, not ``1e+16``): the
    text may differ, the number does not."""
    assert json.loads(dumps([value])) == json.loads(standard([value])) == [value]


@pytest.mark.parametrize(
    "text",
    [
        '{"fields": [{"name": "路段", "type": "VARCHAR", "description": "國道 1 號"}]}',
        '{"a": 1, "a": 2}',  # the last of a repeated key
        "[NaN, Infinity, -Infinity]",  # orjson refuses these: the standard way
        "[18446744073709551616, -9223372036854775809]",  # past 64 bits: the standard way
        '"\\ud800 lone surrogate"',
        "[1e400, 0.1, 1.5e-7, -0.0, 123456789.125]",
        '  {"nested": {"deep": [true, false, null, ""]}}  ',
    ],
)
def test_loads_reads_what_the_standard_library_reads(text: str) -> None:
    """The catalog's JSON columns are parsed with ``loads``: the same values as json.loads
    (NaN compared by its text)."""
    assert repr(loads(text)) == repr(json.loads(text))
    assert repr(loads(text.encode())) == repr(json.loads(text))


def test_loads_refuses_what_the_standard_library_refuses() -> None:
    with pytest.raises(json.JSONDecodeError):
        loads("{not json")
