"""The delimiter of a delimited text file, and the sample's records for header detection."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass

DELIMITERS = (",", "\t", ";", "|")


@dataclass(frozen=True)
class Record:
    """One parsed record of the sample; ``first_line``/``last_line`` are 1-based physical
    lines (a quoted field with newlines spans several)."""

    cells: list[str]
    first_line: int
    last_line: int


def sample_text(head: bytes, encoding: str, bom: bytes, *, whole_file: bool) -> str:
    """The decoded sample with LF line endings; a line cut by the sample's end is dropped."""
    text = head[len(bom) :].decode(encoding, errors="replace").replace("\r\n", "\n")
    if not whole_file and "\n" in text:
        text = text[: text.rindex("\n") + 1]
    return text


def parse_records(text: str, delimiter: str, limit: int = 2000) -> list[Record]:
    reader = csv.reader(io.StringIO(text, newline="\n"), delimiter=delimiter, quotechar='"')
    records: list[Record] = []
    previous_line = 0
    try:
        for cells in reader:
            records.append(Record(cells, previous_line + 1, reader.line_num))
            previous_line = reader.line_num
            if len(records) >= limit:
                break
    except csv.Error:
        # An unterminated quote at the sample's end: keep the records read so far.
        pass
    return records


def sniff_delimiter(text: str) -> str:
    """The candidate that splits the sample into the most consistent, widest records."""
    best, best_score = ",", -1.0
    for delimiter in DELIMITERS:
        widths = [len(r.cells) for r in parse_records(text, delimiter, limit=200) if any(r.cells)]
        if not widths:
            continue
        width, frequency = Counter(widths).most_common(1)[0]
        if width < 2:
            continue
        score = frequency / len(widths) + width / 1000
        if score > best_score:
            best, best_score = delimiter, score
    return best
