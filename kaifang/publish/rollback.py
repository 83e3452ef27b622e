"""``rollback``: make an old version current again by adding a new version whose manifest
names the old version's files (nothing is copied, nothing is deleted; history only grows)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from kaifang.catalog.datasets import find_resource
from kaifang.catalog.db import open_catalog
from kaifang.catalog.models import utcnow
from kaifang.catalog.registry import NewVersion, plan_target
from kaifang.errors import NotFoundError
from kaifang.publish.commit import commit_version
from kaifang.publish.result import PublishResult, result_for
from kaifang.settings import Settings
from kaifang.storage import VersionStore
from kaifang.storage.columns import schema_difference
from kaifang.storage.manifest import STORE_KEYS


def rollback(
    settings: Settings, resource: str, *, to: int, publisher: str | None = None
) -> PublishResult:
    """Add version ``max + 1`` of ``resource`` with the content of version ``to``."""
    store = VersionStore(settings)
    with open_catalog(settings) as catalog:
        with catalog.read() as session:
            found = find_resource(session, resource)
            slug, storage, org = found.slug, found.storage, found.dataset.organization.code
            dataset, old = (
                found.dataset.slug,
                next((v for v in found.versions if v.number == to), None),
            )
            if old is None:
                numbers = ", ".join(str(v.number) for v in found.versions) or "none"
                raise NotFoundError(
                    f"resource {slug!r} has no version {to}",
                    hint=f"Registered versions: {numbers} (see: kaifang history {slug}).",
                    key="to",
                )
            source_file, source_hash, legal_basis = (
                old.source_file,
                old.source_hash,
                old.legal_basis,
            )
            summary = dict(old.summary)
            current_fields = list(found.fields)
            target = plan_target(
                session,
                org=org,
                dataset=dataset,
                resource=slug,
                file=Path(source_file),
                title="",
                source_hash=source_hash,
            )

        def write(slug: str, number: int) -> NewVersion:
            old_manifest = store.read_manifest(slug, to)
            entries = store.file_entries(slug, to)
            schema = store.dataset(slug, to).schema if entries else pa.schema([])
            manifest = {k: v for k, v in old_manifest.items() if k not in STORE_KEYS}
            fields = list(old_manifest.get("schema", {}).get("fields", []))
            # What the rollback changes is relative to the version it replaces, not the one
            # before the restored version.
            summary["schema_change"] = schema_difference(current_fields, fields)
            manifest.update(
                created=utcnow().isoformat(),
                publisher=publisher or "",
                rollback_of=to,
                schema_change=summary["schema_change"],
            )
            stored = store.write_version(
                slug,
                number,
                pa.RecordBatchReader.from_batches(schema, []),
                manifest,
                reuse=entries,
            )
            return NewVersion(
                number=number,
                rows=stored.rows,
                publisher=publisher or "",
                source_file=source_file,
                source_hash=source_hash,
                content_hash=stored.content_hash,
                fields=fields,
                legal_basis=legal_basis,
                rollback_of=to,
                summary=summary,
            )

        commit_version(
            catalog, store, target, write, title="", metadata=None, file=Path(source_file)
        )
        return result_for(catalog, storage)
