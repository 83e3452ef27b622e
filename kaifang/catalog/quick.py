"""The quick read path of a SQLite catalog: the standard library's ``sqlite3`` instead of
SQLAlchemy, for the command line's read-only catalog commands (``datasets``, ``show``,
``history``, ``org list``, ``score DATASET``), whose start-up SQLAlchemy would triple.

It reads the same rows the ORM loads, into plain row objects with the ORM models' attribute
names (:class:`DatasetRow`, :class:`ResourceRow`, ...), which the one set of record builders
(``DatasetRecord.from_row`` and the others in :mod:`kaifang.catalog.records`) and the scoring
facts (:func:`kaifang.scoring.facts.dataset_facts`) turn into the very same output.
tests/catalog/test_quick.py checks it equals the ORM path's, byte for byte.

It is taken only when it can answer exactly like the ORM path: a SQLite catalog file that
exists and whose migration stamp is :data:`~kaifang.catalog.db.HEAD_REVISION`. Anything else
(PostgreSQL, a catalog to create or migrate) opens the catalog as usual, and so do the
answers the quick path leaves to it (``None``: an unknown or renamed id, whose error names the
new id).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from kaifang.catalog.db import HEAD_REVISION, SQLITE_BUSY_TIMEOUT_S
from kaifang.catalog.records import (
    DatasetList,
    DatasetRecord,
    OrganizationRecord,
    ResourceHistory,
)
from kaifang.catalog.search import BM25, SORTS, fts5_match, query_phrases
from kaifang.settings import Settings

T = TypeVar("T")
BATCH = 500
"""Ids per ``IN (...)`` list, as SQLAlchemy's ``selectinload`` batches them."""


def _datetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value is not None else None


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value is not None else None


def _json(value: str | None) -> Any:
    return json.loads(value) if value is not None else None


# The columns of each row class that need converting from what SQLite stores (SQLAlchemy
# writes DateTime as ISO text, Date as ISO text and JSON as JSON text); the rest are as stored.
CONVERT: dict[str, Callable[[Any], Any]] = {
    "created": _datetime,
    "modified": _datetime,
    "withdrawn": _datetime,
    "temporal_from": _date,
    "temporal_to": _date,
    "extras": _json,
    "fields": _json,
    "summary": _json,
}
RELATION = {"relation": True}


def row_columns(row_class: type[Any]) -> list[str]:
    return [f.name for f in fields(row_class) if not f.metadata.get("relation")]


@dataclass(eq=False)
class OrganizationRow:
    id: int
    code: str
    name: str
    name_en: str


@dataclass(eq=False)
class LicenseRow:
    id: str
    title: str
    url: str


@dataclass(eq=False)
class TagRow:
    dataset_id: int
    name: str


@dataclass(eq=False)
class VersionRow:
    resource_id: int
    number: int
    rows: int
    created: datetime
    publisher: str
    source_file: str
    source_hash: str
    content_hash: str
    legal_basis: str
    rollback_of: int | None
    summary: dict[str, Any]
    resource: ResourceRow = field(init=False, metadata=RELATION)


@dataclass(eq=False)
class ResourceRow:
    id: int
    dataset_id: int
    slug: str
    storage: str
    identifier: str
    name: str
    current_version: int | None
    fields: list[dict[str, Any]]
    created: datetime
    modified: datetime
    versions: list[VersionRow] = field(default_factory=list, metadata=RELATION)
    dataset: DatasetRow = field(init=False, metadata=RELATION)

    @property
    def current(self) -> VersionRow | None:
        """The version ``current_version`` names, like ``Resource.current``."""
        return next((v for v in self.versions if v.number == self.current_version), None)


@dataclass(eq=False)
class DatasetRow:
    id: int
    slug: str
    identifier: str
    organization_id: int
    title: str
    description: str
    category: str
    license_id: str
    license_url: str
    cost: str
    update_frequency: str
    temporal_from: date | None
    temporal_to: date | None
    spatial: str
    language: str
    contact_name: str
    contact_email: str
    contact_phone: str
    extras: dict[str, Any]
    created: datetime
    modified: datetime
    withdrawn: datetime | None
    organization: OrganizationRow = field(init=False, metadata=RELATION)
    license: LicenseRow = field(init=False, metadata=RELATION)
    tags: list[TagRow] = field(default_factory=list, metadata=RELATION)
    resources: list[ResourceRow] = field(default_factory=list, metadata=RELATION)


def sqlite_path(url: str) -> Path | None:
    """The file of a ``sqlite:///path`` catalog URL; None for any other (in-memory, options,
    another database)."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url:
        return None
    path = url[len(prefix) :]
    return Path(path) if path and path != ":memory:" else None


class QuickCatalog:
    """An open SQLite catalog, read in one transaction (one snapshot) with ``sqlite3``."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    # -- the reads, each as its ORM counterpart answers ------------------------------------

    def show_dataset(self, ref: str) -> DatasetRecord | None:
        """:func:`kaifang.catalog.show_dataset`; None when no dataset has that id."""
        found = self.find_dataset(ref)
        return DatasetRecord.from_row(found) if found is not None else None

    def find_dataset(self, ref: str) -> DatasetRow | None:
        """:func:`kaifang.catalog.datasets.find_dataset`: by id or national identifier."""
        found = self._datasets(
            "slug = :ref OR identifier = :upper", {"ref": ref, "upper": ref.upper()}, first=True
        )
        return found[0] if found else None

    def list_datasets(
        self,
        *,
        search: str | None = None,
        sort: str = "relevance",
        limit: int | None = None,
        offset: int = 0,
    ) -> DatasetList:
        """:func:`kaifang.catalog.list_datasets` without filters (what ``kaifang datasets``
        asks): the same order (:mod:`kaifang.catalog.finder`) and the count of every match."""
        if sort not in SORTS:
            raise ValueError(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
        query = search if search and search.strip() else None
        phrases = query_phrases(query) if query else []
        if query and not phrases:
            return DatasetList(data=(), count=0)
        hits, join = "", ""
        params: dict[str, Any] = {"limit": -1 if limit is None else limit, "offset": offset}
        if phrases:
            # MATERIALIZED, as the finder has it: the MATCH runs once.
            rank = f"-{BM25}" if sort == "relevance" else "0.0"
            hits = (
                f"WITH hits AS MATERIALIZED (SELECT rowid AS id, {rank} AS rank "
                "FROM dataset_search WHERE dataset_search MATCH :match) "
            )
            join = "JOIN hits ON hits.id = datasets.id "
            params["match"] = fts5_match(phrases)
        where = f"FROM datasets {join}WHERE datasets.withdrawn IS NULL"
        order = {
            "title": "datasets.title, datasets.id",
            "popularity": "datasets.downloads DESC, datasets.modified DESC, datasets.id DESC",
        }.get(sort, "datasets.modified DESC, datasets.id DESC")
        if sort == "relevance" and phrases:
            order = f"hits.rank DESC, {order}"
        count = self._db.execute(f"{hits}SELECT count(*) {where}", params).fetchone()[0]
        page = f"{hits}SELECT datasets.id {where} ORDER BY {order} LIMIT :limit OFFSET :offset"
        ids = [i for (i,) in self._db.execute(page, params)]
        by_id = {d.id: d for d in self._in("datasets", "id", ids, DatasetRow)}
        self._load(list(by_id.values()))
        rows = [by_id[i] for i in ids if i in by_id]
        return DatasetList(data=tuple(DatasetRecord.from_row(d) for d in rows), count=count)

    def history(self, ref: str) -> ResourceHistory | None:
        """:func:`kaifang.catalog.history`; None when no resource has that id."""
        found = self.find_resource(ref)
        return ResourceHistory.from_row(found) if found is not None else None

    def find_resource(self, ref: str) -> ResourceRow | None:
        """:func:`kaifang.catalog.datasets.find_resource`: by id or national identifier,
        with its versions and its dataset."""
        found = self._db.execute(
            "SELECT id, dataset_id FROM resources WHERE slug = :ref OR identifier = :upper",
            {"ref": ref, "upper": ref.upper()},
        ).fetchone()
        if found is None:
            return None
        resource_id, dataset_id = found
        (dataset,) = self._datasets("id = :id", {"id": dataset_id})
        return next(r for r in dataset.resources if r.id == resource_id)

    def list_organizations(self) -> list[OrganizationRecord]:
        """:func:`kaifang.catalog.list_organizations`."""
        query = f"SELECT {', '.join(row_columns(OrganizationRow))} FROM organizations ORDER BY code"
        return [
            OrganizationRecord.from_row(OrganizationRow(*row)) for row in self._db.execute(query)
        ]

    # -- loading rows and what DATASET_LOAD loads with them ---------------------------------

    def _rows(self, row_class: type[T], sql: str, params: Any = ()) -> list[T]:
        names = row_columns(row_class)
        converters = [CONVERT.get(name) for name in names]
        return [
            row_class(*(c(v) if c else v for c, v in zip(converters, row, strict=True)))
            for row in self._db.execute(sql, params)
        ]

    def _in(
        self, table: str, column: str, ids: Sequence[Any], row_class: type[T], order: str = ""
    ) -> list[T]:
        """The rows of ``table`` whose ``column`` is one of ``ids`` (in batches)."""
        found: list[T] = []
        names = ", ".join(row_columns(row_class))
        for start in range(0, len(ids), BATCH):
            part = list(ids[start : start + BATCH])
            marks = ", ".join("?" * len(part))
            sql = f"SELECT {names} FROM {table} WHERE {column} IN ({marks}){order}"
            found += self._rows(row_class, sql, part)
        return found

    def _datasets(
        self, where: str, params: dict[str, Any], first: bool = False
    ) -> list[DatasetRow]:
        sql = f"SELECT {', '.join(row_columns(DatasetRow))} FROM datasets WHERE {where}"
        found = self._rows(DatasetRow, sql + (" LIMIT 1" if first else ""), params)
        self._load(found)
        return found

    def _load(self, datasets: list[DatasetRow]) -> None:
        """Each dataset's organization, licence, tags (by name) and resources (by serial)
        with their versions (by number), as ``DATASET_LOAD`` has the ORM load them."""
        if not datasets:
            return
        org_ids = sorted({d.organization_id for d in datasets})
        license_ids = sorted({d.license_id for d in datasets})
        orgs = {o.id: o for o in self._in("organizations", "id", org_ids, OrganizationRow)}
        licenses = {x.id: x for x in self._in("licenses", "id", license_ids, LicenseRow)}
        by_id = {d.id: d for d in datasets}
        ids = list(by_id)
        tags = self._in(
            "dataset_tags JOIN tags ON tags.id = dataset_tags.tag_id",
            "dataset_tags.dataset_id",
            ids,
            TagRow,
            " ORDER BY tags.name",
        )
        resources = self._in("resources", "dataset_id", ids, ResourceRow, " ORDER BY serial")
        for dataset in datasets:
            dataset.organization = orgs[dataset.organization_id]
            dataset.license = licenses[dataset.license_id]
        for tag in tags:
            by_id[tag.dataset_id].tags.append(tag)
        for resource in resources:
            resource.dataset = by_id[resource.dataset_id]
            resource.dataset.resources.append(resource)
        owners = {r.id: r for r in resources}
        for version in self._in(
            "versions", "resource_id", list(owners), VersionRow, " ORDER BY number"
        ):
            version.resource = owners[version.resource_id]
            version.resource.versions.append(version)


@contextmanager
def quick_catalog(settings: Settings) -> Iterator[QuickCatalog | None]:
    """The catalog of ``settings`` opened for quick reads, or None when the ORM path must
    answer (not a SQLite file, no file yet, or a migration stamp other than the head)."""
    path = sqlite_path(settings.catalog_url)
    if path is None or not path.is_file():
        yield None
        return
    with closing(
        sqlite3.connect(path, timeout=SQLITE_BUSY_TIMEOUT_S, isolation_level=None)
    ) as connection:
        try:
            connection.execute("PRAGMA query_only = ON")
            connection.execute("BEGIN")
            stamp = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.Error:  # no alembic_version: a catalog to create
            stamp = None
        if stamp is None or stamp[0] != HEAD_REVISION:
            yield None
            return
        try:
            yield QuickCatalog(connection)
        finally:
            connection.execute("ROLLBACK")


def read_quickly(settings: Settings, read: Callable[[QuickCatalog], T | None]) -> T | None:
    """``read`` on the quick path; None when the ORM path must answer instead."""
    with quick_catalog(settings) as quick:
        return read(quick) if quick is not None else None
