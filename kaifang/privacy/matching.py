"""How the detectors run over a column's distinct values: the SQL behind
:func:`kaifang.privacy.classify.column_stats`.

A regular expression costs about the same whatever it looks for: RE2 scans the bytes of the
value once. Running each of twenty detectors on its own over free text therefore costs twenty
scans of every cell, most of which find nothing. Instead, per column:

1. one regex, the alternation of every detector's pattern (the *union*), says whether the
   value holds anything any detector could match: most free-text cells do not, and the
   detectors never run on them;
2. the detectors a column usually holds (its *hint*: those that match among its first rows)
   run on the values the union matched, and one more regex, the union of the *other*
   detectors, says whether any other detector needs to run on that value: in a column of
   phone numbers only the phone detector runs (and when it is the column's only hint and
   no other detector matches, not even its pattern: the union already found it);
3. the checksums run only on the values whose shape matched (``confirm_sql``).

Every step is exact: a value skips a detector only when a regex proves the detector's own
pattern cannot match it, so the counts are those of running every detector on every value.
The hint only decides how much work that proof costs.

The SQL names each detector's expressions once, for all columns (``CASE`` on the column
number where columns differ): planning a query costs time in proportion to its text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

import duckdb

from kaifang.privacy.detectors.base import Detector
from kaifang.privacy.normalize import normalized_sql
from kaifang.sqlutil import quote_ident, quote_literal

HINT_ROWS = 500
"""Rows of the sample read to learn which detectors a column usually holds."""
_BITS = 62  # detector flags per BIGINT column of the cells table


@dataclass(frozen=True)
class Planned:
    """A detector in the scan: whether each column's name gives it context, and its bits in
    the cells table (the hit bit, and a candidate bit when a checksum can reject a shape)."""

    detector: Detector
    contexts: list[bool]
    hit_bit: int
    candidate_bit: int | None

    def active(self, column: int) -> bool:
        return self.contexts[column] or not self.detector.needs_context

    def token_regex(self, column: int) -> str:
        return self.detector.token_regex(context=self.contexts[column])

    def columns(self) -> list[int]:
        """The columns this detector runs on."""
        return [i for i in range(len(self.contexts)) if self.active(i)]

    def by_context(self, sql: Callable[..., str]) -> str:
        """``sql(context=...)`` for the current row's column: one expression, or a ``CASE``
        when the detector has a looser pattern for columns whose name gives it context."""
        with_context = [i for i, ctx in enumerate(self.contexts) if ctx]
        if not with_context or self.detector.context_pattern is None:
            return sql(context=False)
        return (
            f"CASE WHEN {_in(with_context)} THEN {sql(context=True)} ELSE {sql(context=False)} END"
        )


def plan(detectors: Sequence[Detector], columns: list[str]) -> list[Planned]:
    """The detectors worth running on ``columns`` (one that needs context runs only on
    columns whose name gives it), each with its flag bits."""
    planned: list[Planned] = []
    bit = 0
    for det in detectors:
        contexts = [det.has_keyword(name) for name in columns]
        if det.needs_context and not any(contexts):
            continue
        candidate_bit = bit + 1 if det.validate is not None else None
        planned.append(Planned(det, contexts, bit, candidate_bit))
        bit += 1 if candidate_bit is None else 2
    return planned


def flag_columns(planned: list[Planned]) -> list[str]:
    """The BIGINT columns of the cells table holding the flags (62 to a column)."""
    last = max((p.candidate_bit or p.hit_bit for p in planned), default=0)
    return [f"m{i}" for i in range(last // _BITS + 1)]


def flag_filter(bit: int) -> str:
    """SQL over a cells-table row, true when flag ``bit`` is set."""
    return f"(m{bit // _BITS} & {1 << (bit % _BITS)}) <> 0"


def union_regex(patterns: list[str]) -> str:
    """One regex matching wherever one of ``patterns`` matches (each in its own group, so
    that an alternation or an inline flag in one stays inside it)."""
    return "|".join(f"(?:{p})" for p in patterns)


def regex_compiles(con: duckdb.DuckDBPyConnection, regex: str) -> bool:
    """Whether DuckDB's RE2 accepts ``regex`` (a union of valid patterns can still fail,
    for instance on a group name two third-party detectors share)."""
    try:
        con.execute(f"SELECT regexp_matches('', {quote_literal(regex)})").fetchall()
    except duckdb.Error:
        return False
    return True


def long_form_sql(source: str, columns: list[str], limit: int | None = None) -> str:
    """Every column of ``source`` in long form, one row per distinct (column, value): the
    column number ``col``, the normalized value ``v`` and its count ``w``. Each column is
    grouped on its own (a UNION ALL, not an UNPIVOT grouped on column and value), which
    halves the cost of grouping. ``limit``: only the first rows of ``source``."""
    rows = f"(SELECT * FROM {source} LIMIT {int(limit)})" if limit is not None else source
    grouped = " UNION ALL ".join(
        f"SELECT {i} AS col, raw, count(*) AS w FROM (SELECT CAST({quote_ident(name)} AS "
        f"VARCHAR) AS raw FROM {rows}) WHERE raw IS NOT NULL GROUP BY raw"
        for i, name in enumerate(columns)
    )
    return f"SELECT col, {normalized_sql('raw')} AS v, w FROM ({grouped})"


def hints(
    con: duckdb.DuckDBPyConnection, source: str, columns: list[str], planned: list[Planned]
) -> list[set[int]]:
    """Per column, the planned detectors (by index) whose pattern matches a value among the
    first :data:`HINT_ROWS` rows of ``source``: what the column usually holds."""
    out: list[set[int]] = [set() for _ in columns]
    if not planned:
        return out
    checks = ", ".join(f"bool_or({_in(p.columns())} AND {_guarded(p)})" for p in planned)
    sql = f"SELECT col, {checks} FROM ({long_form_sql(source, columns, HINT_ROWS)}) GROUP BY col"
    for col, *found in con.execute(sql).fetchall():
        out[col] = {k for k, hit in enumerate(found) if hit}
    return out


def cells_sql(
    source: str,
    columns: list[str],
    planned: list[Planned],
    hinted: list[set[int]],
    unions: list[bool],
) -> str:
    """The cells table: :func:`long_form_sql` with the flag columns
    (:func:`flag_columns`). ``unions[i]`` False: column ``i`` runs every detector's guard
    and pattern on every value (for a union RE2 does not accept)."""
    matched: dict[str, list[int]] = {}
    rest: dict[str, list[int]] = {}
    for i in range(len(columns)):
        active = [k for k, p in enumerate(planned) if p.active(i)]
        if not active:
            matched.setdefault("false", []).append(i)
            continue
        if not unions[i]:
            matched.setdefault("true", []).append(i)
            rest.setdefault("true", []).append(i)
            continue
        regexes = [planned[k].token_regex(i) for k in active]
        matched.setdefault(_matches(union_regex(regexes)), []).append(i)
        others = [planned[k].token_regex(i) for k in active if k not in hinted[i]]
        rest.setdefault(_matches(union_regex(others)) if others else "false", []).append(i)
    shapes = []
    confirms = []
    bits: dict[int, str] = {}
    for k, p in enumerate(planned):
        alone = [i for i in p.columns() if hinted[i] == {k}]
        among = [i for i in p.columns() if k in hinted[i] and hinted[i] != {k}]
        # Where no other detector's pattern matches, a column's only hinted detector is the
        # one the union found: its guard alone decides.
        shapes.append(
            f"CASE WHEN rest AND {_in(p.columns())} OR u AND {_in(among)} THEN {_guarded(p)} "
            f"WHEN u AND {_in(alone)} THEN {p.detector.guard_sql('v', flags=None)} "
            f"ELSE false END AS c{k}"
        )
        if p.candidate_bit is None:
            bits[p.hit_bit] = f"c{k}"
        else:
            confirm = p.by_context(partial(p.detector.confirm_sql, "v"))
            confirms.append(f"CASE WHEN c{k} THEN {confirm} ELSE false END AS h{k}")
            bits[p.hit_bit] = f"h{k}"
            bits[p.candidate_bit] = f"c{k}"
    masks = []
    for m, name in enumerate(flag_columns(planned)):
        terms = [
            f"(CAST({flag} AS BIGINT) << {bit % _BITS})"
            for bit, flag in bits.items()
            if bit // _BITS == m
        ]
        masks.append(f"{' | '.join(terms) or '0'} AS {name}")
    tested = (
        f"SELECT *, CASE WHEN u THEN {_by_column(rest)} ELSE false END AS rest FROM "
        f"(SELECT col, v, w, {_by_column(matched)} AS u FROM ({long_form_sql(source, columns)}))"
    )
    shaped = f"SELECT col, v, w, {', '.join(['u', *shapes])} FROM ({tested})"
    confirmed = f"SELECT *, {', '.join(['true AS h_none', *confirms])} FROM ({shaped})"
    return f"SELECT col, v, w, {', '.join(masks)} FROM ({confirmed})"


def _in(columns: list[int]) -> str:
    """SQL: the row's column is one of ``columns`` (a lookup in a list of booleans: DuckDB
    turns a long ``IN`` list into a join)."""
    if not columns:
        return "false"
    last = max(columns)
    flags = ", ".join("true" if i in columns else "false" for i in range(last + 1))
    return f"coalesce([{flags}][col + 1], false)"


def _matches(regex: str) -> str:
    return f"regexp_matches(v, {quote_literal(regex)})"


def _by_column(expressions: dict[str, list[int]]) -> str:
    """One of ``expressions`` (SQL -> the columns it is for), chosen by the row's column."""
    if len(expressions) == 1:
        return next(iter(expressions))
    branches = " ".join(f"WHEN {_in(cols)} THEN {sql}" for sql, cols in expressions.items())
    return f"CASE {branches} ELSE false END"


def _guarded(p: Planned) -> str:
    """The detector's guard, then its pattern."""
    candidate = p.by_context(partial(p.detector.candidate_sql, "v"))
    return f"CASE WHEN {p.detector.guard_sql('v', flags=None)} THEN {candidate} ELSE false END"
