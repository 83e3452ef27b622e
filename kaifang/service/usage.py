"""How often each resource's rows and downloads are requested, for the home page's
"most used" list and the catalog's popularity sort.

Counting is cheap: an in-process counter (a dict increment under a lock) that is flushed to
``<data_dir>/usage.json`` at most once a minute, merging with what other worker processes
flushed (under an exclusive file lock), and handed to ``sink`` (the service adds them to the
datasets' ``downloads`` in the catalog, what the database sorts on). A crash loses at most a
minute of counts; the list is a popularity hint, not an audit log.
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

FLUSH_SECONDS = 60.0
USAGE_FILE = "usage.json"


class UsageCounter:
    def __init__(
        self,
        data_dir: Path,
        *,
        flush_seconds: float = FLUSH_SECONDS,
        sink: Callable[[Counter[str]], None] | None = None,
    ) -> None:
        self.path = Path(data_dir) / USAGE_FILE
        self.flush_seconds = flush_seconds
        self.sink = sink
        self._pending: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._last_flush = time.monotonic()

    def hit(self, resource_id: str) -> None:
        with self._lock:
            self._pending[resource_id] += 1
            due = time.monotonic() - self._last_flush >= self.flush_seconds
        if due:
            self.flush()

    def _read(self) -> Counter[str]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return Counter()
        return (
            Counter({str(k): int(v) for k, v in raw.items()})
            if isinstance(raw, dict)
            else Counter()
        )

    def flush(self) -> None:
        """Add the pending counts to the file (atomically, under a lock)."""
        with self._lock:
            pending, self._pending = self._pending, Counter()
            self._last_flush = time.monotonic()
        if not pending:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_suffix(".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            total = self._read() + pending
            staging = self.path.with_suffix(".tmp")
            staging.write_text(json.dumps(dict(total)), encoding="utf-8")
            os.replace(staging, self.path)
        if self.sink is not None:
            self.sink(pending)

    def pending(self) -> Counter[str]:
        """This process's counts not flushed yet."""
        with self._lock:
            return Counter(self._pending)

    def counts(self) -> Counter[str]:
        """Flushed counts plus this process's pending ones."""
        with self._lock:
            pending = Counter(self._pending)
        return self._read() + pending
