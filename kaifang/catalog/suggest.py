"""Spellings to suggest when a search finds nothing: the listed datasets' titles and keywords
nearest the query, compared after folding (:func:`kaifang.catalog.search.fold`: full width,
case and variant characters such as 臺/台), so every suggestion finds at least one dataset."""

from __future__ import annotations

from difflib import SequenceMatcher

from sqlalchemy import select

from kaifang.catalog.db import Catalog
from kaifang.catalog.models import Dataset, Tag, dataset_tags
from kaifang.catalog.search import fold

MAX_CANDIDATES = 5_000
"""Titles and keywords compared at most (the most recently modified datasets' first)."""

MIN_LIKENESS = 0.4
"""How alike (0–1, :class:`difflib.SequenceMatcher`) a suggestion and the query must be."""


def _candidates(catalog: Catalog) -> list[str]:
    listed = Dataset.withdrawn.is_(None)
    with catalog.read() as session:
        titles = session.scalars(
            select(Dataset.title)
            .where(listed)
            .order_by(Dataset.modified.desc())
            .limit(MAX_CANDIDATES)
        ).all()
        keywords = session.scalars(
            select(Tag.name)
            .join(dataset_tags, dataset_tags.c.tag_id == Tag.id)
            .join(Dataset, Dataset.id == dataset_tags.c.dataset_id)
            .where(listed)
            .distinct()
            .limit(MAX_CANDIDATES)
        ).all()
    return [*keywords, *titles]


def likeness(query: str, candidate: str) -> float:
    """How near ``candidate`` is to ``query`` once both are folded: the better of the whole
    texts' likeness and the share of the query's terms the candidate holds."""
    wanted = fold(query).strip()
    text = fold(candidate)
    if not wanted or not text:
        return 0.0
    whole = SequenceMatcher(None, wanted, text).ratio()
    terms = wanted.split()
    held = sum(1 for term in terms if term in text) / len(terms)
    return max(whole, held * 0.9)


def suggest(catalog: Catalog, query: str, *, limit: int = 5) -> list[str]:
    """Up to ``limit`` titles and keywords near ``query``, nearest first; the query itself
    (folded alike) is never suggested."""
    folded = fold(query).strip()
    scored: dict[str, tuple[float, str]] = {}
    for candidate in _candidates(catalog):
        key = fold(candidate).strip()
        if not key or key == folded or key in scored:
            continue
        score = likeness(query, candidate)
        if score >= MIN_LIKENESS:
            scored[key] = (score, candidate)
    ranked = sorted(scored.values(), key=lambda pair: (-pair[0], len(pair[1]), pair[1]))
    return [candidate for _, candidate in ranked[:limit]]
