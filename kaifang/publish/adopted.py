"""``publish_files``: publish Parquet files another engine (Spark) already wrote, partitioned
and sorted, without reading their rows on this machine.

The catalog guarantees are :func:`kaifang.publish.relation.publish_relation`'s (shared code,
and :mod:`kaifang.publish.commit`: version numbering under the resource's storage lock, one
catalog transaction, the score record); only the storing differs: the files of new or changed
partitions are adopted by :meth:`kaifang.storage.VersionStore.adopt_version` (moved into the
version when the store is on local disk, copied into an object store), those of unchanged
partitions are reused from the current version, and the files written for them are left where
they are (the caller's work folder goes with them).

The writer supplies the per-partition fingerprints. They are compared as opaque strings, so
a scheme that differs from DuckDB's (see :mod:`kaifang.sources.freeway.spark_files`) makes every
partition count as changed when engines alternate, never wrongly reused.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow.parquet as pq

from kaifang.errors import ValidationError
from kaifang.publish.relation import (
    BatchItem,
    RelationPublishResult,
    RelationSpec,
    check_fields,
    publish_partitions,
)
from kaifang.settings import Settings
from kaifang.storage import AdoptedFile, FileEntry, StoredVersion, VersionStore
from kaifang.storage.layout import NULL_PARTITION


@dataclass(frozen=True)
class PartitionedFiles:
    """Finished Parquet files with their partition values, in file order, and a fingerprint
    per partition value (``"*"`` when not partitioned); ``source_format`` names the writer."""

    files: Sequence[AdoptedFile]
    fingerprints: Mapping[str, str]
    source_format: str


def partition_key(adopted: AdoptedFile, by: str | None) -> str:
    """The fingerprint key of a file: its partition value (NULL as Hive names it), or "*"."""
    if by is None:
        return "*"
    value = (adopted.partition or {}).get(by)
    return NULL_PARTITION if value is None else value


def publish_files(
    settings: Settings, written: PartitionedFiles, spec: RelationSpec
) -> RelationPublishResult:
    """Publish ``written`` as the next version of ``spec.resource`` (see the module
    docstring); ``spec.order_by`` records how the writer sorted each partition."""
    item = files_item(written, spec)
    return publish_partitions(
        settings, spec, item.prints, item.write, source_format=item.source_format
    )


def files_item(written: PartitionedFiles, spec: RelationSpec) -> BatchItem:
    """Check ``written`` against ``spec``, ready to publish (alone or in a batch)."""
    if not written.files:
        raise ValidationError(
            f"resource {spec.resource!r}: no files to publish",
            hint="The writer produced no rows; check its input.",
        )
    check_fields(spec, list(pq.read_schema(written.files[0].source).names))
    by = spec.partition_by
    for adopted in written.files:
        value = partition_key(adopted, by)
        if (by is not None and set(adopted.partition or {}) != {by}) or (
            value not in written.fingerprints
        ):
            raise ValidationError(
                f"resource {spec.resource!r}: {adopted.source} has partition "
                f"{adopted.partition!r} without a fingerprint, or not by {by!r}",
                hint="Give every file its partition value and every value a fingerprint.",
                key="partition",
            )

    def adopt(
        store: VersionStore,
        slug: str,
        number: int,
        manifest: dict[str, Any],
        reuse: list[FileEntry],
        changed: list[str],
    ) -> StoredVersion:
        wanted = set(changed)
        files = [f for f in written.files if by is None or partition_key(f, by) in wanted]
        return store.adopt_version(slug, number, files, manifest, reuse=reuse)

    return BatchItem(spec, written.fingerprints, adopt, written.source_format)
