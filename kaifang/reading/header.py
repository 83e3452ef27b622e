"""Where the header is: skip title and blank rows, decide header or data, clean the names."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from kaifang.reading.dialect import Record
from kaifang.reading.model import Note

MAX_PREAMBLE = 20
# A cell of digits and punctuation only (counts, amounts, dates, times, ROC dates).
_NUMERIC_LIKE = re.compile(r"[\d\s.,:;/\-+%()~]*\d[\d\s.,:;/\-+%()~]*")
_CODE_LIKE = re.compile(r"[A-Za-z0-9]*\d[A-Za-z0-9]*")
_ROC_TEXT_DATE = re.compile(r"(民國)?\d{2,3}年\d{1,2}月\d{1,2}日")


@dataclass
class HeaderGuess:
    """``header_line`` is the 1-based physical line the header starts on (None: no header);
    ``skip_lines`` the physical lines before the first data record."""

    names: list[str]
    header_line: int | None
    skip_lines: int
    header_is_multiline: bool = False
    notes: list[Note] = field(default_factory=list)
    field_notes: dict[str, list[str]] = field(default_factory=dict)


def is_blank(cells: Sequence[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def looks_like_data(cell: str) -> bool:
    """A value no one would use as a column name: a number, date, time or a code."""
    text = unicodedata.normalize("NFKC", cell).strip().lstrip("'")
    if not text:
        return False
    if _NUMERIC_LIKE.fullmatch(text) or _ROC_TEXT_DATE.fullmatch(text):
        return True
    if _CODE_LIKE.fullmatch(text):
        digits = sum(ch.isdigit() for ch in text)
        return digits * 2 >= len(text)
    return False


def modal_width(records: Sequence[Record]) -> int:
    widths = Counter(len(r.cells) for r in records if not is_blank(r.cells))
    return widths.most_common(1)[0][0] if widths else 0


def guess_header(
    records: Sequence[Record],
    *,
    header: bool | None = None,
    column_names: Sequence[str] | None = None,
) -> HeaderGuess:
    width = modal_width(records)
    start = 0 if header is False else _preamble_length(records, width)
    has_header = header if header is not None else _first_is_header(records, start)
    notes: list[Note] = []
    if start:
        notes.append(
            Note(
                "preamble-skipped",
                f"skipped {start} title or blank row(s) before the "
                + ("header" if has_header else "data"),
                count=start,
            )
        )
    header_record = records[start] if has_header and start < len(records) else None
    data_index = start + 1 if header_record is not None else start
    if data_index < len(records):
        skip_lines = records[data_index].first_line - 1
    elif records:
        skip_lines = records[-1].last_line
    else:
        skip_lines = 0
    width = max(width, len(header_record.cells) if header_record else 0)
    field_notes: dict[str, list[str]] = {}
    if column_names is not None:
        names = list(column_names)
    elif header_record is not None:
        names = _clean_names(header_record.cells, width, field_notes)
    else:
        names = [f"column_{i + 1}" for i in range(width)]
        if records:
            notes.append(
                Note("no-header", f"no header row found; columns are named column_1..{width}")
            )
    return HeaderGuess(
        names=names,
        header_line=header_record.first_line if header_record else None,
        skip_lines=skip_lines,
        header_is_multiline=bool(
            header_record and header_record.last_line > header_record.first_line
        ),
        notes=notes,
        field_notes=field_notes,
    )


def _preamble_length(records: Sequence[Record], width: int) -> int:
    """Leading blank rows and title rows (one filled cell where rows have several)."""
    index = 0
    while index < min(len(records), MAX_PREAMBLE):
        filled = sum(1 for cell in records[index].cells if cell.strip())
        if filled == 0 or (
            width > 2 and filled == 1 and not looks_like_data(records[index].cells[0])
        ):
            index += 1
            continue
        break
    return index if index < len(records) else 0


def _first_is_header(records: Sequence[Record], start: int) -> bool:
    if start >= len(records):
        return False
    candidate = [c for c in records[start].cells if c.strip()]
    if not candidate or any(looks_like_data(c) for c in candidate):
        return False
    below = records[start + 1 : start + 201]
    if not below:
        return True
    # All-text files: a header's values do not repeat in its column below.
    repeats = sum(
        1
        for i, cell in enumerate(records[start].cells)
        if cell.strip() and any(i < len(r.cells) and r.cells[i] == cell for r in below)
    )
    return repeats * 2 < len(candidate)


def _join_lines(name: str) -> str:
    parts = [part.strip() for part in name.split("\n") if part.strip()]
    joined = parts[0] if parts else ""
    for part in parts[1:]:
        ascii_pair = joined[-1:].isascii() and part[:1].isascii()
        joined += (" " if ascii_pair else "") + part
    return joined


def _clean_names(cells: Sequence[str], width: int, field_notes: dict[str, list[str]]) -> list[str]:
    names: list[str] = []
    pending: list[list[str]] = []
    for i in range(width):
        raw = cells[i] if i < len(cells) else ""
        name = raw.replace("\ufeff", "").strip()
        messages: list[str] = []
        if "\n" in name:
            name = _join_lines(name)
            messages.append(f"header cell had line breaks; joined as {name!r}")
        if not name:
            name = f"column_{i + 1}"
            messages.append(f"header cell was empty; named {name}")
        names.append(name)
        pending.append(messages)
    seen: Counter[str] = Counter()
    for i, name in enumerate(names):
        seen[name] += 1
        if seen[name] > 1:
            names[i] = f"{name}_{seen[name]}"
            pending[i].append(f"duplicate header {name!r}; renamed {names[i]}")
    for name, messages in zip(names, pending, strict=True):
        if messages:
            field_notes[name] = messages
    return names
