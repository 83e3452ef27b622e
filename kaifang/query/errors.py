"""DuckDB errors, turned into messages a data user can act on."""

from __future__ import annotations

import re
from collections.abc import Iterable

import duckdb

from kaifang.errors import KaifangError, QueryError, QueryLimitError, SpillError, StoredDataError
from kaifang.settings import Settings

_QUOTED_PATH = re.compile(r"([\"'])(?:[A-Za-z]:)?[/\\][^\"']*\1")


def map_duckdb_error(
    error: duckdb.Error, settings: Settings, files: Iterable[str] = ()
) -> KaifangError:
    """The QueryError (or QueryLimitError) to show for a DuckDB error; never a traceback.

    User SQL cannot name files (the guard refuses table functions), so an IO error, or any
    error that names one of the published files, is about stored data: a
    :class:`StoredDataError` (500), not the query's fault."""
    if isinstance(error, duckdb.InterruptException):
        return QueryLimitError(
            f"stopped after {settings.query_timeout:.1f} s: the query took too long",
            hint="Add a WHERE filter or aggregate first (GROUP BY), or select fewer columns.",
            limit="time",
        )
    text = str(error)
    if "max_temp_directory_size" in text:
        return QueryLimitError(
            f"stopped: the query needed more than its memory limit of "
            f"{settings.query_memory_limit} and its spill space of {settings.query_spill_limit}",
            hint="Aggregate before joining or sorting, filter with WHERE, or select fewer columns.",
            limit="disk",
        )
    if "temp_directory" in text or _names_spill_folder(text, settings):
        return SpillError(
            f"the query outgrew memory and could not spill to disk "
            f"({clean_message(text, [str(settings.data_dir)])})",
            hint="This is a server fault: the operator should check that <data_dir>/tmp/query "
            "can be created and written and that its disk has free space.",
        )
    if isinstance(error, duckdb.OutOfMemoryException):
        return QueryLimitError(
            f"stopped: the query needed more than its memory limit of "
            f"{settings.query_memory_limit}",
            hint="Aggregate before joining, filter with WHERE, or select fewer columns.",
            limit="memory",
        )
    files = list(files)
    message = clean_message(text, files)
    names_file = any(path in text for path in files)
    if isinstance(error, duckdb.IOException) or (
        names_file and isinstance(error, duckdb.InvalidInputException)
    ):
        return StoredDataError(
            f"the published data files cannot be read ({message})",
            hint="This is a server fault: the operator should re-publish or restore the version.",
        )
    if isinstance(error, duckdb.PermissionException):
        return QueryError(
            "the query tried to reach something outside the published data",
            hint="Queries can read published resources only.",
        )
    return QueryError(message, hint="Check the table and column names and the SQL syntax.")


def clean_message(text: str, files: Iterable[str] = ()) -> str:
    """DuckDB's message without the echoed SQL, catalog suggestions or file paths."""
    paragraph = text.strip().split("\n\n", 1)[0]
    lines = [
        line
        for line in paragraph.splitlines()
        if line.strip() and not line.startswith(("LINE ", "Did you mean"))
    ]
    message = " ".join(line.strip() for line in lines) or "the query failed"
    for path in files:
        message = message.replace(path, "<data file>")
    return _QUOTED_PATH.sub(r"\1<server path>\1", message)


def _names_spill_folder(text: str, settings: Settings) -> bool:
    folder = settings.data_dir / "tmp" / "query"
    return str(folder) in text or str(folder.resolve()) in text
