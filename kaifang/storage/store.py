"""VersionStore: immutable, versioned Parquet on local disk or an S3-compatible store.

Typical publish (the caller owns version numbering and the catalog)::

    store = VersionStore(settings)
    with store.lock("theft_points"):
        version = max(store.list_versions("theft_points"), default=0) + 1
        stored = store.write_version("theft_points", version, reader, manifest)

``write_version`` does not take the lock itself (a flock is not re-entrant across open files,
so the caller's ``with store.lock(...)`` would deadlock it); call it inside one.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.dataset as pads
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from kaifang.errors import NotFoundError
from kaifang.settings import Settings
from kaifang.storage.adopt import AdoptedFile, check_adopted, stage_files
from kaifang.storage.commit import LocalStaging, ObjectStaging, Staging, conflict
from kaifang.storage.filesystem import StorageLocation, open_location
from kaifang.storage.layout import (
    MANIFEST_NAME,
    STAGING_DIR,
    check_resource_id,
    check_version,
    parse_version_dir,
    version_dir,
)
from kaifang.storage.locking import exclusive_lock
from kaifang.storage.manifest import (
    FileEntry,
    check_caller_manifest,
    complete_manifest,
    dump_manifest,
    file_entries,
    load_manifest,
)
from kaifang.storage.reuse import resolve_reuse
from kaifang.storage.staging import remove_stale_staging
from kaifang.storage.writer import VersionWriter

BeforeCommit = Callable[[pads.Dataset], Mapping[str, Any]]
"""Checks a written, not yet visible version; returns entries to add to its manifest."""

ROW_GROUP_ROWS = 122_880
ROWS_PER_FILE = 10_000_000


@dataclass(frozen=True)
class StoredVersion:
    """A committed version, as ``write_version`` wrote it."""

    resource_id: str
    version: int
    files: tuple[FileEntry, ...]
    manifest: dict[str, Any]

    @property
    def rows(self) -> int:
        return int(self.manifest["rows"])

    @property
    def bytes(self) -> int:
        return int(self.manifest["bytes"])

    @property
    def content_hash(self) -> str:
        return str(self.manifest["content_hash"])


class VersionStore:
    """Writes and reads the immutable versions of every resource (see docs/data-directory.md)."""

    def __init__(
        self,
        settings: Settings,
        *,
        row_group_rows: int = ROW_GROUP_ROWS,
        rows_per_file: int = ROWS_PER_FILE,
    ) -> None:
        self.settings = settings
        self.location: StorageLocation = open_location(settings)
        self.row_group_rows = row_group_rows
        self.rows_per_file = rows_per_file

    # -- writing -----------------------------------------------------------------------------

    def write_version(
        self,
        resource_id: str,
        version: int,
        batches: pa.RecordBatchReader,
        manifest: dict[str, Any],
        *,
        partition_by: str | None = None,
        reuse: Sequence[FileEntry] = (),
        before_commit: BeforeCommit | None = None,
    ) -> StoredVersion:
        """Stream ``batches`` into version ``version`` and make it visible at once.

        ``before_commit`` sees the written files (a dataset of the version as it will be)
        before anything is visible, and returns entries to add to the manifest; if it raises,
        nothing is committed and the staged files are removed (the publish gate uses it to
        screen exactly the bytes it would publish).

        Raises ConflictError if the version exists; ValidationError for a bad id, manifest,
        partition column or reused file. Call it inside ``with self.lock(resource_id)``.
        """
        check_resource_id(resource_id)
        check_version(version)
        check_caller_manifest(resource_id, manifest)
        if version in self.list_versions(resource_id):
            raise conflict(resource_id, version)
        staging = self._staging(resource_id, version)
        try:
            reused = self._reused(resource_id, version, reuse, batches.schema)
            writer = VersionWriter(
                batches.schema,
                staging.open_sink,
                version_dir=version_dir(version),
                partition_by=partition_by,
                row_group_rows=self.row_group_rows,
                rows_per_file=self.rows_per_file,
            )
            try:
                for batch in batches:
                    writer.write(batch)
                written = writer.finish()
            except BaseException:
                writer.abort()
                raise
            return self._commit(
                staging, resource_id, version, reused, written, manifest, before_commit
            )
        finally:
            staging.close()

    def adopt_version(
        self,
        resource_id: str,
        version: int,
        files: Sequence[AdoptedFile],
        manifest: dict[str, Any],
        *,
        source_filesystem: pafs.FileSystem | None = None,
        reuse: Sequence[FileEntry] = (),
        before_commit: BeforeCommit | None = None,
    ) -> StoredVersion:
        """Make finished Parquet ``files`` (written by another engine, e.g. Spark) version
        ``version``, with the atomicity of :meth:`write_version`.

        ``files`` are paths on ``source_filesystem`` (default: local disk) with their partition
        values, in file order. When both the sources and the store are on local disk they are
        renamed into the version's staging folder (copied if on another device) and are gone
        from their folder afterwards, whether or not the commit succeeds; otherwise they are
        copied (streamed) and left in place. Rows come from each file's footer, bytes and
        SHA-256 from one streamed read. Every file is checked before any is moved: readable
        Parquet with the first file's schema (the reused files' too), partition column inside.
        ``reuse`` and ``before_commit`` work as in :meth:`write_version`; on any failure
        nothing becomes visible and the staged files are removed.

        Raises ConflictError if the version exists; ValidationError for a bad id, manifest,
        file, schema or reused file. Call it inside ``with self.lock(resource_id)``.
        """
        check_resource_id(resource_id)
        check_version(version)
        check_caller_manifest(resource_id, manifest)
        if version in self.list_versions(resource_id):
            raise conflict(resource_id, version)
        source_fs = source_filesystem or pafs.LocalFileSystem()
        rename = self.location.is_local and isinstance(source_fs, pafs.LocalFileSystem)
        schema = check_adopted(files, source_fs)
        reused = self._reused(resource_id, version, reuse, schema)
        staging = self._staging(resource_id, version)
        try:
            adopted = stage_files(
                files,
                staging,
                version_dir=version_dir(version),
                source_fs=source_fs,
                rename=rename,
            )
            return self._commit(
                staging, resource_id, version, reused, adopted, manifest, before_commit
            )
        finally:
            staging.close()

    def _staging(self, resource_id: str, version: int) -> Staging:
        vdir = version_dir(version)
        if self.location.is_local:
            return LocalStaging(self.location, resource_id, version, vdir)
        return ObjectStaging(self.location, resource_id, version, vdir)

    def _reused(
        self, resource_id: str, version: int, reuse: Sequence[FileEntry], schema: pa.Schema
    ) -> list[FileEntry]:
        return resolve_reuse(
            resource_id,
            version,
            reuse,
            schema,
            entries_of=lambda source: self.file_entries(resource_id, source),
            schema_of=lambda path: pq.read_schema(
                self.location.path(resource_id, path), filesystem=self._fs
            ),
        )

    def _commit(
        self,
        staging: Staging,
        resource_id: str,
        version: int,
        reused: Sequence[FileEntry],
        written: Sequence[FileEntry],
        manifest: dict[str, Any],
        before_commit: BeforeCommit | None,
    ) -> StoredVersion:
        """Check the staged version (``before_commit``), then put its manifest last."""
        files = (*reused, *written)
        if before_commit is not None:
            paths = [self.location.path(resource_id, f.path) for f in reused]
            paths += [staging.staged_path(f.path) for f in written]
            staged = pads.dataset(paths, format="parquet", filesystem=self._fs)
            manifest = {**manifest, **before_commit(staged)}
        complete = complete_manifest(manifest, files)
        staging.commit(dump_manifest(complete))
        return StoredVersion(resource_id, version, files, complete)

    # -- reading -----------------------------------------------------------------------------

    @property
    def _fs(self) -> pafs.FileSystem:
        return self.location.filesystem

    def list_versions(self, resource_id: str) -> list[int]:
        """Committed versions (those with a manifest), ascending."""
        check_resource_id(resource_id)
        selector = pafs.FileSelector(self.location.path(resource_id), allow_not_found=True)
        candidates = sorted(
            number
            for info in self._fs.get_file_info(selector)
            if info.type == pafs.FileType.Directory
            and (number := parse_version_dir(info.base_name)) is not None
        )
        manifests = self._fs.get_file_info(
            [self.location.path(resource_id, version_dir(n), MANIFEST_NAME) for n in candidates]
        )
        return [
            n
            for n, info in zip(candidates, manifests, strict=True)
            if info.type == pafs.FileType.File
        ]

    def has_version(self, resource_id: str, version: int) -> bool:
        """Whether ``version`` of ``resource_id`` is committed (its manifest exists)."""
        check_resource_id(resource_id)
        path = self.location.path(resource_id, version_dir(version), MANIFEST_NAME)
        return bool(self._fs.get_file_info(path).type == pafs.FileType.File)

    def read_manifest(self, resource_id: str, version: int) -> dict[str, Any]:
        check_resource_id(resource_id)
        path = self.location.path(resource_id, version_dir(version), MANIFEST_NAME)
        try:
            with self._fs.open_input_stream(path) as stream:
                raw = stream.read()
        except FileNotFoundError:
            versions = self.list_versions(resource_id)
            raise NotFoundError(
                f"resource {resource_id!r} has no version {version}",
                hint=f"Stored versions: {', '.join(map(str, versions)) or 'none'}.",
                resource_id=resource_id,
                version=version,
            ) from None
        return load_manifest(raw, where=f"resource {resource_id!r} version {version}")

    def file_entries(self, resource_id: str, version: int) -> list[FileEntry]:
        """The version's files in order (what ``reuse`` takes)."""
        return file_entries(self.read_manifest(resource_id, version))

    def version_files(self, resource_id: str, version: int) -> list[str]:
        """Absolute local paths, or ``s3://`` URIs, of the version's Parquet files in order."""
        return [
            self.location.uri(resource_id, e.path) for e in self.file_entries(resource_id, version)
        ]

    def dataset(self, resource_id: str, version: int) -> pads.Dataset:
        """The version as a ``pyarrow.dataset.Dataset`` (scan it from DuckDB without httpfs)."""
        paths = [
            self.location.path(resource_id, e.path) for e in self.file_entries(resource_id, version)
        ]
        return pads.dataset(paths, filesystem=self._fs, format="parquet")

    def open_input(self, resource_id: str, version: int, path: str) -> pa.NativeFile:
        """A stream of one of the version's files (``path`` as the manifest lists it)."""
        if path not in {e.path for e in self.file_entries(resource_id, version)}:
            raise NotFoundError(
                f"resource {resource_id!r} version {version} has no file {path!r}",
                hint="List its files with version_files() or read_manifest().",
                resource_id=resource_id,
                version=version,
            )
        return self._fs.open_input_stream(self.location.path(resource_id, path))

    # -- locks and housekeeping ---------------------------------------------------------------

    def lock(
        self, resource_id: str, *, timeout: float | None = None
    ) -> AbstractContextManager[None]:
        """Exclusive cross-process lock of one resource, on ``<data_dir>/locks/<id>.lock``.

        It is local to this data directory even when versions live in an object store.
        """
        check_resource_id(resource_id)
        path = self.settings.data_dir / "locks" / f"{resource_id}.lock"
        return exclusive_lock(path, timeout=timeout, what=f"resource {resource_id!r}")

    def cleanup_staging(self, *, older_than: float = 3600.0) -> list[str]:
        """Remove staging folders of writers that are gone; return what was removed.

        A staging folder goes when its writer's lock is free (the writer exited or crashed),
        or when it has no lock file and is older than ``older_than`` seconds. Object stores
        have no staging. Committed versions are never touched.
        """
        if not self.location.is_local:
            return []
        base = Path(self.location.base)
        now = time.time()
        removed: list[str] = []
        for staging_root in _staging_roots(base):
            removed.extend(remove_stale_staging(staging_root, now=now, older_than=older_than))
        return removed


def _staging_roots(base: Path) -> Iterator[Path]:
    if not base.is_dir():
        return
    for resource in sorted(base.iterdir()):
        staging_root = resource / STAGING_DIR
        if staging_root.is_dir():
            yield staging_root
