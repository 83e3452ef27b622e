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

from kaifang.privacy.detectors.base import CHAR_CLASSES, Detector
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
    # The column of :data:`CELLS_TABLE` that is true on this detector's hits.
    hit_column: str = ""


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


def distinct_cells_sql(columns: list[str], source: str) -> str:
    """Every column of ``source`` in long form, one row per distinct (column, value) with
    its count ``w``, the value normalized (``v``) and flags for the character classes it
    holds. Detectors then run once per distinct value: a column of 22 county names costs 22
    evaluations, not one per row. Each column is grouped on its own (a UNION ALL, not an
    UNPIVOT grouped on column and value), which halves the cost of grouping."""
    grouped = " UNION ALL ".join(
        f"SELECT {i} AS col, raw, count(*) AS w FROM (SELECT CAST({quote_ident(name)} AS "
        f"VARCHAR) AS raw FROM {source}) WHERE raw IS NOT NULL GROUP BY raw"
        for i, name in enumerate(columns)
    )
    flags = ", ".join(
        f"regexp_matches(v, '{rx}') AS has_{name}" for name, rx in CHAR_CLASSES.items()
    )
    return (
        f"SELECT col, v, w, {flags} FROM (SELECT col, {normalized_sql('raw')} AS v, w "
        f"FROM ({grouped}))"
    )


CELLS_TABLE = "screened_cells"


def column_stats(
    con: duckdb.DuckDBPyConnection,
    source: str,
    columns: list[str],
    detectors: tuple[Detector, ...],
) -> list[ColumnStats]:
    """Run every detector over every column of ``source`` (a table name on ``con``), in one
    query over the distinct values (see :func:`distinct_cells_sql`). A value without the
    characters a detector ``requires`` (digits, Latin letters, CJK, ``@``) skips its regex.

    The per-value results stay in the temporary table :data:`CELLS_TABLE` on ``con`` (``col``,
    the normalized value ``v`` and one boolean column per detector, named by
    :attr:`DetectorStats.hit_column`), so that examples are taken from the hits without
    running the regexes again."""
    if not columns:
        return []
    aggregates = [
        "sum(w) FILTER (WHERE v <> '')",
        "count(*) FILTER (WHERE v <> '')",
        "coalesce(sum(length(v) * w) / sum(w), 0)",
    ]
    # Two projections, so that each regex runs once per distinct value: ``c<k>`` is the
    # cheap guard then the detector's shape (candidate), ``h<k>`` confirms candidates
    # (checksums). CASE, not AND: a CASE runs its branch only on the rows that pass.
    candidate_columns: list[str] = []
    confirm_columns: list[str] = []
    plan: list[tuple[Detector, list[bool], bool]] = []
    for det in detectors:
        contexts = [det.has_keyword(name) for name in columns]
        with_context = [str(i) for i, ctx in enumerate(contexts) if ctx]
        if det.needs_context and not with_context:
            continue
        k = len(plan)
        guard = det.guard_sql("v")
        in_context = f"col IN ({', '.join(with_context) or 'NULL'})"
        if det.needs_context:
            guard = f"{guard} AND {in_context}"
        candidate = det.candidate_sql("v", context=False)
        confirm = det.confirm_sql("v", context=False)
        if with_context and det.context_pattern:
            candidate = (
                f"CASE WHEN {in_context} THEN {det.candidate_sql('v', context=True)} "
                f"ELSE {candidate} END"
            )
            confirm = (
                f"CASE WHEN {in_context} THEN {det.confirm_sql('v', context=True)} "
                f"ELSE {confirm} END"
            )
        candidate_columns.append(f"CASE WHEN {guard} THEN {candidate} ELSE false END AS c{k}")
        with_candidates = det.validate is not None
        if with_candidates:
            confirm_columns.append(f"CASE WHEN c{k} THEN {confirm} ELSE false END AS h{k}")
            aggregates.append(f"coalesce(sum(w) FILTER (WHERE h{k}), 0)")
            aggregates.append(f"coalesce(sum(w) FILTER (WHERE c{k}), 0)")
        else:
            aggregates.append(f"coalesce(sum(w) FILTER (WHERE c{k}), 0)")
        plan.append((det, contexts, with_candidates))
    cells = distinct_cells_sql(columns, source)
    level1 = f"SELECT col, v, w, {', '.join(['true AS c_none', *candidate_columns])} FROM ({cells})"
    level2 = f"SELECT *, {', '.join(['true AS h_none', *confirm_columns])} FROM ({level1})"
    con.execute(f"CREATE OR REPLACE TEMP TABLE {CELLS_TABLE} AS {level2}")
    sql = f"SELECT col, {', '.join(aggregates)} FROM {CELLS_TABLE} GROUP BY col"
    by_column = {int(row[0]): list(row[1:]) for row in con.execute(sql).fetchall()}
    out: list[ColumnStats] = []
    for i, name in enumerate(columns):
        values = by_column.get(i)
        if values is None:  # every value NULL
            out.append(ColumnStats(name, 0, 0, 0.0, []))
            continue
        non_empty, distinct, avg_length = values[:3]
        pos = 3
        per_detector = []
        for k, (det, contexts, with_candidates) in enumerate(plan):
            hits = int(values[pos])
            pos += 1
            candidates = hits
            if with_candidates:
                candidates = int(values[pos])
                pos += 1
            if det.needs_context and not contexts[i]:
                continue
            hit_column = f"h{k}" if with_candidates else f"c{k}"
            per_detector.append(DetectorStats(det, contexts[i], hits, candidates, hit_column))
        out.append(
            ColumnStats(
                name, int(non_empty or 0), int(distinct or 0), float(avg_length), per_detector
            )
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
