"""The manifest of a version: the caller's metadata plus what the store adds.

The caller supplies the description of the data (schema with descriptions, source file name
and hash, created, publisher, reading notes and problems, screening summary). The store adds
:data:`STORE_KEYS`:

- ``files``: one :class:`FileEntry` per Parquet file, in file order;
- ``rows`` and ``bytes``: totals over ``files``;
- ``content_hash``: ``sha256:<hex>`` of the Parquet bytes in file order, computed as the
  SHA-256 of the files' own SHA-256 digests (hex, one per line, in file order) so that a
  version reusing earlier files does not read them again;
- ``format_version``: :data:`FORMAT_VERSION`, raised when the layout or these keys change.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kaifang.errors import ValidationError

FORMAT_VERSION = 1
STORE_KEYS = ("files", "rows", "bytes", "content_hash", "format_version")


@dataclass(frozen=True)
class FileEntry:
    """One Parquet file of a version; ``path`` is relative to the resource folder."""

    path: str
    rows: int
    bytes: int
    sha256: str
    partition: Mapping[str, str | None] | None = field(default=None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "rows": self.rows,
            "bytes": self.bytes,
            "sha256": self.sha256,
            "partition": dict(self.partition) if self.partition is not None else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FileEntry:
        partition = data.get("partition")
        return cls(
            path=str(data["path"]),
            rows=int(data["rows"]),
            bytes=int(data["bytes"]),
            sha256=str(data["sha256"]),
            partition=dict(partition) if partition is not None else None,
        )


def content_hash(files: Sequence[FileEntry]) -> str:
    digest = hashlib.sha256()
    for entry in files:
        digest.update(f"{entry.sha256}\n".encode())
    return f"sha256:{digest.hexdigest()}"


def check_caller_manifest(resource_id: str, manifest: Mapping[str, Any]) -> None:
    """Refuse keys that the store owns and content that JSON cannot hold, before any write."""
    taken = sorted(key for key in STORE_KEYS if key in manifest)
    if taken:
        raise ValidationError(
            f"resource {resource_id!r}: the manifest already has {', '.join(taken)}",
            hint=f"The store adds {', '.join(STORE_KEYS)}; leave them out of the manifest.",
            key=taken[0],
        )
    try:
        json.dumps(manifest, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise ValidationError(
            f"resource {resource_id!r}: the manifest is not plain JSON ({error})",
            hint="Convert dates to ISO 8601 strings and paths to str before publishing.",
        ) from None


def complete_manifest(manifest: Mapping[str, Any], files: Sequence[FileEntry]) -> dict[str, Any]:
    """The caller's manifest with :data:`STORE_KEYS` added."""
    return {
        **manifest,
        "files": [entry.to_dict() for entry in files],
        "rows": sum(entry.rows for entry in files),
        "bytes": sum(entry.bytes for entry in files),
        "content_hash": content_hash(files),
        "format_version": FORMAT_VERSION,
    }


def dump_manifest(manifest: Mapping[str, Any]) -> bytes:
    return (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def load_manifest(raw: bytes, *, where: str) -> dict[str, Any]:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValidationError(
            f"{where}: manifest.json is not valid JSON ({error})",
            hint="The version is damaged; restore the file from a backup.",
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("files"), list):
        raise ValidationError(
            f"{where}: manifest.json has no 'files' list",
            hint="The version is damaged; restore the file from a backup.",
        )
    return data


def file_entries(manifest: Mapping[str, Any]) -> list[FileEntry]:
    return [FileEntry.from_dict(item) for item in manifest["files"]]
