"""One thread that enforces every query's time limit.

A timer thread per query cost more than many page queries themselves. The watchdog keeps
the running queries' deadlines in a heap and sleeps until the earliest; a query that ends
unregisters itself under the same lock the watchdog holds while it interrupts, so an
interrupt can only reach the query it was meant for, never a later query on a reused cursor.
A query wakes the watchdog only when its deadline is the earliest (not once per query): the
wake-up and the thread switch it causes were visible in a page's profile.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

MIN_PRUNE = 256
"""Finished queries' deadlines stay queued until they pass; past twice the running queries
and this many, they are dropped at once, so the queue stays bounded however busy the server."""


class Watchdog:
    """Interrupts a cursor whose query runs past its deadline (see the module doc)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._deadlines: list[tuple[float, int]] = []  # (monotonic deadline, token), a heap
        self._watched: dict[int, duckdb.DuckDBPyConnection] = {}
        self._tokens = itertools.count()
        self._thread: threading.Thread | None = None
        self._closed = False

    @contextmanager
    def watch(self, cursor: duckdb.DuckDBPyConnection, seconds: float) -> Iterator[None]:
        """Interrupt ``cursor`` if the block is still running after ``seconds``."""
        deadline = time.monotonic() + seconds
        with self._cond:
            token = next(self._tokens)
            self._watched[token] = cursor
            heap = self._deadlines
            # the watchdog sleeps until the earliest deadline: it needs waking only when this
            # one comes sooner (with one time limit for all, only when nothing else is queued)
            wake = not heap or deadline < heap[0][0]
            if len(heap) > 2 * len(self._watched) + MIN_PRUNE:
                heap[:] = [entry for entry in heap if entry[1] in self._watched]
                heapq.heapify(heap)
            heapq.heappush(heap, (deadline, token))
            if self._thread is None and not self._closed:
                self._thread = threading.Thread(
                    target=self._run, name="kaifang-query-watchdog", daemon=True
                )
                self._thread.start()
            if wake:
                self._cond.notify()
        try:
            yield
        finally:
            with self._cond:
                self._watched.pop(token, None)

    @property
    def watching(self) -> int:
        """How many queries are being watched now."""
        with self._cond:
            return len(self._watched)

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join()

    def _run(self) -> None:
        with self._cond:
            while not self._closed:
                now = time.monotonic()
                heap = self._deadlines
                while heap and (heap[0][0] <= now or heap[0][1] not in self._watched):
                    _deadline, token = heapq.heappop(heap)
                    cursor = self._watched.pop(token, None)
                    if cursor is not None:
                        _interrupt(cursor)
                self._cond.wait(heap[0][0] - now if heap else None)


def _interrupt(cursor: duckdb.DuckDBPyConnection) -> None:
    """Stop the cursor's query; a query that has just finished (or a closed cursor) is fine."""
    try:
        cursor.interrupt()
    except duckdb.Error:
        pass
