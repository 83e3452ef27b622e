"""The current version of an importer's resource, as rows an import can keep.

An importer whose file carries only part of a resource (one theft category, one five-minute
freeway interval) builds the next version as *the rows of the current version the file does
not cover* plus the file's rows. :func:`register_current` makes the current version a view of
the importer's DuckDB connection for that SQL.

The current version is read before the publish takes the resource's storage lock: an import
of the same resource running at the same moment may publish in between, and the later of the
two then builds on the version it read (imports of one source are meant to run one at a time).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
from sqlalchemy import select

from kaifang.catalog.db import open_catalog
from kaifang.catalog.models import Dataset, Organization
from kaifang.errors import ValidationError
from kaifang.settings import Settings
from kaifang.sqlutil import quote_ident
from kaifang.storage import VersionStore


@dataclass(frozen=True)
class CurrentVersion:
    """Where the rows an import builds on come from: the resource (its id) and its files'
    storage name, which a rename of the resource does not change."""

    resource: str
    version: int
    storage: str


def current_version(
    settings: Settings, *, org: str, title: str, resource: str
) -> CurrentVersion | None:
    """The current version of resource ``resource`` of the dataset ``title`` of ``org``."""
    with open_catalog(settings) as catalog, catalog.read() as session:
        datasets = session.scalars(
            select(Dataset)
            .join(Organization, Dataset.organization_id == Organization.id)
            .where(Organization.code == org.strip().upper(), Dataset.title == title)
            .order_by(Dataset.id)
        ).all()
        for dataset in datasets:
            for found in dataset.resources:
                if resource in (found.slug, found.identifier, found.name):
                    if found.current_version is None:
                        return None
                    return CurrentVersion(found.slug, int(found.current_version), found.storage)
    return None


def register_current(
    settings: Settings,
    con: duckdb.DuckDBPyConnection,
    view: str,
    current: CurrentVersion,
    columns: list[str],
) -> None:
    """Make ``current``'s rows view ``view`` of ``con`` with ``columns`` in this order.

    A current version without one of ``columns`` (published by an older importer) cannot be
    merged: ValidationError says which columns are missing."""
    dataset = VersionStore(settings).dataset(current.storage, current.version)
    missing = [c for c in columns if c not in dataset.schema.names]
    if missing:
        raise ValidationError(
            f"resource {current.resource!r} version {current.version} has no column(s) "
            f"{', '.join(missing)}, so this file's rows cannot be merged with it",
            hint="Import every file of the source again into a new data directory, or publish "
            "the full set of files at once.",
        )
    con.register(f"{view}_arrow", dataset)
    listed = ", ".join(quote_ident(c) for c in columns)
    con.execute(f"CREATE OR REPLACE VIEW {quote_ident(view)} AS SELECT {listed} FROM {view}_arrow")
