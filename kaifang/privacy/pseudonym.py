"""Keyed pseudonyms: HMAC-SHA256 written in SQL (DuckDB has ``sha256`` but no HMAC).

HMAC(K, m) = SHA256((K ⊕ opad) ‖ SHA256((K ⊕ ipad) ‖ m)). The two padded keys are derived
once in Python from ``settings.pseudonym_key`` and enter the SQL as hex literals; every cell is
hashed by the engine. The key is never written with the data — but whoever holds it can link
pseudonyms back to identifiers, so this is pseudonymization, not anonymization (Supreme
Administrative Court 106年判字第54號; NDC 發法字第1100017815號).
"""

from __future__ import annotations

import hashlib

from kaifang.errors import ValidationError
from kaifang.settings import Settings
from kaifang.sqlutil import quote_literal

_BLOCK = 64


def padded_keys(key: str) -> tuple[bytes, bytes]:
    raw = key.encode("utf-8")
    if len(raw) > _BLOCK:
        raw = hashlib.sha256(raw).digest()
    raw = raw.ljust(_BLOCK, b"\0")
    return bytes(b ^ 0x36 for b in raw), bytes(b ^ 0x5C for b in raw)


def hmac_sql(value: str, settings: Settings, *, column: str) -> str:
    """SQL for the hex HMAC-SHA256 of ``value`` (as text); NULL stays NULL."""
    if not settings.pseudonym_key:
        raise ValidationError(
            f"column {column!r} is to be pseudonymized but no key is set",
            hint="Set KAIFANG_PSEUDONYM_KEY to a long random secret and keep it out of the "
            "data directory.",
        )
    inner, outer = padded_keys(settings.pseudonym_key)
    message = f"encode(CAST({value} AS VARCHAR))"
    inner_hash = f"unhex(sha256(unhex({quote_literal(inner.hex())}) || {message}))"
    return (
        f"CASE WHEN {value} IS NULL THEN NULL ELSE "
        f"sha256(unhex({quote_literal(outer.hex())}) || {inner_hash}) END"
    )
