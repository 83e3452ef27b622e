"""ResourceRef lookups for the data endpoints, cached per resource state.

Building a ResourceRef loads the resource, its versions and its dataset from the catalog
(several queries and ORM objects: a large share of a small page's time). A resource's ref
changes only when its current version, its registered versions or its fields change, and
each of those moves ``modified``, ``current_version`` or the highest version number. So each
request asks the catalog only for that stamp (one indexed row) and rebuilds the ref when the
stamp differs from the cached one.
"""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, func, or_, select

from kaifang.catalog.db import Catalog
from kaifang.catalog.models import Resource, Version
from kaifang.service import views
from kaifang.service.data import ResourceRef
from kaifang.service.runner import Bounded

MAX_REFS = 4_096

Stamp = tuple[Any, ...]
"""A resource's id, current version, modified time and newest version number, as the
database driver returns them."""


class ResourceRefs:
    """``get(ref)``: the ResourceRef of a resource id or national identifier."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._refs = Bounded(MAX_REFS)  # (ref text) -> (stamp, ResourceRef)
        self._lock = threading.Lock()
        compiled = STAMP.compile(dialect=catalog.engine.dialect)
        self._stamp_sql = str(compiled)
        self._stamp_names = compiled.positiontup if compiled.positional else None

    def get(self, ref: str) -> ResourceRef:
        stamp = self._stamp(ref)
        if stamp is not None:
            with self._lock:
                cached: tuple[Stamp, ResourceRef] | None = self._refs.get(ref)
            if cached is not None and cached[0] == stamp:
                return cached[1]
        resolved = views.resource_detail(self.catalog, ref)[1]  # raises NotFoundError
        if stamp is not None:
            with self._lock:
                self._refs.remember(ref, (stamp, resolved))
        return resolved

    def _stamp(self, ref: str) -> Stamp | None:
        # the statement compiled once, on the driver's own connection from the pool: the ORM
        # session cost 5x the query, and Core's execution (BEGIN and ROLLBACK on SQLite,
        # events, result objects) still 5x. Only equality of stamps matters, so the driver's
        # own values (SQLite's timestamps are text) do.
        values = {"ref": ref, "upper": ref.upper()}
        names = self._stamp_names
        arguments: Any = values if names is None else tuple(values[name] for name in names)
        connection = self.catalog.engine.raw_connection()
        try:
            cursor = connection.cursor()
            try:
                cursor.execute(self._stamp_sql, arguments)
                row = cursor.fetchone()
            finally:
                cursor.close()
        finally:
            connection.close()
        return None if row is None else (row[0], row[1], row[2], row[3])


def _stamp_statement() -> Select[int, int | None, datetime, int | None]:
    newest = (
        select(func.max(Version.number)).where(Version.resource_id == Resource.id).scalar_subquery()
    )
    return select(Resource.id, Resource.current_version, Resource.modified, newest).where(
        or_(Resource.slug == bindparam("ref"), Resource.identifier == bindparam("upper"))
    )


STAMP = _stamp_statement()
"""A resource's stamp, by id (``ref``) or national identifier (``upper``)."""
