"""Column statistics (one SQL pass over the sample) and the per-column decision.

One aggregate query computes, for every column and every detector, how many cells hold a
valid token (``hits``) and how many hold something of the right shape (``candidates``,
checksum detectors only). A detector *fires* on a column when:

- it is ``strong`` and at least one cell hits, the hits are at least 0.5 % of the cells or
  the column is free text, and at least half of the shape matches pass the checksum (random
  serials pass a mod-10 checksum one time in ten, so lookalikes fail this);
- or the column name gives context and at least 20 % of the cells hit;
- or at least ``min_rate`` of the cells hit (person names also need varied values).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from kaifang.privacy.detectors.base import CHAR_CLASSES, RAW_CHAR_CLASSES, Detector
from kaifang.privacy.normalize import normalized_sql
from kaifang.sqlutil import quote_ident

FREE_TEXT_LENGTH = 20
STRONG_MIN_RATE = 0.005
CONTEXT_MIN_RATE = 0.2
CHECKSUM_MIN_SHARE = 0.5


@dataclass(frozen=True)
class DetectorStats:
    detector: Detector
    context: bool
    hits: int
    candidates: int


@dataclass
class ColumnStats:
    name: str
    non_empty: int
    distinct: int
    avg_length: float
    detectors: list[DetectorStats]

    @property
    def free_text(self) -> bool:
        return self.avg_length >= FREE_TEXT_LENGTH

    def rate(self, stats: DetectorStats) -> float:
        return stats.hits / self.non_empty if self.non_empty else 0.0


def normalized_view_sql(columns: list[str], source: str) -> str:
    """``SELECT`` of every column normalized once, as ``n0, n1, ...``."""
    cols = ", ".join(
        f"{normalized_sql(quote_ident(name))} AS n{i}" for i, name in enumerate(columns)
    )
    return f"SELECT {cols} FROM {source}"


def column_stats(
    con: duckdb.DuckDBPyConnection,
    source: str,
    columns: list[str],
    detectors: tuple[Detector, ...],
) -> list[ColumnStats]:
    """Run every detector over every column of ``source`` (a table name on ``con``).

    A first cheap pass finds which character classes (digits, Latin letters, CJK, ``@``)
    each column holds at all; a detector runs only on columns that hold what it
    ``requires`` — a column of Chinese names never pays for the checksum detectors."""
    classes = list(CHAR_CLASSES)
    flags = ", ".join(
        f"regexp_matches(n{i}, '{CHAR_CLASSES[c]}') AS n{i}_{c}"
        for i in range(len(columns))
        for c in classes
    )
    view = f"SELECT *, {flags} FROM ({normalized_view_sql(columns, source)})"
    probe = [
        f"bool_or(regexp_matches(CAST({quote_ident(name)} AS VARCHAR), '{RAW_CHAR_CLASSES[c]}'))"
        for name in columns
        for c in classes
    ]
    present_row = con.execute(f"SELECT {', '.join(probe)} FROM {source}").fetchone()
    assert present_row is not None
    present = [
        {c for j, c in enumerate(classes) if present_row[i * len(classes) + j]}
        for i in range(len(columns))
    ]
    aggregates: list[str] = []
    plan: list[list[tuple[Detector, bool, bool]]] = []
    for i, name in enumerate(columns):
        v = f"n{i}"
        aggregates += [
            f"count_if({v} <> '')",
            f"approx_count_distinct({v})",
            f"coalesce(avg(length({v})), 0)",
        ]
        column_plan = []
        for det in detectors:
            context = det.has_keyword(name)
            if det.needs_context and not context:
                continue
            if not set(det.requires) <= present[i]:
                continue
            # Cells without the characters a detector needs skip its regex entirely.
            guard = " AND ".join(f"{v}_{c}" for c in det.requires) or "true"
            hit = det.hit_sql(v, context=context)
            aggregates.append(f"count_if(CASE WHEN {guard} THEN {hit} END)")
            with_candidates = det.validate is not None
            if with_candidates:
                candidate = det.candidate_sql(v, context=context)
                aggregates.append(f"count_if(CASE WHEN {guard} THEN {candidate} END)")
            column_plan.append((det, context, with_candidates))
        plan.append(column_plan)
    if not aggregates:
        return []
    sql = f"SELECT {', '.join(aggregates)} FROM ({view})"
    row = con.execute(sql).fetchone()
    assert row is not None  # an aggregate query always returns one row
    values = list(row)
    out: list[ColumnStats] = []
    pos = 0
    for name, column_plan in zip(columns, plan, strict=True):
        non_empty, distinct, avg_length = values[pos : pos + 3]
        pos += 3
        per_detector = []
        for det, context, with_candidates in column_plan:
            hits = int(values[pos])
            pos += 1
            candidates = hits
            if with_candidates:
                candidates = int(values[pos])
                pos += 1
            per_detector.append(DetectorStats(det, context, hits, candidates))
        out.append(
            ColumnStats(name, int(non_empty), int(distinct), float(avg_length), per_detector)
        )
    return out


def fires(column: ColumnStats, stats: DetectorStats) -> bool:
    """Whether ``stats.detector`` counts as found in ``column`` (rules in the module doc)."""
    det = stats.detector
    if stats.hits == 0 or column.non_empty == 0:
        return False
    rate = column.rate(stats)
    if det.validate is not None and stats.hits / max(stats.candidates, 1) < CHECKSUM_MIN_SHARE:
        return False
    if det.strong and (rate >= STRONG_MIN_RATE or column.free_text):
        return True
    if stats.context and rate >= CONTEXT_MIN_RATE:
        return True
    if det.needs_context or rate < det.min_rate:
        return False
    if det.name == "person_name":
        return column.distinct >= min(50, column.non_empty * 0.3)
    return True


def lookalike(column: ColumnStats, stats: DetectorStats) -> bool:
    """Most cells have the detector's shape but fail its checksum (serials, not IDs)."""
    return (
        stats.detector.validate is not None
        and stats.detector.strong
        and column.non_empty > 0
        and stats.candidates / column.non_empty >= 0.5
        and stats.hits / max(stats.candidates, 1) < CHECKSUM_MIN_SHARE
    )
