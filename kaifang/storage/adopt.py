"""Taking Parquet files another writer produced (e.g. Spark) into a version's staging area.

Each file is moved (a rename, when the source and the store are the same local filesystem)
or copied through a hashing sink (any other case, e.g. local files into an object store);
its rows come from the Parquet footer, its bytes and SHA-256 from one streamed read. Every
file must have the first file's schema. What happens to the staged files afterwards (the
commit, or their removal on failure) is :mod:`kaifang.storage.commit`'s business.
"""

from __future__ import annotations

import errno
import hashlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from kaifang.errors import ValidationError
from kaifang.storage.commit import Staging
from kaifang.storage.layout import part_name, partition_dir
from kaifang.storage.manifest import FileEntry

CHUNK_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class AdoptedFile:
    """A finished Parquet file to adopt: ``source`` is a path on the source filesystem
    (local by default), ``partition`` its ``{column: value}`` (``None``: not partitioned)."""

    source: str
    partition: Mapping[str, str | None] | None = field(default=None)


def check_adopted(files: Sequence[AdoptedFile], source_fs: pafs.FileSystem) -> pa.Schema:
    """The schema of ``files``, after checking every one is readable Parquet with the first
    file's schema and its partition column inside (nothing is moved yet)."""
    if not files:
        raise ValidationError(
            "no files to adopt",
            hint="Pass at least one Parquet file (a version with no rows has one empty file).",
            key="files",
        )
    schema = _read_schema(files[0], source_fs)
    for adopted in files:
        _check_file(adopted, schema, source_fs)
        _directory(adopted.partition)
    return schema


def stage_files(
    files: Sequence[AdoptedFile],
    staging: Staging,
    *,
    version_dir: str,
    source_fs: pafs.FileSystem,
    rename: bool,
) -> list[FileEntry]:
    """Stage ``files`` (checked by :func:`check_adopted`) in order under ``version_dir`` and
    return their entries. Files of one partition are numbered ``part-0``, ``part-1``… in the
    order given. With ``rename`` (local source, local store) the sources are moved, so they
    are gone from the source folder afterwards whatever the outcome of the commit.
    """
    next_index: dict[str, int] = {}
    entries: list[FileEntry] = []
    for adopted in files:
        directory = _directory(adopted.partition)
        index = next_index.get(directory, 0)
        next_index[directory] = index + 1
        relative = "/".join(p for p in (version_dir, directory, part_name(index)) if p)
        rows = int(pq.read_metadata(adopted.source, filesystem=source_fs).num_rows)
        size, digest = (
            _move(adopted.source, staging.staged_path(relative))
            if rename
            else _copy(adopted.source, source_fs, staging, relative)
        )
        entries.append(
            FileEntry(
                path=relative,
                rows=rows,
                bytes=size,
                sha256=digest,
                partition=dict(adopted.partition) if adopted.partition is not None else None,
            )
        )
    return entries


def _directory(partition: Mapping[str, str | None] | None) -> str:
    if partition is None:
        return ""
    if len(partition) != 1:
        raise ValidationError(
            f"a file's partition {dict(partition)!r} must name exactly one column",
            hint="Versions are partitioned by one column, e.g. {'Date': '2024-03-25'}.",
            key="partition",
        )
    ((column, value),) = partition.items()
    return partition_dir(column, value)


def _read_schema(adopted: AdoptedFile, source_fs: pafs.FileSystem) -> pa.Schema:
    try:
        return pq.read_schema(adopted.source, filesystem=source_fs)
    except (OSError, pa.ArrowInvalid) as error:
        raise ValidationError(
            f"cannot read the Parquet schema of {adopted.source}: {error}",
            hint="Adopt only finished Parquet files (the writer's job must have succeeded).",
            key="files",
        ) from None


def _check_file(adopted: AdoptedFile, schema: pa.Schema, source_fs: pafs.FileSystem) -> None:
    own = _read_schema(adopted, source_fs)
    if not own.equals(schema, check_metadata=False):
        raise ValidationError(
            f"{adopted.source} has another schema than the first file",
            hint=f"All files of a version share one schema.\nFirst: {schema}\nThis: {own}",
            key="files",
        )
    if adopted.partition is not None:
        for column in adopted.partition:
            if schema.get_field_index(column) < 0:
                raise ValidationError(
                    f"{adopted.source} is partitioned by {column!r} but has no such column",
                    hint="The partition column stays inside the files; write it there too.",
                    key="partition",
                )


def _move(source: str, target: str) -> tuple[int, str]:
    """Rename ``source`` to ``target`` (a copy when they are on different devices), fsync
    it, and return its size and SHA-256."""
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    try:
        os.rename(source, target)
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        return _copy_local(source, target)
    digest = hashlib.sha256()
    size = 0
    with open(target, "rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            digest.update(chunk)
            size += len(chunk)
        os.fsync(handle.fileno())
    return size, digest.hexdigest()


def _copy_local(source: str, target: str) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with open(source, "rb") as reader, open(target, "xb") as writer:
        while chunk := reader.read(CHUNK_BYTES):
            digest.update(chunk)
            size += len(chunk)
            writer.write(chunk)
        writer.flush()
        os.fsync(writer.fileno())
    os.unlink(source)
    return size, digest.hexdigest()


def _copy(
    source: str, source_fs: pafs.FileSystem, staging: Staging, relative: str
) -> tuple[int, str]:
    sink = staging.open_sink(relative)
    try:
        with source_fs.open_input_stream(source) as stream:
            while chunk := stream.read(CHUNK_BYTES):
                sink.write(chunk)
    except BaseException:
        sink.discard()
        raise
    sink.close()
    return sink.size, sink.sha256
