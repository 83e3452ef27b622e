"""Column statistics (one SQL pass over the sample) and the per-column decision.

One aggregate query over the distinct values of every column computes, for every column and
every detector, how many cells hold a
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

from kaifang.privacy.detectors.base import Detector
from kaifang.privacy.matching import (
    cells_sql,
    flag_columns,
    flag_filter,
    hints,
    plan,
    regex_compiles,
    union_regex,
)
from kaifang.sqlutil import quote_literal

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
    # SQL over a row of :data:`CELLS_TABLE`, true on this detector's hits.
    hit_filter: str = "false"


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


CELLS_TABLE = "screened_cells"


def column_stats(
    con: duckdb.DuckDBPyConnection,
    source: str,
    columns: list[str],
    detectors: tuple[Detector, ...],
) -> list[ColumnStats]:
    """Run every detector over every column of ``source`` (a table name on ``con``), once per
    distinct value of each column: a column of 22 county names costs 22 evaluations, not one
    per row. :mod:`kaifang.privacy.matching` describes how a value skips the detectors that
    cannot match it (the counts are exact).

    The per-value results stay in the temporary table :data:`CELLS_TABLE` on ``con`` (``col``,
    the normalized value ``v``, its count ``w`` and flag columns; a detector's hits are the
    rows where :attr:`DetectorStats.hit_filter` holds), so that examples are taken from the
    hits without running the regexes again."""
    if not columns:
        return []
    planned = plan(detectors, columns)
    hinted = hints(con, source, columns, planned)
    compiles: dict[str, bool] = {}
    unions = []
    for i in range(len(columns)):
        union = union_regex([p.token_regex(i) for p in planned if p.active(i)])
        if union not in compiles:
            compiles[union] = not union or regex_compiles(con, union)
        unions.append(compiles[union])
    sql = cells_sql(source, columns, planned, hinted, unions)
    # Each CASE above runs a guard or a pattern only on the values that need it; DuckDB's
    # common-subexpression pass would lift a guard that several detectors share out of
    # them, and run it on every value.
    (disabled,) = con.execute("SELECT current_setting('disabled_optimizers')").fetchone() or ("",)
    con.execute("SET disabled_optimizers = 'common_subexpressions'")
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {CELLS_TABLE} AS {sql}")
    finally:
        con.execute(f"SET disabled_optimizers = {quote_literal(disabled)}")
    # Grouped by column and flags, the table shrinks to a few rows per column; the counts
    # per detector are summed from those.
    masks = flag_columns(planned)
    rows = con.execute(
        f"SELECT col, v <> '' AS filled, {', '.join(masks)}, sum(w), count(*), "
        f"sum(length(v) * w) FROM {CELLS_TABLE} GROUP BY ALL"
    ).fetchall()
    totals: dict[int, list[int]] = {}
    counts: dict[tuple[int, int], int] = {}
    for col, filled, *rest in rows:
        flags, (weight, distinct, length) = rest[: len(masks)], rest[len(masks) :]
        total = totals.setdefault(col, [0, 0, 0, 0])
        total[0] += int(weight)
        total[1] += int(length)
        if filled:
            total[2] += int(weight)
            total[3] += int(distinct)
        for m, mask in enumerate(flags):
            bit = m * 62
            while mask:
                if mask & 1:
                    counts[col, bit] = counts.get((col, bit), 0) + int(weight)
                mask >>= 1
                bit += 1
    out: list[ColumnStats] = []
    for i, name in enumerate(columns):
        if i not in totals:  # every value NULL
            out.append(ColumnStats(name, 0, 0, 0.0, []))
            continue
        weight, length, non_empty, distinct = totals[i]
        per_detector = []
        for p in planned:
            if not p.active(i):
                continue
            hits = counts.get((i, p.hit_bit), 0)
            candidates = hits if p.candidate_bit is None else counts.get((i, p.candidate_bit), 0)
            per_detector.append(
                DetectorStats(p.detector, p.contexts[i], hits, candidates, flag_filter(p.hit_bit))
            )
        out.append(ColumnStats(name, non_empty, distinct, length / weight, per_detector))
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
