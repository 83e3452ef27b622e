"""``package_search``: Solr's query syntax as CKAN clients send it, translated into the
catalog's search in the database (kaifang.catalog.finder), never a filter in Python.

- ``q``: words and ``"quoted phrases"``, optionally ``title:``, ``tags:`` or ``notes:``,
  joined by ``AND`` (the default) or ``OR``, grouped with parentheses; ``*:*`` is everything.
- ``fq``: ``organization:``, ``owner_org:``, ``tags:``, ``res_format:``, ``license_id:``,
  ``groups:`` terms (values bare or quoted) joined the same way.
- ``sort``: ``score``, ``metadata_modified``, ``metadata_created``, ``title`` (or
  ``title_string``), ``name``, each ``asc`` or ``desc``, separated by commas.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from kaifang.api.compat.ckan.core import (
    MAX_ROWS,
    Call,
    CkanError,
    action,
    integer,
    invalid,
    strings,
)
from kaifang.api.compat.ckan.shapes import package_dict
from kaifang.catalog.finder import FACETS, Choice, Exact, Match
from kaifang.catalog.search import FIELD_COLUMNS, Either, Query, term
from kaifang.export import FORMATS
from kaifang.service import DatasetSearch
from kaifang.service.views import MAX_SEARCH_CHARS

_TOKEN = re.compile(
    r"\s*(?:(?P<paren>[()])|(?P<op>AND\b|OR\b|&&|\|\|)|\+?(?:(?P<field>[\w.]+):)?"
    r'(?:"(?P<quoted>[^"]*)"|(?P<bare>[^\s()"]+)))'
)
Leaf = TypeVar("Leaf")
FQ_FIELDS = {
    "organization": "organization",
    "owner_org": "organization",
    "tags": "tags",
    "res_format": "res_format",
    "license_id": "license_id",
    "groups": "groups",
}
ALWAYS_TRUE = {"dataset_type": "dataset", "capacity": "public", "state": "active"}
"""``fq`` terms CKAN clients add that every listed kaifang dataset satisfies."""
SORT_KEYS = {
    "score": "score",
    "metadata_modified": "modified",
    "metadata_created": "created",
    "title": "title",
    "title_string": "title",
    "name": "name",
}


def search_error(message: str) -> CkanError:
    return CkanError("Search Query Error", f"Search error: {message}", 409)


def _tokens(text: str) -> list[tuple[str, str | None, str]]:
    """``(kind, field, value)``: kind ``(``, ``)``, ``op`` or ``term``."""
    out: list[tuple[str, str | None, str]] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise search_error(f"cannot parse the query near {text[pos : pos + 20]!r}")
        pos = match.end()
        if match["paren"]:
            out.append((match["paren"], None, match["paren"]))
        elif match["op"]:
            out.append(("op", None, "OR" if match["op"] in ("OR", "||") else "AND"))
        else:
            value = match["quoted"] if match["quoted"] is not None else match["bare"]
            out.append(("term", match["field"], value.lstrip("+")))
    return out


def parse(
    text: str,
    leaf: Callable[[str | None, str], Leaf],
    combine: Callable[[tuple[Leaf, ...], bool], Leaf],
) -> Leaf | None:
    """Solr's boolean syntax: ``AND`` binds tighter than ``OR``, terms side by side are
    ANDed, parentheses group. ``leaf(field, value)`` builds a term."""
    tokens = _tokens(text)
    pos = 0

    def peek() -> tuple[str, str | None, str] | None:
        return tokens[pos] if pos < len(tokens) else None

    def unary() -> Leaf:
        nonlocal pos
        token = peek()
        if token is None or token[0] in (")", "op"):
            raise search_error(f"a term is missing in {text!r}")
        pos += 1
        if token[0] == "(":
            inner = either()
            if peek() is None or peek()[0] != ")":  # type: ignore[index]
                raise search_error(f"a closing parenthesis is missing in {text!r}")
            pos += 1
            return inner
        return leaf(token[1], token[2])

    def both() -> Leaf:
        nonlocal pos
        parts = [unary()]
        while (token := peek()) is not None and token[0] != ")" and token[2] != "OR":
            if token[0] == "op":
                pos += 1
            parts.append(unary())
        return parts[0] if len(parts) == 1 else combine(tuple(parts), False)

    def either() -> Leaf:
        nonlocal pos
        parts = [both()]
        while (token := peek()) is not None and token[0] == "op" and token[2] == "OR":
            pos += 1
            parts.append(both())
        return parts[0] if len(parts) == 1 else combine(tuple(parts), True)

    if not tokens:
        return None
    result = either()
    if peek() is not None:
        raise search_error(f"unexpected {peek()[2]!r} in {text!r}")  # type: ignore[index]
    return result


def _q_term(field: str | None, value: str) -> Query:
    if field in (None, "text"):
        return term(value)
    if field not in FIELD_COLUMNS:
        raise search_error(
            f"q cannot search field {field!r}; use {', '.join(FIELD_COLUMNS)} or text (filter "
            "on organization, tags, groups with fq)"
        )
    return term(value, field)


def parse_q(q: str) -> Query | None:
    if q.strip() in ("", "*:*", "*"):
        return None
    return parse(q, _q_term, lambda parts, any_of: Either(parts, any_of))


def _fq_term(field: str | None, value: str) -> Exact:
    if field is None:
        raise search_error(f"fq term {value!r} names no field (field:value)")
    if ALWAYS_TRUE.get(field) == value.lower():
        return Choice(())
    if field not in FQ_FIELDS:
        raise search_error(
            f"fq field {field!r} is not supported; use one of {', '.join(sorted(FQ_FIELDS))}"
        )
    if FQ_FIELDS[field] == "res_format":  # every format is served for a dataset with data
        return Match("res_format", value if value.lower() in FORMATS else "")
    return Match(FQ_FIELDS[field], value)


def parse_fq(fq: str) -> Exact | None:
    return parse(fq, _fq_term, lambda parts, any_of: Choice(parts, any_of))


def parse_sort(raw: str) -> tuple[tuple[str, bool], ...]:
    order = []
    for part in raw.split(","):
        words = part.split()
        if not words:
            continue
        key = SORT_KEYS.get(words[0])
        direction = words[1].lower() if len(words) > 1 else "asc"
        if key is None or direction not in ("asc", "desc") or len(words) > 2:
            raise search_error(
                f"cannot sort by {part.strip()!r}; use {', '.join(SORT_KEYS)} with asc or desc"
            )
        order.append((key, direction == "desc"))
    return tuple(order)


def _bounded(params: dict[str, Any], key: str) -> str:
    text = str(params.get(key) or "")
    if len(text) > MAX_SEARCH_CHARS:
        raise invalid(
            key,
            f"{key}: the search is {len(text):,} characters long; at most {MAX_SEARCH_CHARS} "
            "are accepted",
        )
    return text


@action("package_search")
def package_search(call: Call) -> dict[str, Any]:
    """Search datasets: ``q`` (Solr syntax: words, ``"phrases"``, ``title:``/``tags:``/
    ``notes:``, ``AND``/``OR``, parentheses), ``fq`` (``organization:``, ``owner_org:``,
    ``tags:``, ``res_format:``, ``license_id:``, ``groups:`` joined by ``AND``/``OR``),
    ``sort`` (e.g. ``metadata_modified desc`` or ``score desc, title asc``), ``rows``
    (≤ 1000), ``start``, ``facet.field``, ``facet.limit``. Searched in the database."""
    params = call.params
    rows = integer(params, "rows", 10, maximum=MAX_ROWS)
    start = integer(params, "start", 0)
    query = parse_q(_bounded(params, "q"))
    exact = parse_fq(_bounded(params, "fq"))
    raw_sort = str(params.get("sort") or "").strip()
    sort: Any = parse_sort(raw_sort) if raw_sort else "relevance"
    wanted = DatasetSearch(query=query, exact=exact)
    page = call.service.search_datasets(wanted, sort=sort, limit=rows, offset=start)
    fields = [f for f in strings(params, "facet.field") if f in FACETS]
    limit = int(params.get("facet.limit") or 50)
    facets: dict[str, dict[str, int]] = {}
    search_facets: dict[str, Any] = {}
    if fields:
        counts = call.service.facets(wanted, fields=fields)
        for name in fields:
            items = dict(list(counts.get(name, {}).items())[: limit if limit >= 0 else None])
            facets[name] = items
            search_facets[name] = {
                "title": name,
                "items": [{"name": k, "display_name": k, "count": v} for k, v in items.items()],
            }
    return {
        "count": page.count,
        "results": [package_dict(d, call.base_url) for d in page.items],
        "facets": facets,
        "search_facets": search_facets,
        "sort": raw_sort or "score desc, metadata_modified desc",
    }
