"""Sizes in settings ("2GB", "512MB"), read the way DuckDB reads its memory_limit."""

from __future__ import annotations

import re

from kaifang.errors import ValidationError

_UNITS = {
    "": 1,
    "b": 1,
    "kb": 1000,
    "mb": 1000**2,
    "gb": 1000**3,
    "tb": 1000**4,
    "kib": 2**10,
    "mib": 2**20,
    "gib": 2**30,
    "tib": 2**40,
}
_SIZE = re.compile(r"^\s*(?P<number>[0-9]+(?:\.[0-9]+)?)\s*(?P<unit>[a-z]*)\s*$")


def parse_size(text: str, *, setting: str) -> int:
    """Bytes in ``text`` (``2GB`` is 2 * 1000**3, like DuckDB; ``2GiB`` is 2 * 1024**3)."""
    match = _SIZE.match(text.lower())
    unit = match.group("unit") if match else ""
    if match is None or unit not in _UNITS:
        raise ValidationError(
            f"setting {setting} = {text!r} is not a size",
            hint="Write a number and a unit, e.g. 2GB, 512MB or 1GiB.",
        )
    return int(float(match.group("number")) * _UNITS[unit])
