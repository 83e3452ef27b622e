"""Heavy query work at a lower OS priority than the server's pages.

Linux keeps a nice value per thread, and a thread starts with its creator's. So a
:class:`BackgroundThreads` pool lowers each of its threads' priority as it starts; a DuckDB
database opened from one of them starts its own worker threads at that priority too, and the
queries submitted to the pool run there. The server's event loop and the threads that answer
pages keep theirs: when the two cores are busy, the scheduler serves a page before an
aggregate. A priority, once lowered, cannot be raised again without privileges, which is why
heavy work gets threads of its own instead of borrowing the server's shared pool.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

__all__ = [
    "BackgroundThreads",
    "level_threads",
    "lower_child_priority",
    "lower_priority",
]

T = TypeVar("T")


def lower_priority(increment: int) -> None:
    """Raise the calling thread's nice value by ``increment`` (0 to 19), where the OS allows;
    elsewhere, or when refused, the thread keeps its priority."""
    if increment <= 0 or not hasattr(os, "setpriority"):
        return
    tid = threading.get_native_id()
    try:
        current = os.getpriority(os.PRIO_PROCESS, tid)
        os.setpriority(os.PRIO_PROCESS, tid, min(19, current + increment))
    except OSError:
        pass


def lower_child_priority(pid: int, increment: int) -> None:
    """Give the just-started process ``pid`` (its one thread, whose later threads inherit
    it) a nice value ``increment`` above the calling thread's, where the OS allows."""
    if increment <= 0 or not hasattr(os, "setpriority"):
        return
    try:
        own = os.getpriority(os.PRIO_PROCESS, 0)
        os.setpriority(os.PRIO_PROCESS, pid, min(19, own + increment))
    except OSError:
        pass  # the process ended meanwhile, or the OS refused


def level_threads() -> None:
    """Lower every thread of this process to at least the calling thread's nice value (Linux:
    a thread started before the process was lowered, by an imported library, keeps its own)."""
    if not hasattr(os, "setpriority"):
        return
    target = os.getpriority(os.PRIO_PROCESS, 0)
    tasks = Path("/proc/self/task")
    for tid in [int(tid) for tid in os.listdir(tasks)] if tasks.is_dir() else []:
        try:
            if os.getpriority(os.PRIO_PROCESS, tid) < target:
                os.setpriority(os.PRIO_PROCESS, tid, target)
        except OSError:
            pass  # the thread ended meanwhile, or the OS refused


class BackgroundThreads:
    """``threads`` threads at ``increment`` lower priority; :meth:`run` calls a function on
    one of them and waits for its result (or exception)."""

    def __init__(self, threads: int, increment: int, *, name: str) -> None:
        self._pool = ThreadPoolExecutor(
            max_workers=max(1, threads),
            thread_name_prefix=name,
            initializer=lower_priority,
            initargs=(increment,),
        )

    def run(self, function: Callable[..., T], *args: object) -> T:
        return self._pool.submit(function, *args).result()

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
