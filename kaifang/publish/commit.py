"""``commit_version``: the one step that turns stored rows into a registered version.

Every path that creates a version (publishing a file, the importers' relations and adopted
Spark files, rollback) calls it, so they share one order of operations:

1. take the resource's storage lock (a new resource first gets a free slug, which is also its
   storage name; if another publish registered that slug meanwhile, a new one is picked). An
   existing resource is written and registered by its storage name (``Target.storage``),
   which a rename of the resource does not change;
2. take the next version number past every number the catalog or the store knows (a version
   stored by a publish that died before registering it is skipped, never overwritten);
3. let the caller write the version's files (``write``), which may decline (nothing changed);
4. in one catalog transaction, register the version, make it current and record the
   dataset's openness score for it (so no registered version lacks its score record).

A crash before the transaction commits leaves the previous version current.

:func:`kaifang.publish.relation.publish_batch` commits several resources all or none with the
same two shared steps, :func:`next_number` and :func:`register_and_score`: it takes every
resource's lock, writes every version, then registers them all in one transaction, and
records each dataset's score once, after its last version is registered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kaifang.catalog.activity import record_activity
from kaifang.catalog.db import Catalog
from kaifang.catalog.metadata import DatasetMetadata
from kaifang.catalog.models import Resource
from kaifang.catalog.registry import NewVersion, Target, new_resource_slug, register_version
from kaifang.scoring import latest_records, record_registered_version
from kaifang.storage import VersionStore

WriteStep = Callable[[str, int], NewVersion | None]
"""``write(storage, number)`` stores version ``number`` of the resource stored as ``storage``
(under its lock) and says what to register, or returns None when there is nothing new."""


@dataclass(frozen=True)
class Committed:
    """Which resource the commit step used (its storage name), and the version it registered
    (None: ``write`` declined and nothing was registered)."""

    storage: str
    version: int | None


def registered_numbers(catalog: Catalog, storage: str) -> list[int]:
    """The version numbers the catalog has registered for the resource stored as
    ``storage`` (none if new)."""
    with catalog.read() as session:
        resource = session.scalar(select(Resource).where(Resource.storage == storage))
        return [v.number for v in resource.versions] if resource is not None else []


def current_fields(catalog: Catalog, storage: str) -> tuple[int, list[dict[str, Any]]]:
    """The current version's number and the Table Schema fields (which are the current
    version's) of the resource stored as ``storage``; 0 and none before the first version."""
    with catalog.read() as session:
        resource = session.scalar(select(Resource).where(Resource.storage == storage))
        if resource is None or resource.current_version is None:
            return 0, []
        return resource.current_version, list(resource.fields)


def next_number(catalog: Catalog, store: VersionStore, storage: str) -> int:
    """The number of the next version of the resource stored as ``storage``: past every
    number the catalog registered or the store holds (a version stored by a publish that died
    is skipped, never reused). Call it under the resource's storage lock."""
    numbers = [*registered_numbers(catalog, storage), *store.list_versions(storage)]
    return max(numbers, default=0) + 1


def register_and_score(
    session: Session,
    store: VersionStore,
    target: Target,
    version: NewVersion,
    *,
    resource_slug: str,
    title: str,
    metadata: DatasetMetadata | None,
    file: Path,
    score: bool = True,
) -> Resource:
    """Register ``version`` in ``session``, make it current, record the dataset's score for
    it and the activities users follow (a new dataset, the new version, a changed score), in
    the caller's transaction. ``score=False`` leaves the score to the caller, who registers
    more versions of the same dataset in that transaction and scores it once
    (:func:`score_registered`)."""
    before_rows = _current_rows(session, target)
    dataset, registered = register_version(
        session,
        target,
        version,
        resource_slug=resource_slug,
        title=title,
        metadata=metadata,
        file=file,
    )
    actor = version.publisher
    if target.dataset is None:
        record_activity(session, "dataset_created", dataset, actor=actor, title=dataset.title)
    record_activity(
        session,
        "version_published",
        dataset,
        actor=actor,
        resource=registered.slug,
        version=version.number,
        rows=version.rows,
        row_delta=version.rows - before_rows if before_rows is not None else None,
        schema_change=version.summary.get("schema_change") or None,
        rollback_of=version.rollback_of,
    )
    if score:
        score_registered(session, store, registered, actor=actor)
    return registered


def score_registered(
    session: Session, store: VersionStore, resource: Resource, *, actor: str = ""
) -> None:
    """Record the score of ``resource``'s dataset as its current versions now stand, and a
    ``score_changed`` activity when its score or band moved."""
    session.flush()
    dataset = resource.dataset
    before = latest_records(session, [dataset.id]).get(dataset.id)
    score = record_registered_version(session, store, resource, now=datetime.now(UTC))
    band = score.band.slug if score.band is not None else None
    if before is not None and (before.score, before.band) != (score.score, band):
        record_activity(session, "score_changed", dataset, actor=actor, score=score.score,
                        band=band, previous_score=before.score,
                        previous_band=before.band)  # fmt: skip


def _current_rows(session: Session, target: Target) -> int | None:
    """The rows of the resource's current version before this commit (None: a new one)."""
    if target.resource is None:
        return None
    resource = session.scalar(select(Resource).where(Resource.storage == target.storage))
    current = resource.current if resource is not None else None
    return current.rows if current is not None else None


def commit_version(
    catalog: Catalog,
    store: VersionStore,
    target: Target,
    write: WriteStep,
    *,
    title: str,
    metadata: DatasetMetadata | None,
    file: Path,
) -> Committed:
    """Lock, number, write, register and score one new version of ``target`` (see the module
    docstring); ``title``, ``metadata`` and ``file`` go to the catalog's register step."""
    while True:
        if target.storage is not None:
            slug = target.storage
        else:
            with catalog.read() as session:
                slug = new_resource_slug(session, target, title)
        with store.lock(slug):
            if target.storage is None and registered_numbers(catalog, slug):
                continue  # another publish registered this slug meanwhile: pick another
            number = next_number(catalog, store, slug)
            version = write(slug, number)
            if version is None:
                return Committed(slug, None)
            with catalog.write() as session:
                register_and_score(
                    session,
                    store,
                    target,
                    version,
                    resource_slug=slug,
                    title=title,
                    metadata=metadata,
                    file=file,
                )
            return Committed(slug, number)
