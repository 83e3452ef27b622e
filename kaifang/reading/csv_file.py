"""Delimited text: sniff, then let DuckDB parse (directly, or from a staged UTF-8 copy)."""

from __future__ import annotations

import codecs
from collections.abc import Sequence
from pathlib import Path

import duckdb

from kaifang.errors import ReadError
from kaifang.reading.dialect import parse_records, sample_text, sniff_delimiter
from kaifang.reading.header import guess_header
from kaifang.reading.model import Note
from kaifang.reading.sniff_encoding import EncodingGuess, normalize_encoding_name, sniff_encoding
from kaifang.reading.staged import STAGED_NAME, Staged
from kaifang.reading.transcode import transcode_to_utf8
from kaifang.sqlutil import quote_literal

# Tried in order: DuckDB's fast parallel reader, then the tolerant serial one (ragged rows,
# quoted newlines together with short rows, stray quotes).
_READ_OPTIONS = ("", ", null_padding=true, parallel=false, strict_mode=false")


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
    con: duckdb.DuckDBPyConnection,
    *,
    header: bool | None,
    column_names: Sequence[str] | None,
    encoding: str | None,
    delimiter: str | None,
) -> Staged:
    guess = _encoding(head, encoding)
    whole = path.stat().st_size <= len(head)
    text = sample_text(head, guess.name, guess.bom, whole_file=whole)
    delim = delimiter or sniff_delimiter(text)
    records = parse_records(text, delim)
    found = guess_header(records, header=header, column_names=column_names)
    staged = Staged(
        parquet=workdir / STAGED_NAME,
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
    direct = (
        guess.name == "utf-8"
        and _consistent_line_endings(head)
        and found.skip_lines <= 1
        and not found.header_is_multiline
    )
    if direct and _copy_csv(con, path, staged, delim, skip=found.skip_lines, raise_errors=False):
        return staged
    if not _consistent_line_endings(head):
        staged.notes.append(Note("line-endings", "mixed line endings (CRLF/LF) read as LF"))
    text_copy = transcode_to_utf8(path, guess, workdir / "staged.csv", skip_lines=found.skip_lines)
    staged.undecodable_bytes = text_copy.undecodable_bytes
    _copy_csv(con, text_copy.path, staged, delim, skip=0, raise_errors=True, origin=path)
    text_copy.path.unlink()
    return staged


def _copy_csv(
    con: duckdb.DuckDBPyConnection,
    source: Path,
    staged: Staged,
    delim: str,
    *,
    skip: int,
    raise_errors: bool,
    origin: Path | None = None,
) -> bool:
    columns = "{" + ", ".join(f"{quote_literal(s)}: 'VARCHAR'" for s in staged.sources) + "}"
    last_error = ""
    for options in _READ_OPTIONS:
        read = (
            f"read_csv({quote_literal(str(source))}, header=false, auto_detect=false, "
            f"skip={skip}, delim={quote_literal(delim)}, quote='\"', escape='\"', "
            f"columns={columns}{options})"
        )
        try:
            con.execute(
                f"COPY (SELECT * FROM {read}) TO {quote_literal(str(staged.parquet))} "
                "(FORMAT parquet, COMPRESSION snappy)"
            )
            return True
        except duckdb.Error as exc:
            last_error = str(exc).strip().splitlines()[0]
    if raise_errors:
        raise ReadError(
            f"cannot parse as delimited text with delimiter {delim!r}: {last_error}",
            file=origin or source,
            hint="Pass the delimiter or encoding explicitly, or check the quoting.",
        )
    return False
