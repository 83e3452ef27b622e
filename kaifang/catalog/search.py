"""Dataset search that works the same on SQLite and PostgreSQL, for Chinese and English.

Each dataset keeps four lowercased, denormalized texts (title, keywords, column names with
their descriptions, description). A query is split on white space into terms; a dataset
matches when every term occurs as a substring somewhere (so two-character Chinese words such as
竊盜 or 國道 match without a word segmenter), and it is ranked by the sum over terms of the
weights of the texts that contain the term: title 10, keywords 5, columns 3, description 1.
Ties are broken by the most recently modified dataset. Substring tests are ``LIKE`` with the
wildcards of the term escaped, which both backends evaluate identically.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, case, literal, or_

from kaifang.catalog.models import Dataset

WEIGHTS = (
    (Dataset.search_title, 10),
    (Dataset.search_keywords, 5),
    (Dataset.search_columns, 3),
    (Dataset.search_description, 1),
)
_ESCAPE = "\\"


def normalize(text: str) -> str:
    return " ".join(text.lower().split())


def refresh_search_text(dataset: Dataset) -> None:
    """Recompute a dataset's search texts from its metadata, tags and resources' columns."""
    dataset.search_title = normalize(
        f"{dataset.title} {dataset.extras.get('title_en', '')} {dataset.identifier}"
    )
    dataset.search_keywords = normalize(" ".join(tag.name for tag in dataset.tags))
    columns = [
        f"{f.get('name', '')} {f.get('description', '')}"
        for resource in dataset.resources
        for f in resource.fields
    ]
    dataset.search_columns = normalize(" ".join(columns))
    dataset.search_description = normalize(dataset.description)


def query_terms(query: str) -> list[str]:
    return list(dict.fromkeys(normalize(query).split()))


def _pattern(term: str) -> str:
    escaped = (
        term.replace(_ESCAPE, _ESCAPE * 2).replace("%", _ESCAPE + "%").replace("_", _ESCAPE + "_")
    )
    return f"%{escaped}%"


def search_filter_and_score(
    query: str,
) -> tuple[ColumnElement[bool], ColumnElement[int]]:
    """The WHERE condition (every term matches) and the score expression for ``query``."""
    conditions: list[ColumnElement[bool]] = []
    score: ColumnElement[int] = literal(0)
    for term in query_terms(query):
        pattern = _pattern(term)
        hits = [(column.like(pattern, escape=_ESCAPE), weight) for column, weight in WEIGHTS]
        conditions.append(or_(*(hit for hit, _ in hits)))
        for hit, weight in hits:
            score = score + case((hit, weight), else_=0)
    return and_(literal(True), *conditions), score
