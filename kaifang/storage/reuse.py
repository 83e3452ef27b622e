"""Checking the files a new version reuses from earlier versions (nothing is copied)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pyarrow as pa

from kaifang.errors import ValidationError
from kaifang.storage.layout import check_entry_path
from kaifang.storage.manifest import FileEntry


def resolve_reuse(
    resource_id: str,
    version: int,
    reuse: Sequence[FileEntry],
    schema: pa.Schema,
    *,
    entries_of: Callable[[int], list[FileEntry]],
    schema_of: Callable[[str], pa.Schema],
) -> list[FileEntry]:
    """The stored entries for ``reuse``, in the given order.

    Each must be a file of an earlier committed version, listed in its manifest (its stored
    entry, not the caller's copy, goes into the new manifest), reused once, with the schema
    of the new rows (checked on one file per source version; a version has one schema).
    """
    entries: list[FileEntry] = []
    taken: set[str] = set()
    known: dict[int, dict[str, FileEntry]] = {}
    for wanted in reuse:
        source = check_entry_path(resource_id, wanted.path)
        if source >= version:
            raise ValidationError(
                f"resource {resource_id!r} version {version} cannot reuse {wanted.path!r}",
                hint="Only files of earlier versions can be reused.",
                key="reuse",
            )
        if source not in known:
            known[source] = {entry.path: entry for entry in entries_of(source)}
            if known[source]:
                _check_schema(resource_id, next(iter(known[source])), schema, schema_of)
        stored = known[source].get(wanted.path)
        if stored is None:
            raise ValidationError(
                f"resource {resource_id!r} version {source} has no file {wanted.path!r}",
                hint="Reuse entries exactly as file_entries() returns them.",
                key="reuse",
            )
        if stored.path in taken:
            raise ValidationError(
                f"resource {resource_id!r}: {wanted.path!r} is reused twice",
                hint="List each reused file once.",
                key="reuse",
            )
        entries.append(stored)
        taken.add(stored.path)
    return entries


def _check_schema(
    resource_id: str, path: str, schema: pa.Schema, schema_of: Callable[[str], pa.Schema]
) -> None:
    old = schema_of(path)
    if not old.equals(schema, check_metadata=False):
        raise ValidationError(
            f"resource {resource_id!r}: reused file {path!r} has another schema than the new rows",
            hint=f"Reused files must match the new schema.\nOld: {old}\nNew: {schema}",
            key="reuse",
        )
