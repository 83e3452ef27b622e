"""Keyset paging: an opaque, signed ``next`` token and the WHERE clause that resumes after it.

Published rows have no row id, so the order is made total by sorting on the requested sort
columns, then on the table's key columns (by default every column). The token carries the
last row's values of that order and how many rows with exactly those values were already
returned, so exact duplicate rows are neither lost nor repeated: the next page is
``WHERE (order) >= (last) ... OFFSET <duplicates already seen>``, never a deep OFFSET.
NULLs sort last in both directions.

The token is sealed (:func:`seal`): encrypted and signed with the ``cursor_key`` setting, so
a page of an identifier column never puts an ID number into a URL, and a changed or old
token is refused with a 400 rather than read.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import hashlib
import hmac
import json
import math
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kaifang.errors import QueryError
from kaifang.keys import shared_key
from kaifang.settings import Settings
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


def encode_cursor(cursor: Cursor, key: bytes) -> str:
    """The sealed token: the cursor's JSON encrypted and signed with ``key`` (see
    :func:`seal`), so no row value can be read from a URL, a log or a browser history."""
    payload = {
        "o": [[item.column, item.descending] for item in cursor.order],
        "v": [_encode_value(value) for value in cursor.values],
        "s": cursor.seen,
    }
    text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    return seal(text.encode(), key)


def decode_cursor(token: str, key: bytes) -> Cursor:
    raw = unseal(token, key)
    try:
        payload = json.loads(raw)
        order = tuple(OrderItem(str(column), bool(desc)) for column, desc in payload["o"])
        values = tuple(_decode_value(value) for value in payload["v"])
        seen = int(payload["s"])
        if len(order) != len(values) or seen < 1:
            raise ValueError("inconsistent cursor")
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError):
        raise _invalid() from None
    return Cursor(order=order, values=values, seen=seen)


_SEAL_VERSION = b"\x01"
_NONCE = 12
_TAG = 16


def _invalid() -> QueryError:
    return QueryError(
        "the next-page cursor is not valid: it was changed, or made by an older kaifang or "
        "under another cursor key",
        hint="Pass the 'next' value of the previous page unchanged, or start again from the "
        "first page.",
    )


def _keystream(key: bytes, nonce: bytes, length: int) -> bytes:
    blocks = (length + 31) // 32
    return b"".join(
        hmac.new(key, nonce + i.to_bytes(4, "big"), hashlib.sha256).digest() for i in range(blocks)
    )[:length]


def _xor(data: bytes, stream: bytes) -> bytes:
    """``data`` XOR ``stream`` (of the same length), as whole integers rather than byte by
    byte in Python."""
    mixed = int.from_bytes(data, "big") ^ int.from_bytes(stream, "big")
    return mixed.to_bytes(len(data), "big")


@functools.lru_cache(maxsize=16)
def _subkeys(key: bytes) -> tuple[bytes, bytes]:
    """The encryption and signing keys derived from ``key`` (kept: every page derives them)."""
    enc = hmac.new(key, b"kaifang-cursor-enc", hashlib.sha256).digest()
    mac = hmac.new(key, b"kaifang-cursor-mac", hashlib.sha256).digest()
    return enc, mac


def cursor_key(settings: Settings) -> bytes:
    """The key cursors are sealed with: the ``cursor_key`` setting, or else a random key
    kept in ``<data_dir>/secrets/cursor.key`` (:func:`kaifang.keys.shared_key`)."""
    return shared_key(settings, "cursor", settings.cursor_key)


def seal(plain: bytes, key: bytes) -> str:
    """Encrypt-then-MAC with HMAC-SHA256 only: the payload XOR an HMAC keystream (counter
    mode under a synthetic nonce), then a 128-bit HMAC tag over version, nonce and ciphertext.
    Encryption and signing use keys derived from ``key`` (the ``cursor_key`` setting)."""
    if not key:
        raise QueryError("paging needs a cursor key", hint="Set KAIFANG_CURSOR_KEY.")
    enc, mac = _subkeys(key)
    # Deterministic (the nonce is a MAC of the payload, as in SIV): one page always gets one
    # token, which caches and compares well; only equal cursors share a token.
    nonce = hmac.new(enc, b"nonce" + plain, hashlib.sha256).digest()[:_NONCE]
    body = _xor(plain, _keystream(enc, nonce, len(plain)))
    head = _SEAL_VERSION + nonce + body
    tag = hmac.new(mac, head, hashlib.sha256).digest()[:_TAG]
    return base64.urlsafe_b64encode(head + tag).decode().rstrip("=")


def unseal(token: str, key: bytes) -> bytes:
    """The payload of a :func:`seal` token; QueryError (400) when it was altered, is an old
    plain cursor, or was sealed under another key."""
    if not key:
        raise QueryError("paging needs a cursor key", hint="Set KAIFANG_CURSOR_KEY.")
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (ValueError, binascii.Error):
        raise _invalid() from None
    if len(raw) < 1 + _NONCE + _TAG or raw[:1] != _SEAL_VERSION:
        raise _invalid()
    head, tag = raw[:-_TAG], raw[-_TAG:]
    enc, mac = _subkeys(key)
    if not hmac.compare_digest(hmac.new(mac, head, hashlib.sha256).digest()[:_TAG], tag):
        raise _invalid()
    nonce, body = head[1 : 1 + _NONCE], head[1 + _NONCE :]
    return _xor(body, _keystream(enc, nonce, len(body)))


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
