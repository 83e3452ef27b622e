"""The worker side of :mod:`kaifang.query.isolated`: one process, one sandbox, one query
at a time, its data segment capped by the operating system."""

from __future__ import annotations

import pickle
import sys
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from kaifang.errors import KaifangError, QueryError, QueryLimitError
from kaifang.query.isolated import InMemoryRows, StoredFiles, _rebuild
from kaifang.query.limits import parse_size
from kaifang.query.serving import ServingCopy
from kaifang.settings import Settings

MAX_RESULT_BYTES = 64 * 2**20
"""Largest answer a worker sends back (the rows, pickled): the server holds it while it
writes the response, so huge strings built by a query must not reach it."""
DUCKDB_SHARE = 0.6
"""Share of a worker's memory given to DuckDB's own limit; the rest is for the lists and
strings DuckDB builds outside it, Python and the rows fetched."""


def main(argv: list[str]) -> None:
    """``python -m kaifang.query.worker <fd>``: serve the server on socket ``fd``, whose
    first message is ``(settings, directories, allowance)``."""
    conn = Connection(int(argv[1]))
    try:
        settings, directories, allowance = conn.recv()
    except (EOFError, OSError):
        return
    serve(conn, settings, directories, allowance)


def serve(conn: Connection, settings: Settings, directories: list[str], allowance: int) -> None:
    """Open the sandbox, cap memory at its size now plus ``allowance`` bytes, then answer
    ``("run", sql, params, max_rows)`` jobs until the server closes the pipe."""
    from kaifang.query.engine import QueryEngine
    from kaifang.query.priority import level_threads

    limit = min(
        parse_size(settings.query_memory_limit, setting="query_memory_limit"),
        int(allowance * DUCKDB_SHARE),
    )
    settings = settings.replace(query_memory_limit=f"{max(limit // 2**20, 16)}MB")
    engine = QueryEngine(settings, allowed_directories=directories)
    engine.run_sql("SELECT 1", resolver=lambda name: None)  # load everything a query needs
    _cap_data_segment(allowance)
    # the server started this process query_nice below its pages (kaifang.query.isolated):
    # every thread (DuckDB's too) runs there
    level_threads()
    conn.send(("ready",))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            break
        conn.send_bytes(_answer(engine, conn, job))


def _answer(engine: Any, conn: Connection, job: tuple[Any, ...]) -> bytes:
    _kind, sql, params, max_rows = job

    def resolver(name: str) -> Any:
        conn.send(("resolve", name))
        reply = conn.recv()
        if reply[0] == "refused":
            raise _rebuild(*reply[1:])
        source = reply[1]
        if isinstance(source, StoredFiles):
            return _object_store_dataset(engine.settings, source)
        if isinstance(source, InMemoryRows):
            return source.dataset()
        if isinstance(source, ServingCopy) and isinstance(source.fallback, StoredFiles):
            fallback = _object_store_dataset(engine.settings, source.fallback)
            return ServingCopy(source.path, source.rows, fallback)
        return source

    try:
        result = engine.run_sql(sql, resolver=resolver, params=params, max_rows=max_rows)
        payload = pickle.dumps(
            ("ok", result.columns, result.rows, result.truncated, result.elapsed_ms)
        )
        if len(payload) > MAX_RESULT_BYTES:
            raise QueryLimitError(
                f"the result is larger than {MAX_RESULT_BYTES // 2**20} MB",
                hint="Select fewer rows or columns, or shorter values.",
                limit="size",
            )
        return payload
    except KaifangError as error:
        return _error(error)
    except MemoryError:
        return _error(
            QueryLimitError(
                "stopped: the query needed more than its share of memory",
                hint="Build smaller lists and strings, or aggregate before fetching rows.",
                limit="memory",
            )
        )
    except RecursionError:
        return _error(QueryError("the query is nested too deeply to run"))
    except Exception as error:  # the server logs it as an internal error
        return pickle.dumps(("crash", f"{type(error).__name__}: {error}"))


def _object_store_dataset(settings: Settings, files: StoredFiles) -> Any:
    """The table's files as a pyarrow Dataset on this worker's connection to the store."""
    import pyarrow.dataset as pa_dataset

    from kaifang.storage.filesystem import open_location

    global _LOCATION
    if _LOCATION is None:
        _LOCATION = open_location(settings)
    return pa_dataset.dataset(list(files), filesystem=_LOCATION.filesystem, format="parquet")


_LOCATION: Any = None
"""The worker's one connection to the object store, opened on its first such table."""


def _error(error: KaifangError) -> bytes:
    return pickle.dumps(("error", type(error), error.message, error.hint, error.details))


def _cap_data_segment(allowance: int) -> None:
    """Cap the data segment at its size now plus ``allowance`` (Linux; elsewhere only the
    time limit and DuckDB's memory_limit hold)."""
    import resource

    status = Path("/proc/self/status")
    if not status.exists():
        return
    for line in status.read_text().splitlines():
        if line.startswith("VmData:"):
            now = int(line.split()[1]) * 1024
            resource.setrlimit(resource.RLIMIT_DATA, (now + allowance, now + allowance))
            return


if __name__ == "__main__":
    main(sys.argv)
