"""Delimited text: sniff in Python, then let DuckDB parse — the file itself when it is clean
UTF-8, else a staged UTF-8 copy (see :mod:`kaifang.reading.transcode`)."""

from __future__ import annotations

import codecs
from collections.abc import Iterator, Sequence
from pathlib import Path

from kaifang.reading.dialect import parse_records, sample_text, sniff_delimiter
from kaifang.reading.header import MAX_PREAMBLE, HeaderGuess, guess_header
from kaifang.reading.model import Note
from kaifang.reading.plan import SAMPLE_ROWS
from kaifang.reading.sniff_encoding import EncodingGuess, normalize_encoding_name, sniff_encoding
from kaifang.reading.staged import Source, Staged
from kaifang.reading.transcode import transcode_to_utf8

# Tried in order: DuckDB's fast parallel reader, then the tolerant serial one (ragged rows,
# quoted newlines together with short rows, stray quotes).
READ_OPTIONS = ("", ", null_padding=true, parallel=false, strict_mode=false")


def _encoding(head: bytes, forced: str | None) -> EncodingGuess:
    if forced is None:
        return sniff_encoding(head)
    guess = normalize_encoding_name(forced)
    if guess.name == "utf-8" and head.startswith(codecs.BOM_UTF8):
        return EncodingGuess("utf-8", codecs.BOM_UTF8)
    return guess


def _consistent_line_endings(head: bytes) -> bool:
    crlf = head.count(b"\r\n")
    return head.count(b"\r") == crlf and (crlf == 0 or crlf == head.count(b"\n"))


def stage_csv(
    path: Path,
    head: bytes,
    workdir: Path,
    *,
    header: bool | None,
    column_names: Sequence[str] | None,
    encoding: str | None,
    delimiter: str | None,
    max_line_bytes: int = 2 * 1024 * 1024,
) -> Staged:
    guess = _encoding(head, encoding)
    whole = path.stat().st_size <= len(head)
    text = sample_text(head, guess.name, guess.bom, whole_file=whole)
    delim = delimiter or sniff_delimiter(text)
    records = parse_records(text, delim, limit=SAMPLE_ROWS + MAX_PREAMBLE + 1)
    found = guess_header(records[:2000], header=header, column_names=column_names)
    staged = Staged(
        attempts=iter(()),
        names=found.names,
        format="csv" if delim != "\t" else "tsv",
        encoding=guess.label,
        delimiter=delim,
        header_row=found.header_line,
        notes=list(found.notes),
        field_notes=found.field_notes,
    )
    if guess.bom and guess.name == "utf-8":
        staged.notes.append(Note("bom-removed", "UTF-8 byte-order mark removed"))
    if not _consistent_line_endings(head):
        staged.notes.append(Note("line-endings", "mixed line endings (CRLF/LF) read as LF"))
    if not whole:
        data = [r.cells for r in records if r.first_line > found.skip_lines]
        staged.sample_rows = data[:SAMPLE_ROWS]
    staged.attempts = _attempts(path, head, workdir, guess, found, staged, delim, max_line_bytes)
    return staged


def _attempts(
    path: Path,
    head: bytes,
    workdir: Path,
    guess: EncodingGuess,
    found: HeaderGuess,
    staged: Staged,
    delim: str,
    max_line_bytes: int,
) -> Iterator[Source]:
    """DuckDB on the file itself when it is clean UTF-8 with at most a one-line header;
    otherwise (or when that fails, e.g. invalid UTF-8 past the sample) on a UTF-8 copy."""
    direct = (
        guess.name == "utf-8"
        and _consistent_line_endings(head)
        and found.skip_lines <= 1
        and not found.header_is_multiline
    )
    if direct:
        for options in READ_OPTIONS:
            yield Source(
                path, len(staged.names), "csv", found.skip_lines, delim, options, max_line_bytes
            )
    copy = transcode_to_utf8(path, guess, workdir / "staged.csv", skip_lines=found.skip_lines)
    staged.undecodable_bytes = copy.undecodable_bytes
    for options in READ_OPTIONS:
        yield Source(copy.path, len(staged.names), "csv", 0, delim, options, max_line_bytes)
