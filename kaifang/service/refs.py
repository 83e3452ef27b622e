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

from sqlalchemy import Select, bindparam, func, or_, select

from kaifang.catalog.db import Catalog
from kaifang.catalog.models import Resource, Version
from kaifang.service import views
from kaifang.service.data import ResourceRef
from kaifang.service.runner import Bounded

MAX_REFS = 4_096

Stamp = tuple[int, int | None, datetime, int | None]


class ResourceRefs:
    """``get(ref)``: the ResourceRef of a resource id or national identifier."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._refs = Bounded(MAX_REFS)  # (ref text) -> (stamp, ResourceRef)
        self._lock = threading.Lock()

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
        # a Core statement on a plain connection: the ORM session cost 5x the query itself
        with self.catalog.engine.connect() as connection:
            row = connection.execute(STAMP, {"ref": ref, "upper": ref.upper()}).first()
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
