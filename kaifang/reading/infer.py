"""Type inference over whole columns, in SQL over the staged data.

Threshold: a column takes a type when at least 99 % of its non-empty values parse as that
type — at most ``floor(non_empty / 100)`` values may fail, so a column with fewer than 100
values must parse completely. Values that fail become NULL and are reported as ``type-error``
problems with their data-row numbers. Preference: ROC date, integer, number, boolean, date,
date-time, time, then string. Numbers written with a leading zero (``011601``, ``09``) are
codes and stay strings.

Two passes keep this fast on large files (see :mod:`kaifang.reading.plan`): the first
rows propose each column's type and whether it needs normalizing (slow path, ``n_<i>``);
the whole column is then checked against the proposal with cheap expressions on the raw
text (fast path). A column that breaks its proposal is inferred again from all its values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kaifang.reading import roc_dates
from kaifang.reading.model import Note
from kaifang.reading.normalize import WHITESPACE, normalized, raw, rtrimmed, unprefixed
from kaifang.sqlutil import quote_literal

INTEGER = "[+-]?[0-9]{1,18}"
LEADING_ZERO = "[+-]?0[0-9]+(\\.[0-9]*)?"
NUMBER = "[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?"
CODE = "[0-9A-Za-z._/-]+"

# What each inferred kind is called in Table Schema.
SCHEMA_TYPE = {
    "integer": "integer",
    "number": "number",
    "boolean": "boolean",
    "date": "date",
    "roc-date": "date",
    "datetime": "datetime",
    "time": "time",
    "year": "year",
    "code": "string",
    "string": "string",
}
STATS = (
    "nonnull",
    "trailing_space",
    "apostrophe",
    "full_width",
    "integer",
    "leading_zero",
    "number",
    "boolean",
    "date",
    "datetime",
    "roc_date",
    "roc_compact",
    "time",
    "code",
)


@dataclass
class ColumnPlan:
    """How output column ``name`` is computed from staged column ``index``: through the
    normalized value ``n_<i>`` (``normalized``) or straight from the raw text."""

    name: str
    index: int
    kind: str = "string"
    normalized: bool = True
    rtrim: bool = False
    failures: int = 0
    notes: list[Note] = field(default_factory=list)

    def note(self, code: str, message: str, count: int | None = None) -> None:
        self.notes.append(Note(code, message, column=self.name, count=count))

    @property
    def type(self) -> str:
        return SCHEMA_TYPE[self.kind]

    def typed_sql(self) -> str:
        if self.normalized:
            return slow_sql(self.kind, self.index)
        return fast_sql(self.kind, self.index, rtrim=self.rtrim)

    def present_sql(self) -> str:
        """True when the cell holds a value (failures are present cells typed as NULL)."""
        if self.normalized:
            return f"{normalized(self.index)} IS NOT NULL"
        return f"NULLIF({raw(self.index)}, '') IS NOT NULL"


def slow_sql(kind: str, i: int) -> str:
    """The typed value from the normalized text ``n_<i>`` (every written form accepted)."""
    n = normalized(i)
    if kind == "integer":
        return f"CASE WHEN regexp_full_match({n}, '{INTEGER}') THEN CAST({n} AS BIGINT) END"
    if kind == "number":
        return f"CASE WHEN regexp_full_match({n}, '{NUMBER}') THEN CAST({n} AS DOUBLE) END"
    if kind == "boolean":
        return f"CASE lower({n}) WHEN 'true' THEN true WHEN 'false' THEN false END"
    if kind == "date":
        return f"coalesce({roc_dates.date_sql(n)}, {roc_dates.roc_date_sql(n)})"
    if kind == "roc-date":
        return roc_dates.roc_date_sql(n)
    if kind == "datetime":
        return roc_dates.datetime_sql(n)
    if kind == "time":
        return roc_dates.time_sql(n)
    if kind == "year":
        return f"CASE WHEN regexp_full_match({n}, '[0-9]{{4}}') THEN CAST({n} AS INTEGER) END"
    if kind == "code":
        return n
    return unprefixed(i)


def fast_sql(kind: str, i: int, *, rtrim: bool = False) -> str:
    """The typed value straight from the raw text, with DuckDB's native casts."""
    v = raw(i)
    if kind == "integer":
        return f"CASE WHEN regexp_full_match({v}, '{INTEGER}') THEN CAST({v} AS BIGINT) END"
    if kind == "number":
        return f"CASE WHEN regexp_full_match({v}, '{NUMBER}') THEN CAST({v} AS DOUBLE) END"
    if kind == "boolean":
        return f"CASE lower({v}) WHEN 'true' THEN true WHEN 'false' THEN false END"
    if kind == "date":
        return f"CASE WHEN length({v}) <= 10 THEN TRY_CAST({v} AS DATE) END"
    if kind == "roc-date":
        return roc_dates.roc_compact_sql(v)
    if kind == "datetime":
        return f"TRY_CAST({v} AS TIMESTAMP)"
    if kind == "time":
        return f"TRY_CAST({v} AS TIME)"
    if rtrim:
        return f"NULLIF(rtrim({v}, {quote_literal(WHITESPACE)}), '')"
    return f"NULLIF({v}, '')"


def slow_aggregates(i: int) -> list[str]:
    """One aggregate per name in :data:`STATS`, over the normalized column ``i``."""
    n = normalized(i)
    return [
        f"count({rtrimmed(i)})",
        f"count_if({raw(i)} <> {rtrimmed(i)})",
        f"count_if({unprefixed(i)} <> {rtrimmed(i)})",
        f"count_if({n} <> trim({unprefixed(i)}))",
        f"count_if(regexp_full_match({n}, '{INTEGER}'))",
        f"count_if(regexp_full_match({n}, '{LEADING_ZERO}'))",
        f"count_if(regexp_full_match({n}, '{NUMBER}'))",
        f"count_if(lower({n}) IN ('true', 'false'))",
        f"count({roc_dates.date_sql(n)})",
        f"count({roc_dates.datetime_sql(n)})",
        f"count({roc_dates.roc_date_sql(n)})",
        f"count({roc_dates.roc_compact_sql(n)})",
        f"count({roc_dates.time_sql(n)})",
        f"count_if(regexp_full_match({n}, '{CODE}'))",
    ]


def fits(count: int, nonnull: int) -> bool:
    return nonnull > 0 and count >= nonnull - nonnull // 100


def choose_kind(stats: Mapping[str, int]) -> str:
    nonnull = stats["nonnull"]
    if nonnull == 0:
        return "string"
    has_codes = stats["leading_zero"] > 0
    order = (
        ("roc-date", "roc_date", True),
        ("integer", "integer", not has_codes),
        ("number", "number", not has_codes),
        ("boolean", "boolean", True),
        ("date", "date", True),
        ("datetime", "datetime", True),
        ("time", "time", True),
    )
    for kind, key, allowed in order:
        if allowed and fits(stats[key], nonnull):
            return kind
    if stats["full_width"] and fits(stats["code"], nonnull):
        return "code"
    return "string"


def needs_normalizing(kind: str, stats: Mapping[str, int]) -> bool:
    """Whether sample ``stats`` show the column needs the slow, normalizing path."""
    if stats["nonnull"] == 0 or stats["apostrophe"] or stats["full_width"]:
        return True
    if kind in ("code", "year") or (kind != "string" and stats["trailing_space"]):
        return True
    return kind == "roc-date" and stats["roc_compact"] < stats["nonnull"]


def plan_column(name: str, index: int, stats: Mapping[str, int], forced: str | None) -> ColumnPlan:
    """The plan for a column from the slow statistics over all its values."""
    kind = forced or choose_kind(stats)
    plan = ColumnPlan(name=name, index=index, kind=kind, normalized=True)
    nonnull = stats["nonnull"]
    fitting = {
        "integer": stats["integer"],
        "number": stats["number"],
        "boolean": stats["boolean"],
        "date": max(stats["date"], stats["roc_date"]),
        "roc-date": stats["roc_date"],
        "datetime": stats["datetime"],
        "time": stats["time"],
    }
    plan.failures = nonnull - fitting[kind] if kind in fitting else 0
    if stats["trailing_space"]:
        count = stats["trailing_space"]
        plan.note(
            "trailing-whitespace", f"trailing whitespace removed from {count} value(s)", count
        )
    if stats["apostrophe"]:
        count = stats["apostrophe"]
        plan.note(
            "apostrophe-prefix", f"Excel apostrophe prefix removed from {count} code(s)", count
        )
    if stats["full_width"] and kind != "string":
        count = stats["full_width"]
        plan.note(
            "full-width", f"full-width characters normalized (NFKC) in {count} value(s)", count
        )
    add_kind_notes(plan, leading_zeros=stats["leading_zero"] > 0 and fits(stats["number"], nonnull))
    return plan


def add_kind_notes(plan: ColumnPlan, *, leading_zeros: bool) -> None:
    if plan.kind == "roc-date":
        plan.note("roc-date", "ROC (民國) dates converted to ISO dates")
    if leading_zeros and plan.kind == "string":
        plan.note("leading-zeros", "numbers with leading zeros kept as text (codes)")
    if plan.failures:
        plan.note(
            "type-errors",
            f"{plan.failures} value(s) are not {plan.type}; read as empty (see problems)",
            plan.failures,
        )
