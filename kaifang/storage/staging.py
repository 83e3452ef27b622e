"""Removing what crashed local writers left in ``<resource>/_staging/``."""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from kaifang.storage.locking import try_lock


def remove_stale_staging(staging_root: Path, *, now: float, older_than: float) -> list[str]:
    """Remove the staging folders under ``staging_root`` whose writer is gone.

    A writer takes ``<uuid>.lock`` before it creates its ``<uuid>/`` folder and holds it
    while it lives; the kernel frees the lock when the writer dies, so a folder whose lock is
    free is an orphan. A folder without lock file, and a lock file without folder, go once
    they are older than ``older_than`` seconds.
    """
    removed: list[str] = []
    for folder in sorted(p for p in staging_root.iterdir() if p.is_dir()):
        lock_path = staging_root / f"{folder.name}.lock"
        descriptor = try_lock(lock_path)
        if descriptor is not None:
            try:
                shutil.rmtree(folder, ignore_errors=True)
                _unlink(lock_path)
            finally:
                os.close(descriptor)
            removed.append(str(folder))
        elif not lock_path.exists() and _age(folder, now) > older_than:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(str(folder))
    for lock_path in staging_root.glob("*.lock"):
        if not (staging_root / lock_path.stem).exists() and _age(lock_path, now) > older_than:
            descriptor = try_lock(lock_path)
            if descriptor is not None:
                _unlink(lock_path)
                os.close(descriptor)
    return removed


def _age(path: Path, now: float) -> float:
    try:
        return now - path.stat().st_mtime
    except FileNotFoundError:  # its writer finished meanwhile
        return 0.0


def _unlink(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
