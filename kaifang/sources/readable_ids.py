"""``kaifang catalog readable-ids``: give the datasets and resources that importers made before
readable ids (``t_2020``, ``etc_m03a``, ``moe_schools_all``, ``cec_2020_1a2b3c_elctks``) the
ids the importers give them today, each with its former id kept as a redirect, so that an
existing catalog converges with a new one. Running it again changes nothing.

Each registered source says, by a dataset's title, which ids it wants
(:attr:`kaifang.sources.source.Source.readable_ids`). An id is changed only when it is still
the one an importer made: a dataset or resource that someone renamed (a former id of it is
recorded) is left as it is, and a wanted id another dataset or resource holds is reported,
not taken."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from kaifang.catalog.aliases import id_taken, rename_dataset, rename_resource, resource_id_taken
from kaifang.catalog.db import Catalog
from kaifang.catalog.models import Dataset, IdAlias
from kaifang.sources.registry import SOURCES
from kaifang.sources.source import ReadableIds, Source
from kaifang.storage import VersionStore

ACTOR = "kaifang catalog readable-ids"


@dataclass(frozen=True)
class IdChange:
    """One id to change (or left, with the reason)."""

    kind: str  # dataset | resource
    old: str
    new: str
    source: str
    reason: str = ""  # why it is left as it is (empty: changed, or to change)


@dataclass
class ReadableIdsReport:
    """The ``--json`` object of ``kaifang catalog readable-ids``."""

    dry_run: bool
    renamed: list[IdChange] = field(default_factory=list)
    left: list[IdChange] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _wanted(sources: tuple[Source, ...], title: str) -> tuple[str, ReadableIds] | None:
    for source in sources:
        if source.readable_ids is not None:
            found = source.readable_ids(title)
            if found is not None:
                return source.name, found
    return None


def _renamed_before(session: Session, kind: str, slug: str) -> bool:
    """Whether someone gave the ``kind`` its id ``slug`` by a rename."""
    stmt = select(IdAlias.id).where(IdAlias.kind == kind, IdAlias.new == slug)
    return session.scalar(stmt) is not None


def plan_readable_ids(
    session: Session, sources: tuple[Source, ...] = SOURCES
) -> tuple[list[IdChange], list[IdChange]]:
    """(the changes to make, the ones left with their reason), datasets in id order, each
    dataset's resources after it."""
    changes: list[IdChange] = []
    left: list[IdChange] = []
    datasets = session.scalars(
        select(Dataset).options(selectinload(Dataset.resources)).order_by(Dataset.slug)
    ).all()
    claimed: set[tuple[str, str]] = set()  # ids earlier changes of this run take

    def consider(kind: str, old: str, new: str, source: str) -> None:
        if old == new:
            return
        change = IdChange(kind, old, new, source)
        free = not (id_taken(session, kind, new) if kind == "dataset" else resource_id_taken(
            session, new
        ))  # fmt: skip
        if _renamed_before(session, kind, old):
            left.append(IdChange(kind, old, new, source, "renamed by someone: kept"))
        elif not free or (kind, new) in claimed:
            left.append(IdChange(kind, old, new, source, f"{new!r} is taken: kept"))
        else:
            claimed.add((kind, new))
            changes.append(change)

    for dataset in datasets:
        found = _wanted(sources, dataset.title)
        if found is None:
            continue
        source, wanted = found
        consider("dataset", dataset.slug, wanted.dataset, source)
        for resource in dataset.resources:
            new = wanted.resources.get(resource.slug)
            if new is not None:
                consider("resource", resource.slug, new, source)
    return changes, left


def converge_readable_ids(
    catalog: Catalog, store: VersionStore, *, dry_run: bool = False
) -> ReadableIdsReport:
    """Plan the changes (see the module docstring) and, unless ``dry_run``, make them: each
    one a rename of its own (:mod:`kaifang.catalog.aliases`), recorded as an activity."""
    with catalog.read() as session:
        changes, left = plan_readable_ids(session)
    report = ReadableIdsReport(dry_run=dry_run, left=left)
    for change in changes:
        if not dry_run:
            if change.kind == "dataset":
                rename_dataset(catalog, change.old, change.new, actor=ACTOR)
            else:
                rename_resource(catalog, store, change.old, change.new, actor=ACTOR)
        report.renamed.append(change)
    return report
