"""The text side of dataset search, the same on SQLite and PostgreSQL, for Chinese and English.

Text is folded before it is indexed or searched: Unicode NFKC (full-width ``ＡＢＣ１２３`` is
``abc123``), lower case, and common variant characters to one form (臺→台, 爲→為, 峯→峰 …).
Folded text is then cut into index tokens: a run of Latin letters and digits is one token; a
run of Han characters gives its overlapping two-character pieces (臺北市 → 台北 北市) and
its last character alone (so that a one-character query still finds it). These tokens, joined
by spaces, are what each dataset stores in its ``search_*`` columns; the engines' full-text
indexes (SQLite FTS5, PostgreSQL ``tsvector``, see :mod:`kaifang.catalog.finder`) index them
as words, so a two-character word or a longer phrase becomes a phrase query on bigrams
without any word segmenter.

A query is split on white space into terms; every term must match (as a phrase), in any of
the searched texts: title, keywords, column names and descriptions, organization name,
description — the ranking weighs them in that order.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kaifang.catalog.models import Dataset

SORTS = ("relevance", "modified", "title", "popularity")
"""``relevance`` (best match first; newest first without a query), ``modified`` (newest
first), ``title`` and ``popularity`` (most row and download requests first, see
:mod:`kaifang.service.usage`)."""
BM25 = "bm25(dataset_search, 10.0, 5.0, 3.0, 2.0, 1.0)"
"""SQLite's rank of a hit: a title hit above keywords, then columns and organization, then
description (the columns of the ``dataset_search`` FTS5 table, migration 0004)."""

VARIANTS = str.maketrans(
    {
        "臺": "台",
        "爲": "為",
        "峯": "峰",
        "羣": "群",
        "裏": "裡",
        "綫": "線",
        "衞": "衛",
        "眞": "真",
        "敎": "教",
        "册": "冊",
        "汚": "污",
        "鷄": "雞",
        "啓": "啟",
        "淸": "清",
        "靑": "青",
        "説": "說",
        "税": "稅",
        "脱": "脫",
        "内": "內",
        "户": "戶",
        "戸": "戶",
        "着": "著",
        "緑": "綠",
        "温": "溫",
        "鉄": "鐵",
        "麪": "麵",
    }
)
"""Variant characters folded to one form before indexing and searching."""

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
_TOKEN = re.compile(rf"[{_HAN}]+|[^\W_{_HAN}]+")
_IS_HAN = re.compile(rf"[{_HAN}]")


def fold(text: str) -> str:
    """NFKC, lower case and variant characters folded (see :data:`VARIANTS`)."""
    return unicodedata.normalize("NFKC", text).lower().translate(VARIANTS)


def _pieces(run: str, *, trailing: bool) -> list[str]:
    if not _IS_HAN.match(run):
        return [run]
    if len(run) == 1:
        return [run]
    pairs = [run[i : i + 2] for i in range(len(run) - 1)]
    return [*pairs, run[-1]] if trailing else pairs


def index_text(text: str) -> str:
    """The space-separated index tokens of ``text``."""
    return " ".join(
        piece for run in _TOKEN.findall(fold(text)) for piece in _pieces(run, trailing=True)
    )


def search_texts(
    *,
    title: str,
    title_en: str,
    identifier: str,
    keywords: Iterable[str],
    fields: Iterable[dict[str, Any]],
    organization: str,
    organization_en: str,
    description: str,
) -> dict[str, str]:
    """A dataset's ``search_*`` column values from its texts."""
    columns = " ".join(f"{f.get('name', '')} {f.get('description', '')}" for f in fields)
    return {
        "search_title": index_text(f"{title} {title_en} {identifier}"),
        "search_keywords": index_text(" ".join(keywords)),
        "search_columns": index_text(columns),
        "search_organization": index_text(f"{organization} {organization_en}"),
        "search_description": index_text(description),
    }


def refresh_search_text(dataset: Dataset) -> None:
    """Recompute a dataset's index texts from its metadata, tags, organization and columns
    (registration calls this in the transaction that changes them)."""
    org = dataset.organization
    texts = search_texts(
        title=dataset.title,
        title_en=(dataset.extras or {}).get("title_en", ""),
        identifier=dataset.identifier,
        keywords=[tag.name for tag in dataset.tags],
        fields=[f for resource in dataset.resources for f in resource.fields],
        organization=org.name if org else "",
        organization_en=org.name_en if org else "",
        description=dataset.description,
    )
    for column, value in texts.items():
        setattr(dataset, column, value)


Phrase = tuple[tuple[str, bool], ...]
"""A query term's tokens in order (a tuple: queries are cache keys); the flag marks a
one-character token matched as a prefix (a lone Han character, which the index holds only at
the start of a bigram or run end)."""


def query_phrases(query: str) -> list[Phrase]:
    """Each distinct white-space separated term of ``query`` as a phrase of index tokens;
    terms without any letter or digit are dropped."""
    phrases: list[Phrase] = []
    seen: set[str] = set()
    for term in fold(query).split():
        runs = _TOKEN.findall(term)
        tokens = [piece for run in runs for piece in _pieces(run, trailing=False)]
        key = " ".join(tokens)
        if not tokens or key in seen:
            continue
        seen.add(key)
        lone = (
            len(runs) == 1 and len(tokens[0]) == len(tokens) == 1 and bool(_IS_HAN.match(tokens[0]))
        )
        phrases.append(tuple((token, lone) for token in tokens))
    return phrases


def fts5_match(phrases: list[Phrase]) -> str:
    """An FTS5 MATCH expression: every phrase must occur (tokens are letters, digits, Han)."""
    parts = []
    for phrase in phrases:
        words = " ".join(token for token, _ in phrase)
        parts.append(f'"{words}"' + ("*" if phrase[-1][1] else ""))
    return " AND ".join(parts)


def tsquery(phrases: list[Phrase]) -> str:
    """A PostgreSQL ``tsquery`` literal: phrases joined with ``&``, tokens with ``<->``."""

    def lexeme(token: str, prefix: bool) -> str:
        return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'" + (":*" if prefix else "")

    return " & ".join(
        "(" + " <-> ".join(lexeme(token, prefix) for token, prefix in phrase) + ")"
        for phrase in phrases
    )


# -- boolean queries (CKAN's Solr-style ``q``) ----------------------------------------------
FIELD_COLUMNS = {
    "title": ("search_title", "A"),
    "tags": ("search_keywords", "B"),
    "notes": ("search_description", "D"),
}
"""Fields a query term may name: the index text searched (SQLite) and its weight (PostgreSQL)."""


@dataclass(frozen=True)
class Term:
    """Tokens that must occur in this order, in ``field`` (None: any searched text)."""

    phrase: Phrase
    field: str | None = None


@dataclass(frozen=True)
class Either:
    """Any of ``parts`` (``any_of``) or all of them."""

    parts: tuple[Query, ...]
    any_of: bool = False


Query = Term | Either


def term(text: str, field: str | None = None) -> Term:
    """The words of ``text`` as one phrase (a quoted phrase, or one word of a query)."""
    runs = _TOKEN.findall(fold(text))
    # a Han run followed by another run ends there in the text too, where the index holds its
    # last character alone (index_text), so the phrase keeps that token to stay adjacent
    tokens = [
        piece for i, run in enumerate(runs) for piece in _pieces(run, trailing=i < len(runs) - 1)
    ]
    lone = len(runs) == 1 and len(tokens) == 1 and bool(_IS_HAN.match(tokens[0]))
    return Term(tuple((token, lone) for token in tokens), field)


def _compile(query: Query, leaf: Callable[[Term], str], both: str, either: str) -> str | None:
    """``query`` in an engine's syntax (``leaf`` renders a term with tokens); None when it
    can match nothing (a term without letters or digits, where all terms must match)."""
    if isinstance(query, Term):
        return leaf(query) if query.phrase else None
    parts = [_compile(part, leaf, both, either) for part in query.parts]
    kept = [p for p in parts if p is not None]
    if query.any_of:
        return "(" + f" {either} ".join(kept) + ")" if kept else None
    if len(kept) < len(parts):
        return None
    return "(" + f" {both} ".join(kept) + ")" if kept else None


def _fts5_term(query: Term) -> str:
    words = " ".join(token for token, _ in query.phrase)
    text = f'"{words}"' + ("*" if query.phrase[-1][1] else "")
    return f"{FIELD_COLUMNS[query.field][0]} : {text}" if query.field else text


def _pg_term(query: Term) -> str:
    weight = FIELD_COLUMNS[query.field][1] if query.field else ""

    def lexeme(token: str, prefix: bool) -> str:
        quoted = "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"
        return quoted + (":" + ("*" if prefix else "") + weight if prefix or weight else "")

    return "(" + " <-> ".join(lexeme(t, p) for t, p in query.phrase) + ")"


def fts5_query(query: Query) -> str | None:
    """An FTS5 MATCH expression for ``query``; None when it can match nothing."""
    return _compile(query, _fts5_term, "AND", "OR")


def pg_tsquery(query: Query) -> str | None:
    """A PostgreSQL ``tsquery`` literal for ``query`` (fields as weights); None when it can
    match nothing."""
    return _compile(query, _pg_term, "&", "|")
