"""Copy a text file to a staged UTF-8 file with LF line endings, in large chunks.

Used for anything DuckDB cannot read as it is: CP950/Big5 and UTF-16 input, invalid UTF-8,
mixed line endings, and preambles (title rows, a header spread over several lines) that are
cut off here so that DuckDB reads data rows only. Undecodable bytes become U+FFFD and are
counted; ``open_table`` then finds their rows with SQL and reports them as problems.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from kaifang.reading.sniff_encoding import EncodingGuess

CHUNK_BYTES = 16 * 1024 * 1024
_ESCAPED = re.compile("[\udc80-\udcff]")


@dataclass(frozen=True)
class Transcoded:
    path: Path
    undecodable_bytes: int


def transcode_to_utf8(
    source: Path, guess: EncodingGuess, dest: Path, *, skip_lines: int
) -> Transcoded:
    """Write ``source`` (minus its BOM and first ``skip_lines`` lines) to ``dest`` as UTF-8."""
    decoder = codecs.getincrementaldecoder(guess.name)(errors="surrogateescape")
    undecodable = 0
    pending_cr = ""
    lines_to_skip = skip_lines
    with source.open("rb") as src, dest.open("wb") as out:
        src.seek(len(guess.bom))
        while True:
            raw = src.read(CHUNK_BYTES)
            final = not raw
            text = pending_cr + decoder.decode(raw, final=final)
            pending_cr = ""
            if text.endswith("\r") and not final:
                text, pending_cr = text[:-1], "\r"
            text = text.replace("\r\n", "\n")
            if lines_to_skip:
                text, lines_to_skip = _drop_lines(text, lines_to_skip)
            try:
                encoded = text.encode("utf-8")
            except UnicodeEncodeError:
                text, count = _ESCAPED.subn("\ufffd", text)
                undecodable += count
                encoded = text.encode("utf-8")
            out.write(encoded)
            if final:
                break
    return Transcoded(dest, undecodable)


def _drop_lines(text: str, count: int) -> tuple[str, int]:
    """Drop up to ``count`` leading lines; return the rest and how many are still to drop."""
    pos = 0
    while count:
        newline = text.find("\n", pos)
        if newline < 0:
            return "", count
        pos = newline + 1
        count -= 1
    return text[pos:], 0
