"""How each era of CEC files spells the same data.

- 2008 (2008–2018): every field double-quoted, code fields prefixed with ``'`` so Excel kept
  their leading zeros; CRLF in some files and LF in others; 投開票所 ``0`` for aggregates;
  rates truncated to two decimals without trailing zeros (``45.8``, ``50``, ``0``).
- 2020 (2016, 2020, 2024): every field quoted, no apostrophe, LF; 投開票所 ``0000``;
  rates with two decimals except zero, written ``0.0``.
- 2022: bare fields, LF; rates always with two decimals (``0.00``, ``50.20``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# Which columns are codes (and so carry the 2008 apostrophe), per file.
CODE_COLUMNS: dict[str, tuple[int, ...]] = {
    "elbase": (0, 1, 2, 3, 4),
    "elcand": (0, 1, 2, 3, 4, 7, 8, 9),
    "elctks": (0, 1, 2, 3, 4),
    "elprof": (0, 1, 2, 3, 4),
    "elpaty": (),
    "elrepm": (0, 1, 3, 4),
    "elretks": (),
}


@dataclass(frozen=True)
class Dialect:
    """One era's spelling of CEC files."""

    era: str
    quoted: bool
    apostrophe: bool
    crlf_files: frozenset[str]
    padded_station: bool

    def station(self, number: int) -> str:
        """A polling-station number; 0 marks an aggregate row."""
        return f"{number:04d}" if self.padded_station else str(number)

    def rate(self, value: float) -> str:
        """A percentage as this era writes it."""
        if self.era == "2008":
            text = f"{math.floor(value * 100 + 1e-9) / 100:.2f}".rstrip("0").rstrip(".")
            return text or "0"
        if self.era == "2020" and value == 0:
            return "0.0"
        return f"{value:.2f}"

    def render(self, file: str, rows: list[list[str]]) -> bytes:
        """The file's bytes: UTF-8, no header, this era's quoting and line ends."""
        codes = set(CODE_COLUMNS[file]) if self.apostrophe else set()
        line_end = "\r\n" if file in self.crlf_files else "\n"
        out: list[str] = []
        for row in rows:
            cells = [("'" + v if i in codes and v.strip() else v) for i, v in enumerate(row)]
            if self.quoted:
                cells = [f'"{c}"' for c in cells]
            out.append(",".join(cells) + line_end)
        return "".join(out).encode("utf-8")


DIALECT_2008 = Dialect(
    "2008", True, True, frozenset({"elbase", "elctks", "elprof", "elrepm"}), False
)
DIALECT_2020 = Dialect("2020", True, False, frozenset(), True)
DIALECT_2022 = Dialect("2022", False, False, frozenset(), True)
