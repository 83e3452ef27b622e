"""Users' SQL in worker processes whose memory the operating system bounds.

Some DuckDB functions build lists and strings outside its buffer manager
(``list_resize``, ``range``, ``repeat``...), so ``memory_limit`` does not hold for them, and
while one of them runs DuckDB does not look at its interrupt flag. A guard cannot foresee
every such query, so users' SQL runs in a small pool of worker processes instead:

- each worker caps its own data segment (``RLIMIT_DATA``) at what it needed to start plus
  its share of ``query_memory_budget``: an allocation past it fails inside the worker,
  which answers with a memory-limit error; the server process never holds the query;
- the server kills a worker whose answer is not back ``GRACE_SECONDS`` after the time
  limit, and starts another in its place;
- parsing and validating happen in the worker too, so they are inside both limits; the
  worker asks the server for each table it reads (the catalog stays in the server), and
  opens the files of a table in an object store on its own connection to the store;
- requests beyond the pool wait for a free worker at most ``query_timeout`` seconds, then
  get a 503 with ``Retry-After`` (:class:`~kaifang.errors.BusyError`).
"""

from __future__ import annotations

import pickle
import queue
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from multiprocessing.connection import Connection
from typing import Any

import pyarrow as pa
import pyarrow.dataset as pa_dataset

from kaifang.errors import BusyError, KaifangError, QueryError, QueryLimitError
from kaifang.query.cursors import TableSource
from kaifang.query.engine import QueryResult, Resolver
from kaifang.query.limits import parse_size
from kaifang.query.priority import lower_child_priority
from kaifang.query.serving import ServingCopy
from kaifang.settings import Settings

__all__ = ["GRACE_SECONDS", "IsolatedEngine", "StoredFiles"]

GRACE_SECONDS = 0.5
"""How long past its time limit a query's worker may take to answer before it is killed."""
START_SECONDS = 60.0
"""How long a new worker may take to import and open its sandbox."""


class _Worker:
    """One worker process and the server's end of its pipe."""

    def __init__(self, settings: Settings, directories: list[str], allowance: int) -> None:
        # a fresh interpreter (not a fork of a threaded server, not multiprocessing's spawn,
        # which re-imports the caller's main module), talking over a socket pair
        ours, theirs = socket.socketpair()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kaifang.query.worker", str(theirs.fileno())],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
        )
        # below the server's pages from the start: starting one (importing kaifang and
        # DuckDB) costs seconds of CPU, and a killed worker's replacement starts while the
        # server answers pages (a load test's cheap p99 grew with every hostile query)
        lower_child_priority(self.process.pid, settings.query_nice)
        theirs.close()
        self.conn = Connection(ours.detach())
        self.conn.send((settings, directories, allowance))
        self.ready = False

    def started(self) -> bool:
        """Whether the worker is ready for a query now (without waiting)."""
        if not self.ready and self.conn.poll(0):
            self.wait_ready()
        return self.ready

    def wait_ready(self) -> None:
        if self.ready:
            return
        try:
            message = self.conn.recv() if self.conn.poll(START_SECONDS) else None
        except (EOFError, OSError):
            message = None
        if message != ("ready",):
            raise QueryError("the SQL worker did not start", hint="Try again in a moment.")
        self.ready = True

    def run(self, job: tuple[Any, ...], resolver: Resolver, deadline: float) -> QueryResult:
        """Send ``job``, answer the worker's table look-ups, return its result; raises
        :class:`_Killed` if the worker must be replaced."""
        try:
            self.conn.send(job)
        except OSError:
            raise _Killed("memory") from None
        while True:
            remaining = deadline - time.monotonic()
            try:
                if remaining <= 0 or not self.conn.poll(remaining):
                    raise _Killed("time")
                payload = self.conn.recv_bytes()
            except (EOFError, OSError):
                raise _Killed("memory") from None
            message = pickle.loads(payload)
            kind = message[0]
            if kind == "resolve":
                try:
                    source = _portable(resolver(message[1]))
                except KaifangError as error:  # e.g. a listed version gone from storage
                    # the worker raises it inside its query, answers it, and stays usable
                    self.conn.send(
                        ("refused", type(error), error.message, error.hint, error.details)
                    )
                    continue
                self.conn.send(("source", source))
            elif kind == "ok":
                columns, rows, truncated, elapsed_ms = message[1:]
                return QueryResult(columns, rows, truncated, elapsed_ms)
            elif kind == "error":
                raise _rebuild(*message[1:])
            elif kind == "crash":
                raise RuntimeError(f"the SQL worker failed: {message[1]}")
            else:
                raise _Killed("memory")

    def kill(self) -> None:
        """SIGKILL the worker and reap it in the background: a worker that holds GBs can
        take seconds to exit on a loaded machine (5 s once, which made a query's answer a
        500), and the request that overran should not wait for that."""
        self.process.kill()
        self.conn.close()
        threading.Thread(target=self.process.wait, name="kaifang-reap", daemon=True).start()


class _Killed(Exception):
    """The worker overran (``limit`` = time) or died (memory) and must be replaced."""

    def __init__(self, limit: str) -> None:
        super().__init__(limit)
        self.limit = limit


class IsolatedEngine:
    """Runs users' SQL in worker processes (the :class:`~kaifang.query.engines.SqlRunner`
    protocol); see the module doc."""

    def __init__(self, settings: Settings, *, allowed_directories: Sequence[str]) -> None:
        self.settings = settings
        self.workers = max(1, settings.query_workers)
        budget = parse_size(settings.query_memory_budget, setting="query_memory_budget")
        self.allowance = budget // self.workers
        self._directories = list(allowed_directories)
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self._slots = threading.BoundedSemaphore(self.workers)
        self._lock = threading.Lock()
        self._all: set[_Worker] = set()
        self._closed = False
        self._filled = False

    def run_sql(
        self,
        sql: str,
        *,
        resolver: Resolver,
        params: Sequence[Any] = (),
        max_rows: int | None = None,
    ) -> QueryResult:
        if self._closed:  # the server is stopping: its workers are gone
            raise QueryError("the query engine is closed", hint="Try again in a moment.")
        timeout = self.settings.query_timeout
        if not self._slots.acquire(timeout=timeout):
            raise BusyError(
                f"all {self.workers} SQL workers stayed busy for {timeout:.0f} s",
                hint="Retry after a few seconds; heavy queries are served a few at a time.",
                retry_after=max(1, round(timeout)),
            )
        try:
            self._fill()
            worker = self._take()
            try:
                worker.wait_ready()
                deadline = time.monotonic() + timeout + GRACE_SECONDS
                result = worker.run(("run", sql, list(params), max_rows), resolver, deadline)
            except _Killed as killed:
                self._retire(worker)
                raise self._limit_error(killed.limit) from None
            except KaifangError:
                self._idle.put(worker)
                raise
            except BaseException:
                self._retire(worker)
                raise
            self._idle.put(worker)
            return result
        finally:
            self._slots.release()

    def start(self) -> None:
        """Start the pool now (a server calls this as it starts), so that the first queries
        do not wait for workers to import and open their sandboxes."""
        self._fill()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers, self._all = list(self._all), set()
        for worker in workers:
            worker.kill()

    def _fill(self) -> None:
        """Start the whole pool on the first query, so that concurrent queries do not each
        wait for a worker to start."""
        with self._lock:
            missing = 0 if self._filled else self.workers
            self._filled = True
        for _ in range(missing):
            self._idle.put(self._start())

    def _take(self) -> _Worker:
        """An idle worker, preferring one that has started; a new one if none is idle."""
        idle: list[_Worker] = []
        while True:
            try:
                idle.append(self._idle.get_nowait())
            except queue.Empty:
                break
        if not idle:
            return self._start()
        chosen = next((worker for worker in idle if worker.started()), idle[0])
        for worker in idle:
            if worker is not chosen:
                self._idle.put(worker)
        return chosen

    def _start(self) -> _Worker:
        with self._lock:
            if self._closed:
                raise QueryError("the query engine is closed")
            worker = _Worker(self.settings, self._directories, self.allowance)
            self._all.add(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        """Kill ``worker`` and start its replacement now, so that the next query does not
        wait for a worker to import and open its sandbox."""
        with self._lock:
            self._all.discard(worker)
        worker.kill()
        try:
            self._idle.put(self._start())
        except QueryError:
            pass  # closed meanwhile

    def _limit_error(self, limit: str) -> QueryLimitError:
        if limit == "time":
            return QueryLimitError(
                f"stopped after {self.settings.query_timeout:.1f} s: the query took too long",
                hint="Add a WHERE filter or aggregate first (GROUP BY), or build smaller "
                "lists and strings.",
                limit="time",
            )
        return QueryLimitError(
            f"stopped: the query needed more than its share of memory "
            f"({self.allowance // 2**20} MB)",
            hint="Build smaller lists and strings, aggregate before joining, or filter with WHERE.",
            limit="memory",
        )


class StoredFiles(tuple[str, ...]):
    """A table in an object store, as it crosses to a worker: its files' paths in the store,
    which the worker opens as a pyarrow Dataset on its own connection to the store (the
    server's Dataset holds the server's connection and cannot be pickled)."""

    __slots__ = ()


class InMemoryRows:
    """A small table built in memory (``information_schema.tables`` / ``.columns``), as it
    crosses to a worker: its Arrow table, which pickles (the Dataset around it does not)."""

    __slots__ = ("table",)

    def __init__(self, table: pa.Table) -> None:
        self.table = table

    def dataset(self) -> pa_dataset.Dataset:
        return pa_dataset.dataset(self.table)


def _portable(source: TableSource | None) -> TableSource | InMemoryRows | None:
    """``source`` as something that can cross to a worker."""
    if source is None:
        return None
    if isinstance(source, pa_dataset.InMemoryDataset):
        return InMemoryRows(source.to_table())
    if isinstance(source, ServingCopy):
        return ServingCopy(source.path, source.rows, _portable_files(source.fallback))
    return _portable_files(source)


def _portable_files(source: Sequence[str] | pa_dataset.Dataset) -> Sequence[str]:
    if isinstance(source, pa_dataset.FileSystemDataset):
        return StoredFiles(source.files)
    if isinstance(source, pa_dataset.Dataset):
        raise QueryError("only tables stored as files can be queried by the SQL workers")
    return list(source)


def _rebuild(kind: type[KaifangError], message: str, hint: str | None, details: Any) -> Exception:
    error = kind.__new__(kind)
    KaifangError.__init__(error, message, hint=hint, **details)
    return error
