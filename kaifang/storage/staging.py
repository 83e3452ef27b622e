"""Removing what crashed local writers left in ``<resource>/_staging/``."""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from kaifang.storage.locking import try_lock


def remove_stale_staging(staging_root: Path, *, now: float, older_than: float) -> list[str]:
    """Remove the staging folders under ``staging_root`` whose writer is gone.

    A writer holds ``<uuid>.lock`` beside its ``<uuid>/`` folder while it lives; the kernel
    frees the lock when the writer dies. A folder whose lock file is missing (the writer died
    before taking it) goes once it is older than ``older_than`` seconds.
    """
    removed: list[str] = []
    for folder in sorted(p for p in staging_root.iterdir() if p.is_dir()):
        lock_path = staging_root / f"{folder.name}.lock"
        descriptor = try_lock(lock_path)
        if descriptor is not None:
            try:
                shutil.rmtree(folder, ignore_errors=True)
                with contextlib.suppress(FileNotFoundError):
                    lock_path.unlink()
            finally:
                os.close(descriptor)
            removed.append(str(folder))
        elif not lock_path.exists() and now - folder.stat().st_mtime > older_than:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(str(folder))
    for lock_path in staging_root.glob("*.lock"):  # locks whose folder is already gone
        if not (staging_root / lock_path.stem).exists():
            descriptor = try_lock(lock_path)
            if descriptor is not None:
                with contextlib.suppress(FileNotFoundError):
                    lock_path.unlink()
                os.close(descriptor)
    return removed
