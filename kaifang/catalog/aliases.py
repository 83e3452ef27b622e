"""Former ids: ``kaifang catalog rename OLD NEW`` gives a dataset a new id and records the
old one, so that links and API calls that use it keep working (pages and the native API
redirect; the CKAN API answers the current record; see docs/api.md).

Only a dataset's id is renamed: a resource's id also names its stored files and its SQL
table, so it stays. Importers find their datasets by organization and title, not by id, so a
renamed dataset keeps receiving its source's new versions (no duplicate)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from kaifang.catalog.db import Catalog
from kaifang.catalog.identifiers import check_id
from kaifang.catalog.models import Dataset, IdAlias, Resource, Subscription
from kaifang.catalog.search import refresh_search_text
from kaifang.errors import ConflictError, NotFoundError

KINDS = ("dataset", "resource")


@dataclass(frozen=True)
class Renamed:
    """The ``--json`` object of ``kaifang catalog rename``."""

    kind: str
    old: str
    new: str


def moved_to(session: Session, kind: str, old: str) -> str | None:
    """The id now of the ``kind`` once called ``old``, if it was renamed."""
    found = session.scalar(select(IdAlias.new).where(IdAlias.kind == kind, IdAlias.old == old))
    return str(found) if found is not None else None


def id_taken(session: Session, kind: str, slug: str) -> bool:
    """Whether ``slug`` names a ``kind`` now or did before a rename (a new id never takes a
    former one, whose links redirect)."""
    model = Dataset if kind == "dataset" else Resource
    if session.scalar(select(model.id).where(model.slug == slug)) is not None:
        return True
    return moved_to(session, kind, slug) is not None


def rename_dataset(catalog: Catalog, old: str, new: str) -> Renamed:
    """Give dataset ``old`` (an id or national identifier) the id ``new`` and record the
    former id; earlier aliases of it now point to ``new`` too (no chains)."""
    wanted = check_id(new, key="new")
    with catalog.write() as session:
        dataset = session.scalar(
            select(Dataset).where(or_(Dataset.slug == old, Dataset.identifier == old.upper()))
        )
        if dataset is None:
            raise NotFoundError(
                f"dataset {old!r} does not exist",
                hint="List datasets with: kaifang datasets",
                key="dataset",
            )
        former = dataset.slug
        if former == wanted:
            return Renamed("dataset", former, wanted)
        if session.scalar(select(Dataset.id).where(Dataset.slug == wanted)) is not None:
            raise ConflictError(
                f"new: dataset id {wanted!r} is already in use", hint="Choose another id."
            )
        session.execute(
            update(IdAlias)
            .where(IdAlias.kind == "dataset", IdAlias.new == former)
            .values(new=wanted)
        )
        reused = session.scalar(
            select(IdAlias).where(IdAlias.kind == "dataset", IdAlias.old == wanted)
        )
        if reused is not None:  # renamed back: the new id is no longer a former one
            session.delete(reused)
        session.add(IdAlias(kind="dataset", old=former, new=wanted))
        session.execute(  # webhooks that follow the dataset keep following it
            update(Subscription)
            .where(Subscription.target == "dataset", Subscription.value == former)
            .values(value=wanted)
        )
        dataset.slug = wanted
        session.flush()
        refresh_search_text(dataset)
        return Renamed("dataset", former, wanted)
