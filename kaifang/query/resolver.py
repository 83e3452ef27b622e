"""Table names in SQL -> Parquet files: a resource id means its current version,
``<resource>__v<N>`` a pinned registered version, ``information_schema.tables`` and
``.columns`` the published tables and their columns (kaifang.query.information_schema).
A renamed resource's former id still names it (information_schema lists only the id now);
its files are found by its storage name, which a rename does not change.
This is the ``resolver`` that ``kaifang.query.run_sql(sql, *, resolver, settings)`` takes."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pyarrow.dataset as pads
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from kaifang.catalog.aliases import moved_to
from kaifang.catalog.db import Catalog
from kaifang.catalog.models import Resource, Version
from kaifang.errors import NotFoundError, StoredDataError
from kaifang.query.information_schema import NAMES, information_schema_source
from kaifang.query.serving import ServingCopies, ServingCopy
from kaifang.storage import VersionStore

Resolver = Callable[[str], "list[str] | pads.Dataset | ServingCopy | None"]
"""Local versions resolve to their Parquet files; an object store's to a pyarrow Dataset,
which DuckDB and Spark scan without file access of their own; a large version may resolve to
its serving copy (kaifang.query.serving)."""
PINNED = re.compile(r"^(?P<resource>[a-z][a-z0-9_]*?)__v(?P<version>\d+)$")


def parse_table_name(name: str) -> tuple[str, int | None]:
    """``theft`` -> (``theft``, None); ``theft__v2`` -> (``theft``, 2)."""
    lowered = name.strip().lower()
    match = PINNED.match(lowered)
    if match is None:
        return lowered, None
    return match["resource"], int(match["version"])


def catalog_resolver(
    catalog: Catalog, store: VersionStore, *, serving: ServingCopies | None = None
) -> Resolver:
    """The resolver over the catalog; with ``serving``, a large version resolves to its
    DuckDB serving copy once that is ready (for the DuckDB engine only: Spark reads Parquet)."""
    local = store.location.is_local
    schema_views = information_schema_source(catalog, store)

    def resolve(name: str) -> list[str] | pads.Dataset | ServingCopy | None:
        if name in NAMES:
            return schema_views(name)
        source = _resolve(name)
        if source is None or serving is None:
            return source
        storage, version, files, rows = source
        return serving.source(storage, version, files, rows=rows)

    def plain(name: str) -> list[str] | pads.Dataset | ServingCopy | None:
        if name in NAMES:
            return schema_views(name)
        source = _resolve(name)
        return None if source is None else source[2]

    def _resolve(name: str) -> tuple[str, int, list[str] | pads.Dataset, int] | None:
        slug, pinned = parse_table_name(name)
        number = Resource.current_version if pinned is None else pinned
        with catalog.read() as session:
            # one indexed look-up, no ORM objects: every query and aggregate resolves its
            # tables here, in the server process that also answers the pages
            found = _version_of(session, slug, number)
            if found is None:  # a renamed table's former name still answers
                moved = moved_to(session, "resource", slug)
                found = _version_of(session, moved, number) if moved else None
        if found is None:
            return None
        version, rows, storage = found
        try:
            if local:
                return storage, version, store.version_files(storage, version), rows
            return storage, version, store.dataset(storage, version), rows
        except NotFoundError:
            raise StoredDataError(
                f"version {version} of resource {slug!r} is listed in the catalog but its "
                "files are missing from storage",
                hint="This is a server fault: the operator should restore or re-publish it.",
            ) from None

    return resolve if serving is not None else plain


def published_tables(catalog: Catalog) -> list[str]:
    """Every name the resolver answers: resource ids with a current version, and
    ``<id>__v<N>`` for each registered version."""
    with catalog.read() as session:
        resources = session.scalars(
            select(Resource).options(selectinload(Resource.versions)).order_by(Resource.slug)
        ).all()
        names: list[str] = []
        for resource in resources:
            if resource.current_version is not None:
                names.append(resource.slug)
            names.extend(f"{resource.slug}__v{v.number}" for v in resource.versions)
        return names


def _version_of(session: Session, slug: str, number: Any) -> tuple[int, int, str] | None:
    """(version, rows, storage name) of resource ``slug``'s version ``number`` (a number, or
    the resource's current-version column)."""
    found = session.execute(
        select(Version.number, Version.rows, Resource.storage)
        .join(Resource, Version.resource_id == Resource.id)
        .where(Resource.slug == slug, Version.number == number)
    ).first()
    return None if found is None else (int(found[0]), int(found[1]), str(found[2]))
