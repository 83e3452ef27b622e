"""How a version's files become visible all at once.

- Local disk (:class:`LocalStaging`): files are written into
  ``<resource>/_staging/<uuid>/``, each fsynced, then ``manifest.json``; the folders are
  fsynced and the staging folder is renamed to ``v<NNNNNN>`` (a POSIX rename of a folder is
  atomic), then the resource folder is fsynced. ``<resource>/_staging/<uuid>.lock`` is held
  while the writer lives, so :func:`kaifang.storage.store.VersionStore.cleanup_staging`
  knows an orphan from a live write.
- Object store (:class:`ObjectStaging`): files are uploaded under the final prefix and
  ``manifest.json`` is put last (one PUT appears atomically); a version without its manifest
  does not exist for readers.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import uuid
from pathlib import Path
from typing import Protocol

import pyarrow.fs as pafs

from kaifang.errors import ConflictError, ValidationError
from kaifang.storage.filesystem import StorageLocation
from kaifang.storage.layout import MANIFEST_NAME, STAGING_DIR
from kaifang.storage.writer import HashingSink


class Staging(Protocol):
    def open_sink(self, relative: str) -> HashingSink: ...
    def staged_path(self, relative: str) -> str: ...
    def commit(self, manifest: bytes) -> None: ...
    def close(self) -> None: ...


def conflict(resource_id: str, version: int) -> ConflictError:
    return ConflictError(
        f"resource {resource_id!r} already has version {version}",
        hint="Committed versions are never overwritten; write the next version number.",
        resource_id=resource_id,
        version=version,
    )


def fsync_dir(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


class LocalStaging:
    def __init__(self, location: StorageLocation, resource_id: str, version: int, vdir: str):
        self._resource_id, self._version, self._vdir = resource_id, version, vdir
        self._resource_root = Path(location.path(resource_id))
        self._base = Path(location.base)
        staging_root = self._resource_root / STAGING_DIR
        self._final = self._resource_root / vdir
        if self._final.exists():
            raise self._conflict()
        staging_root.mkdir(parents=True, exist_ok=True)
        token = uuid.uuid4().hex
        self._lock_path = staging_root / f"{token}.lock"
        # Lock before the folder exists, so a folder whose lock is free has no live writer.
        self._lock_descriptor = os.open(self._lock_path, os.O_RDWR | os.O_CREAT | os.O_EXCL)
        fcntl.flock(self._lock_descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self.directory = staging_root / token
        self.directory.mkdir()
        self._committed = False

    def _conflict(self) -> ConflictError:
        if (self._final / MANIFEST_NAME).exists():
            return conflict(self._resource_id, self._version)
        return ConflictError(
            f"resource {self._resource_id!r}: folder {self._final} exists but has no "
            f"manifest, so it is no version and blocks version {self._version}",
            hint="Nothing kaifang writes looks like this; move the folder out of the tables "
            "directory, then publish again.",
            resource_id=self._resource_id,
            version=self._version,
        )

    def staged_path(self, relative: str) -> str:
        """Where the file ``relative`` (to the resource folder) is until the commit."""
        return str(self.directory / relative.removeprefix(f"{self._vdir}/"))

    def open_sink(self, relative: str) -> HashingSink:
        path = Path(self.staged_path(relative))
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = path.open("xb")

        def sync() -> None:
            handle.flush()
            os.fsync(handle.fileno())

        return HashingSink(handle, before_close=sync)

    def commit(self, manifest: bytes) -> None:
        with (self.directory / MANIFEST_NAME).open("xb") as handle:
            handle.write(manifest)
            handle.flush()
            os.fsync(handle.fileno())
        for folder, _, _ in os.walk(self.directory, topdown=False):
            fsync_dir(Path(folder))
        if self._final.exists():
            raise self._conflict()
        try:
            os.rename(self.directory, self._final)
        except OSError as error:
            if error.errno in {errno.EEXIST, errno.ENOTEMPTY}:
                raise self._conflict() from None
            raise
        self._committed = True
        fsync_dir(self._resource_root)
        fsync_dir(self._base)

    def close(self) -> None:
        if not self._committed:
            shutil.rmtree(self.directory, ignore_errors=True)
        with contextlib.suppress(FileNotFoundError):
            self._lock_path.unlink()
        os.close(self._lock_descriptor)


class ObjectStaging:
    def __init__(self, location: StorageLocation, resource_id: str, version: int, vdir: str):
        self._location, self._resource_id, self._version = location, resource_id, version
        self._fs: pafs.FileSystem = location.filesystem
        self._prefix = location.path(resource_id, vdir)
        self._manifest_path = f"{self._prefix}/{MANIFEST_NAME}"
        bucket = location.base.split("/")[0]
        if self._fs.get_file_info(bucket).type == pafs.FileType.NotFound:
            raise ValidationError(
                f"bucket {bucket!r} does not exist in the object store",
                hint="kaifang does not create buckets: create it with the store's own tools, "
                "or fix storage_url.",
                key="storage_url",
            )
        self._remove_crashed_attempt()
        self._written: list[str] = []
        self._committed = False

    def _remove_crashed_attempt(self) -> None:
        """Objects under a prefix without manifest are a crashed attempt, not a version.

        A manifest anywhere in the listing means the version exists: nothing is deleted.
        """
        selector = pafs.FileSelector(self._prefix, recursive=True, allow_not_found=True)
        leftovers = [info for info in self._fs.get_file_info(selector) if info.is_file]
        if any(info.path == self._manifest_path for info in leftovers):
            raise conflict(self._resource_id, self._version)
        for info in leftovers:
            self._fs.delete_file(info.path)

    def _manifest_exists(self) -> bool:
        info = self._fs.get_file_info(self._manifest_path)
        return bool(info.type == pafs.FileType.File)

    def staged_path(self, relative: str) -> str:
        """Files go to their final keys at once: the missing manifest hides them."""
        return self._location.path(self._resource_id, relative)

    def open_sink(self, relative: str) -> HashingSink:
        path = self.staged_path(relative)
        self._written.append(path)
        return HashingSink(self._fs.open_output_stream(path))

    def commit(self, manifest: bytes) -> None:
        if self._manifest_exists():
            raise conflict(self._resource_id, self._version)
        with self._fs.open_output_stream(self._manifest_path) as stream:
            stream.write(manifest)
        self._committed = True

    def close(self) -> None:
        if self._committed or self._manifest_exists():
            return  # never touch a committed version, ours or (after a conflict) another's
        for path in self._written:
            with contextlib.suppress(OSError):
                self._fs.delete_file(path)
