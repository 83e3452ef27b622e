"""Finding datasets in the database: full-text search, filters, facet counts, exact counts,
sorting and paging are SQL, so a request costs the same at 100 or 100,000 datasets.

Search uses the engine's full-text index over the index tokens of
:mod:`kaifang.catalog.search` (built by migration 0004): SQLite FTS5 ranked with ``bm25``,
PostgreSQL ``tsvector`` ranked with ``ts_rank``. Both weigh a title hit above keywords, then
columns and organization, then description. Every order ends with the dataset id, so pages
never overlap or skip a dataset.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Select,
    and_,
    cast,
    column,
    exists,
    false,
    func,
    literal,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.orm import Session

from kaifang.catalog.models import (
    Dataset,
    Organization,
    Resource,
    Tag,
    dataset_tags,
)
from kaifang.catalog.search import fts5_match, query_phrases, tsquery

SORTS = ("relevance", "modified", "title", "popularity")
"""``relevance`` (best match first; newest first without a query), ``modified`` (newest
first), ``title`` and ``popularity`` (most row and download requests first, see
:mod:`kaifang.service.usage`)."""
FACETS = ("organization", "groups", "tags", "res_format", "license_id", "band", "update_frequency")
"""Facet names: organization code (lower case), service category, keyword, format, licence,
openness band (``none`` without a score record) and update frequency."""
BM25 = "bm25(dataset_search, 10.0, 5.0, 3.0, 2.0, 1.0)"
PG_VECTOR = "search_vector"
"""PostgreSQL: the stored, GIN-indexed weighted ``tsvector`` that migration 0004 generates
from the index texts (title A, keywords B, columns and organization C, description D)."""


@dataclass(frozen=True)
class Filters:
    """What to find: ``q`` searched, the rest exact (codes and licence ids in any case)."""

    q: str | None = None
    org: str | None = None
    tag: str | None = None
    license: str | None = None
    with_resources: bool = False
    """Only datasets with a resource (each is served in every export format)."""
    category: str | None = None
    band: str | None = None
    frequency: str | None = None
    modified_since: datetime | None = None


def _hits(session: Session, q: str | None, *, ranked: bool = True) -> FromClause | None:
    """``(id, rank)`` of the datasets matching ``q``, higher rank better; None without a query.
    A query without any letter or digit matches nothing."""
    if not q or not q.strip():
        return None
    phrases = query_phrases(q)
    if session.get_bind().dialect.name == "sqlite":
        fts = table("dataset_search", column("rowid"))
        if not phrases:
            return select(Dataset.id, literal(0.0).label("rank")).where(false()).subquery()
        # Materialized: the MATCH runs once. As a plain subquery SQLite's planner may put the
        # virtual table inside the loop over the other conditions' rows and run the MATCH
        # again for each of them (24 s for a category filter at 100,000 datasets).
        return (
            select(
                fts.c.rowid.label("id"),
                (-literal_column(BM25) if ranked else literal(0.0)).label("rank"),
            )
            .select_from(fts)
            .where(text("dataset_search MATCH :match").bindparams(match=fts5_match(phrases)))
            .cte(f"hits_{'ranked' if ranked else 'all'}")
            .prefix_with("MATERIALIZED")
        )
    if not phrases:
        return select(Dataset.id, literal(0.0).label("rank")).where(false()).subquery()
    query = cast(literal(tsquery(phrases)), TSQUERY)
    vector: ColumnElement[Any] = literal_column(PG_VECTOR)
    return (
        select(Dataset.id, (func.ts_rank(vector, query) if ranked else literal(0.0)).label("rank"))
        .where(vector.op("@@")(query))
        .subquery()
    )


def _conditions(f: Filters) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if f.org:
        org_id = select(Organization.id).where(Organization.code == f.org.strip().upper())
        where.append(Dataset.organization_id == org_id.scalar_subquery())
    if f.tag:
        tagged = (
            select(dataset_tags.c.dataset_id)
            .join(Tag, Tag.id == dataset_tags.c.tag_id)
            .where(func.lower(Tag.name) == f.tag.strip().lower())
        )
        where.append(Dataset.id.in_(tagged))
    if f.license:
        where.append(func.lower(Dataset.license_id) == f.license.strip().lower())
    if f.with_resources:
        where.append(exists().where(Resource.dataset_id == Dataset.id))
    if f.category:
        where.append(Dataset.category == f.category.strip().upper())
    if f.frequency:
        where.append(Dataset.update_frequency == f.frequency.strip())
    if f.modified_since is not None:
        where.append(Dataset.modified >= f.modified_since)
    if f.band:
        # the band of the latest score record, kept on the dataset row (kaifang.scoring)
        where.append(Dataset.band.is_(None) if f.band == "none" else Dataset.band == f.band)
    return where


def matching(
    session: Session, f: Filters, *, ranked: bool = False
) -> tuple[Select[Any], FromClause | None]:
    """``SELECT datasets.id`` of every dataset matching ``f`` (joined with the search hits,
    which are also returned, with their rank when ``ranked``)."""
    stmt = select(Dataset.id)
    hits = _hits(session, f.q, ranked=ranked)
    if hits is not None:
        stmt = stmt.join(hits, hits.c.id == Dataset.id)
    return stmt.where(and_(literal(True), *_conditions(f))), hits


def find_ids(
    session: Session, f: Filters, *, sort: str = "relevance", limit: int | None, offset: int = 0
) -> tuple[list[int], int]:
    """One page of matching dataset ids in order, and the exact count of all matches."""
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
    unranked, _ = matching(session, f)
    count = session.scalar(select(func.count()).select_from(unranked.subquery())) or 0
    stmt, hits = matching(session, f, ranked=sort == "relevance")
    order: list[Any]
    if sort == "title":
        order = [Dataset.title, Dataset.id]
    elif sort == "popularity":
        order = [Dataset.downloads.desc(), Dataset.modified.desc(), Dataset.id.desc()]
    elif sort == "relevance" and hits is not None:
        order = [hits.c.rank.desc(), Dataset.modified.desc(), Dataset.id.desc()]
    else:
        order = [Dataset.modified.desc(), Dataset.id.desc()]
    ids = list(session.scalars(stmt.order_by(*order).offset(offset).limit(limit)))
    return ids, count


def facet_counts(
    session: Session,
    f: Filters,
    fields: list[str],
    *,
    formats: tuple[str, ...] = (),
    limit: int | None = None,
) -> dict[str, dict[str, int]]:
    """``{facet: {value: datasets}}`` over every match of ``f``, most datasets first (the
    ``limit`` most common values of each facet, each counted exactly). A dataset with a
    resource counts under each of ``formats`` (the export formats, upper case)."""
    ids, _ = matching(session, f)
    out: dict[str, dict[str, int]] = {}
    for name in fields:
        if name not in FACETS:
            continue
        if name == "res_format":
            with_data = session.scalar(
                select(func.count()).where(
                    Dataset.id.in_(ids), exists().where(Resource.dataset_id == Dataset.id)
                )
            )
            out[name] = {fmt.upper(): with_data for fmt in formats} if with_data else {}
            continue
        key, source = _facet_source(name)
        rows = session.execute(
            source.add_columns(func.count().label("n"))
            .where(Dataset.id.in_(ids), key != "")
            .group_by(key)
            .order_by(func.count().desc(), key)
            .limit(limit)
        )
        out[name] = {str(value): int(n) for value, n in rows}
    return out


def _facet_source(name: str) -> tuple[Any, Select[Any]]:
    if name == "organization":
        key: ColumnElement[Any] = func.lower(Organization.code)
        return key, select(key).select_from(Dataset).join(Organization)
    if name == "tags":
        return Tag.name, (
            select(Tag.name)
            .select_from(Dataset)
            .join(dataset_tags, dataset_tags.c.dataset_id == Dataset.id)
            .join(Tag, Tag.id == dataset_tags.c.tag_id)
        )
    if name == "band":
        key = func.coalesce(Dataset.band, "none")
        return key, select(key)
    simple = {
        "groups": Dataset.category,
        "license_id": Dataset.license_id,
        "update_frequency": Dataset.update_frequency,
    }[name]
    return simple, select(simple)
