"""Cross-process exclusive locks on local files (``fcntl.flock``).

A lock is held by an open file description, so the kernel releases it when the holder exits,
however it exits (``kill -9`` included): a crash never leaves a resource locked. Lock files
are never deleted, because deleting one while another process waits on it would let two
holders in.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kaifang.errors import ConflictError

POLL_SECONDS = 0.05


@contextmanager
def exclusive_lock(path: Path, *, timeout: float | None = None, what: str) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if missing) for the ``with`` block.

    Waits forever when ``timeout`` is None, else raises :class:`ConflictError` after
    ``timeout`` seconds.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _acquire(descriptor, timeout=timeout, path=path, what=what)
        try:
            yield
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)


def try_lock(path: Path) -> int | None:
    """An open descriptor holding the lock on an existing ``path``, or None if it is held."""
    try:
        descriptor = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        return None
    return descriptor


def _acquire(descriptor: int, *, timeout: float | None, path: Path, what: str) -> None:
    if timeout is None:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        return
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise ConflictError(
                    f"{what} is locked by another process (lock file {path})",
                    hint="Another publish of it is running; wait for it to finish and retry.",
                ) from None
            time.sleep(POLL_SECONDS)
