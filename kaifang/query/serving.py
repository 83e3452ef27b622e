"""Serving copies: a large version's rows in DuckDB's own format, for fast pages.

A page of a 10-million-row version read from Parquet costs DuckDB ~3 ms (decoding the row
groups a filter touches); the same rows in a native DuckDB table ~1 ms. A serving copy is a
derived, rebuildable cache — the Parquet version stays the truth (docs/data-directory.md):

- ``<data_dir>/cache/serving/<resource>/v<NNNNNN>.duckdb``, one table ``data``, always on
  local disk (also when versions live in an object store);
- built in the background the first time a version of at least ``serving_copy_min_rows``
  rows is queried; until it is ready, queries read the Parquet;
- written to a temporary file, checked (row count), then renamed into place, under a file
  lock, so several server processes build it once and none ever sees half a copy;
- at most ``serving_copy_budget_mb`` on disk: the least recently used copies are deleted.

The engine attaches a copy read-only (kaifang.query.engine); a copy it cannot attach or whose
row count is wrong is deleted and the query reads the Parquet.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow.dataset as pa_dataset

from kaifang.errors import StoredDataError
from kaifang.settings import Settings
from kaifang.sqlutil import quote_literal
from kaifang.storage.layout import version_dir
from kaifang.storage.locking import try_lock
from kaifang.storage.scan import parquet_scan_sql

log = logging.getLogger(__name__)

SERVING_TABLE = "data"
"""The one table of a serving copy."""
RETRY_SECONDS = 5.0
"""How long a process waits before trying again a copy another process was building."""
TOUCH_SECONDS = 60.0
"""A copy's modification time (its recency for eviction) is refreshed at most this often."""


@dataclass(frozen=True)
class ServingCopy:
    """A version's rows in the DuckDB file ``path``; ``fallback`` is its Parquet source."""

    path: str
    rows: int
    fallback: Sequence[str] | pa_dataset.Dataset


def serving_root(settings: Settings) -> Path:
    return settings.data_dir / "cache" / "serving"


def copy_path(settings: Settings, resource_id: str, version: int) -> Path:
    return serving_root(settings) / resource_id / f"{version_dir(version)}.duckdb"


def build_copy(
    settings: Settings,
    resource_id: str,
    version: int,
    source: Sequence[str] | pa_dataset.Dataset,
    *,
    rows: int,
) -> Path | None:
    """Write the serving copy of a version unless it exists; the path, or None when another
    process holds the build lock (it is building the same copy)."""
    final = copy_path(settings, resource_id, version)
    if final.exists():
        return final
    lock_path = serving_root(settings) / ".locks" / f"{resource_id}.{version_dir(version)}.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    lock_path.touch(exist_ok=True)
    descriptor = try_lock(lock_path)
    if descriptor is None:
        return None
    try:
        if final.exists():  # built by another process while we waited for the lock
            return final
        final.parent.mkdir(parents=True, exist_ok=True)
        temporary = final.with_name(f".{final.name}.{os.getpid()}.tmp")
        try:
            _write(settings, temporary, source, rows=rows, where=f"{resource_id} v{version}")
            os.replace(temporary, final)
        finally:
            for leftover in (temporary, Path(f"{temporary}.wal")):
                leftover.unlink(missing_ok=True)
        return final
    finally:
        os.close(descriptor)


def _write(
    settings: Settings,
    target: Path,
    source: Sequence[str] | pa_dataset.Dataset,
    *,
    rows: int,
    where: str,
) -> None:
    target.unlink(missing_ok=True)
    con = duckdb.connect(
        str(target),
        config={
            "threads": 1,  # a background job: leave the cores to the queries
            "memory_limit": settings.query_memory_limit,
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
            "python_enable_replacements": False,
        },
    )
    try:
        if isinstance(source, pa_dataset.Dataset):
            con.register("source", source)
            scan = "source"
        else:
            scan = parquet_scan_sql(list(source))
        con.execute(f"CREATE TABLE {SERVING_TABLE} AS SELECT * FROM {scan}")
        counted = con.execute(f"SELECT count(*) FROM {SERVING_TABLE}").fetchone()
        if counted is None or counted[0] != rows:
            raise StoredDataError(
                f"the serving copy of {where} has {counted and counted[0]} rows, the version "
                f"{rows}",
                hint="The version's manifest and files disagree: check the stored version.",
            )
        con.execute("CHECKPOINT")
    finally:
        con.close()
    with open(target, "rb+") as written:
        os.fsync(written.fileno())


def evict(settings: Settings, *, keep: Path | None = None) -> list[Path]:
    """Delete the least recently used copies (oldest modification time first) until all fit
    in ``serving_copy_budget_mb``; ``keep`` goes last. The deleted paths."""
    budget = settings.serving_copy_budget_mb * 2**20
    copies: list[tuple[float, int, Path]] = []
    for path in serving_root(settings).glob("*/*.duckdb"):
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue
        copies.append((stat.st_mtime, stat.st_size, path))
    copies.sort(key=lambda item: (item[2] == keep, item[0]))
    total = sum(size for _, size, _ in copies)
    deleted: list[Path] = []
    for _, size, path in copies:
        if total <= budget:
            break
        path.unlink(missing_ok=True)
        deleted.append(path)
        total -= size
    return deleted


class ServingCopies:
    """A server's view of the serving copies: which are ready, and background builds."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._ready: dict[tuple[str, int], ServingCopy] = {}
        self._touched: dict[str, float] = {}
        self._pending: set[tuple[str, int]] = set()
        self._not_before: dict[tuple[str, int], float] = {}
        self._builder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kaifang-serving")

    def source(
        self,
        resource_id: str,
        version: int,
        source: Sequence[str] | pa_dataset.Dataset,
        *,
        rows: int,
    ) -> Sequence[str] | pa_dataset.Dataset | ServingCopy:
        """The version's serving copy when it is ready, else ``source`` (a build is started
        when the version is large enough and copies are on)."""
        if not self.settings.serving_copies or rows < self.settings.serving_copy_min_rows:
            return source
        key = (resource_id, version)
        with self._lock:
            ready = self._ready.get(key)
        if ready is not None:
            self._touch(ready.path)
            return ready
        path = copy_path(self.settings, resource_id, version)
        if path.exists():  # built earlier, or by another process
            copy = ServingCopy(str(path), rows, source)
            with self._lock:
                self._ready[key] = copy
            return copy
        self._start_build(key, source, rows)
        return source

    def discard(self, copy: ServingCopy) -> None:
        """Forget and delete a copy the engine could not use; the next query rebuilds it."""
        with self._lock:
            for key, known in list(self._ready.items()):
                if known.path == copy.path:
                    del self._ready[key]
        log.warning("serving copy %s is unusable; deleted, queries read the Parquet", copy.path)
        Path(copy.path).unlink(missing_ok=True)

    def wait(self, timeout: float = 60.0) -> None:
        """Block until no build is queued or running (for tests and benchmarks)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if not self._pending:
                    return
            time.sleep(0.01)

    def close(self) -> None:
        self._builder.shutdown(wait=True, cancel_futures=True)

    def _touch(self, path: str) -> None:
        now = time.monotonic()
        with self._lock:
            if now - self._touched.get(path, 0.0) < TOUCH_SECONDS:
                return
            self._touched[path] = now
        try:
            os.utime(path)
        except FileNotFoundError:
            pass  # evicted by another process: the engine falls back when it cannot attach

    def _start_build(
        self, key: tuple[str, int], source: Sequence[str] | pa_dataset.Dataset, rows: int
    ) -> None:
        now = time.monotonic()
        with self._lock:
            if key in self._pending or now < self._not_before.get(key, 0.0):
                return
            self._pending.add(key)
        try:
            self._builder.submit(self._build, key, source, rows)
        except RuntimeError:  # shut down
            with self._lock:
                self._pending.discard(key)

    def _build(
        self, key: tuple[str, int], source: Sequence[str] | pa_dataset.Dataset, rows: int
    ) -> None:
        resource_id, version = key
        try:
            path = build_copy(self.settings, resource_id, version, source, rows=rows)
            if path is None:  # another process is building it; look again later
                self._retry_after(key, RETRY_SECONDS)
                return
            for deleted in evict(self.settings, keep=path):
                self._forget(str(deleted))
            if path.exists():
                with self._lock:
                    self._ready[key] = ServingCopy(str(path), rows, source)
            else:  # larger than the whole budget on its own: serve from Parquet
                self._retry_after(key, float("inf"))
        except Exception as error:  # a failed cache build must never fail a query
            log.warning("could not build the serving copy of %s v%s: %s", *key, error)
            self._retry_after(key, 300.0)
        finally:
            with self._lock:
                self._pending.discard(key)

    def _retry_after(self, key: tuple[str, int], seconds: float) -> None:
        with self._lock:
            self._not_before[key] = time.monotonic() + seconds

    def _forget(self, path: str) -> None:
        with self._lock:
            for key, known in list(self._ready.items()):
                if known.path == path:
                    del self._ready[key]


def attach_sql(path: str, alias: str) -> str:
    """The read-only ATTACH of a serving copy (run by the engine, never by users' SQL)."""
    return f"ATTACH {quote_literal(path)} AS {alias} (READ_ONLY)"


def copy_alias(path: str) -> str:
    """The name a copy is attached under: fixed per file, not guessable from users' SQL
    (which cannot name attached databases anyway: the guard accepts resource names only)."""
    return "kaifang_serving_" + hashlib.sha256(path.encode()).hexdigest()[:20]
