"""Former ids: ``kaifang catalog rename OLD NEW`` gives a dataset a new id, and ``kaifang
catalog rename --resource OLD NEW`` a resource; the old id is recorded, so that links and API
calls that use it keep working (pages and the native API redirect; the CKAN API answers the
current record; the SQL sandbox still answers a resource's old table name; see docs/api.md).
Each rename is an activity of the dataset (``dataset_renamed``, ``resource_renamed``).

A resource's files are named by its storage name (``Resource.storage``), set once when it is
created, so a rename moves no file on any store: it changes catalog rows only, in one
transaction, under the resource's storage lock (a publish to it meanwhile finishes first; one
planned before the rename registers by the storage name). Importers find their datasets by
organization and title and their resources by name, not by id, so a renamed dataset or
resource keeps receiving its source's new versions (no duplicate)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.base import ExecutableOption as ORMOption

from kaifang.catalog.activity import record_activity
from kaifang.catalog.db import Catalog
from kaifang.catalog.identifiers import check_id
from kaifang.catalog.models import Dataset, IdAlias, Resource, Subscription, utcnow
from kaifang.catalog.search import refresh_search_text
from kaifang.errors import ConflictError, NotFoundError

if TYPE_CHECKING:  # the store is passed in: catalog commands do not import pyarrow
    from kaifang.storage import VersionStore

KINDS = ("dataset", "resource")
RESOURCE_KEYED_EXTRAS = ("formats",)
"""Dataset extras that map resource ids to a value; a resource rename renames their keys."""


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


def named_resource(session: Session, slug: str, *options: ORMOption) -> Resource | None:
    """The resource called ``slug`` now, else the one once called so (renamed): the SQL
    sandbox and the sources' analyses keep answering a renamed table's former name."""
    found = session.scalar(select(Resource).where(Resource.slug == slug).options(*options))
    if found is not None:
        return found
    new = moved_to(session, "resource", slug)
    if new is None:
        return None
    return session.scalar(select(Resource).where(Resource.slug == new).options(*options))


def resource_id_taken(session: Session, slug: str) -> bool:
    """Whether a new resource may not take ``slug``: a resource's id now or before a rename,
    or another resource's storage name (a new resource is stored under its id)."""
    if id_taken(session, "resource", slug):
        return True
    return session.scalar(select(Resource.id).where(Resource.storage == slug)) is not None


def _record_alias(session: Session, kind: str, former: str, wanted: str) -> None:
    """Record ``former`` as a former id of the ``kind`` now called ``wanted``; its earlier
    former ids point to ``wanted`` too (no chains), and ``wanted`` is a former id no more."""
    session.execute(
        update(IdAlias).where(IdAlias.kind == kind, IdAlias.new == former).values(new=wanted)
    )
    reused = session.scalar(select(IdAlias).where(IdAlias.kind == kind, IdAlias.old == wanted))
    if reused is not None:  # renamed back, or another's former id taken
        session.delete(reused)
    session.add(IdAlias(kind=kind, old=former, new=wanted))


def rename_dataset(catalog: Catalog, old: str, new: str, *, actor: str = "") -> Renamed:
    """Give dataset ``old`` (an id or national identifier) the id ``new``; record the former
    id and a ``dataset_renamed`` activity."""
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
        _record_alias(session, "dataset", former, wanted)
        session.execute(  # webhooks that follow the dataset keep following it
            update(Subscription)
            .where(Subscription.target == "dataset", Subscription.value == former)
            .values(value=wanted)
        )
        dataset.slug = wanted
        dataset.modified = utcnow()  # answers kept until the catalog changes are renewed
        session.flush()
        refresh_search_text(dataset)
        record_activity(session, "dataset_renamed", dataset, actor=actor, old=former, new=wanted)
        return Renamed("dataset", former, wanted)


def rename_resource(
    catalog: Catalog, store: VersionStore, old: str, new: str, *, actor: str = ""
) -> Renamed:
    """Give resource ``old`` (an id or national identifier) the id ``new`` (its URLs and SQL
    table name); record the former id and a ``resource_renamed`` activity of its dataset. Its
    files keep their storage name; a publish to it that holds its lock finishes first."""
    wanted = check_id(new, key="new")
    with catalog.read() as session:
        storage = session.scalar(
            select(Resource.storage).where(
                or_(Resource.slug == old, Resource.identifier == old.upper())
            )
        )
    if storage is None:
        raise NotFoundError(
            f"resource {old!r} does not exist",
            hint="See a dataset's resources with: kaifang show DATASET",
            key="resource",
        )
    with store.lock(storage), catalog.write() as session:
        resource = session.scalar(select(Resource).where(Resource.storage == storage))
        if resource is None:
            raise NotFoundError(f"resource {old!r} was removed meanwhile", key="resource")
        former = resource.slug
        if former == wanted:
            return Renamed("resource", former, wanted)
        if _resource_name_used(session, wanted, resource.id):
            raise ConflictError(
                f"new: resource id {wanted!r} is already in use", hint="Choose another id."
            )
        _record_alias(session, "resource", former, wanted)
        resource.slug = wanted
        dataset = resource.dataset
        _rename_extras_keys(dataset, former, wanted)
        now = utcnow()
        resource.modified = now
        dataset.modified = now
        session.flush()
        record_activity(session, "resource_renamed", dataset, actor=actor, old=former, new=wanted)
        return Renamed("resource", former, wanted)


def _resource_name_used(session: Session, slug: str, resource_id: int) -> bool:
    """Whether ``slug`` is another resource's id or storage name."""
    for column in (Resource.slug, Resource.storage):
        other = session.scalar(select(Resource.id).where(column == slug))
        if other is not None and other != resource_id:
            return True
    return False


def _rename_extras_keys(dataset: Dataset, former: str, wanted: str) -> None:
    extras = dict(dataset.extras or {})
    changed = False
    for name in RESOURCE_KEYED_EXTRAS:
        mapping = extras.get(name)
        if isinstance(mapping, dict) and former in mapping:
            extras[name] = {(wanted if k == former else k): v for k, v in mapping.items()}
            changed = True
    if changed:
        dataset.extras = extras
