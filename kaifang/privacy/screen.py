"""``screen``: classify every column of a relation and measure k-anonymity.

Sampling: classification reads every row up to ``sample_rows`` (default 100 000); a larger
table is classified on a repeatable reservoir sample of that many rows, so a free-text
identifier present in 1 row in 100 still shows up about 1 000 times. Row counts and
k-anonymity always use every row.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from kaifang.privacy.classify import CELLS_TABLE, ColumnStats, column_stats, lookalike
from kaifang.privacy.decide import (
    PASSAGE_SHARE,
    PERSON_ATTRIBUTES,
    PLACES,
    TRIP_PLACES,
    count_column,
    decide,
    fired,
    is_institutional,
    is_trip_table,
    primary_detector,
)
from kaifang.privacy.detectors import DEFAULT_DETECTORS, Detector, mask_sql
from kaifang.privacy.normalize import normalized_sql
from kaifang.privacy.relations import query
from kaifang.privacy.report import ColumnReport, Finding, KAnonymity, ScreeningReport
from kaifang.privacy.verify import k_anonymity
from kaifang.settings import Settings
from kaifang.sqlutil import quote_ident

DEFAULT_SAMPLE_ROWS = 100_000
_SAMPLE_SEED = 42


def screen(
    relation: duckdb.DuckDBPyRelation,
    *,
    settings: Settings,
    table_name: str | None = None,
    detectors: tuple[Detector, ...] = DEFAULT_DETECTORS,
    sample_rows: int = DEFAULT_SAMPLE_ROWS,
    rows: int | None = None,
    sample: pa.Table | None = None,
    count_classes: bool = True,
) -> ScreeningReport:
    """Screen ``relation`` for personal data; see the module doc for the sampling rule.
    ``rows``: the relation's row count when the caller knows it (saves a pass over it).
    ``sample``: rows the caller already drew from the relation at random (a publish draws them
    while writing, :mod:`kaifang.publish.sampling`); classification then uses them instead
    of a reservoir pass. ``count_classes=False`` classifies the columns only: the report's
    k-anonymity is then not measured (``k`` None), which saves a pass over every row; a
    publish with a policy wants only the classification of the rows as read, since the gate
    counts the classes of the rows it publishes."""
    columns = list(relation.columns)
    if rows is None:
        rows = int(relation.aggregate("count(*)").fetchall()[0][0])
    if sample is not None:
        sampled = sample
    elif rows > sample_rows:
        sampled = query(
            relation,
            "screened",
            f"SELECT * FROM screened USING SAMPLE reservoir({int(sample_rows)} ROWS) "
            f"REPEATABLE ({_SAMPLE_SEED})",
        ).to_arrow_table()
    else:
        sampled = relation.to_arrow_table()
    sample_size = min(rows, sampled.num_rows)
    con = duckdb.connect()
    con.register("sample_rows", sampled)
    stats = column_stats(con, "sample_rows", columns, detectors)
    institutional = is_institutional(stats)
    trips = is_trip_table(stats, _passage_times(con, stats))
    found = {s.detector.name for c in stats for s in fired(c)}
    if not trips:
        found -= TRIP_PLACES
    places_or_people = not institutional and bool(found & (PLACES | PERSON_ATTRIBUTES))
    reports = [
        decide(c, institutional=institutional, places_or_people=places_or_people, trips=trips)
        for c in stats
    ]
    _add_examples(con, columns, stats, reports)
    quasi = [r.name for r in reports if r.category == "quasi_identifier"]
    # Small counts matter when the dimensions describe people or places.
    counted = count_column(stats) if quasi else None
    sensitive = any(r.category == "sensitive" for r in reports)
    if not count_classes:
        kanon = KAnonymity(None, settings.k_anonymity, 0)
    elif counted is not None:
        kanon = _small_cells(relation, counted, settings)
    else:
        threshold = settings.k_anonymity_sensitive if sensitive else settings.k_anonymity
        kanon = k_anonymity(relation, quasi, threshold)
    findings = _findings(stats, reports, institutional, kanon, counted)
    if rows > sample_size:
        findings.append(
            Finding(
                "sampled",
                None,
                f"columns classified on a repeatable sample of {sample_size:,} of {rows:,} rows",
            )
        )
    return ScreeningReport(
        file=table_name,
        rows=rows,
        columns=reports,
        quasi_identifiers=quasi,
        k_anonymity=kanon,
        findings=findings,
        sampled_rows=sample_size,
        count_column=counted,
    )


def _passage_times(con: duckdb.DuckDBPyConnection, stats: list[ColumnStats]) -> bool:
    """Whether an event-time column holds times to the second (not on the whole minute in
    more than :data:`PASSAGE_SHARE` of its rows): each row is then one passage."""
    timed = [c.name for c in stats if any(s.detector.name == "event_time" for s in fired(c))]
    if not timed:
        return False
    shares = ", ".join(
        f"avg(CASE WHEN regexp_matches(v{i}, ':[0-9]{{2}}:[0-9]{{2}}') AND NOT "
        f"regexp_matches(v{i}, ':00(\\.0+)?$') THEN 1.0 ELSE 0.0 END)"
        for i in range(len(timed))
    )
    values = ", ".join(
        f"{normalized_sql(quote_ident(name))} AS v{i}" for i, name in enumerate(timed)
    )
    row = con.execute(f"SELECT {shares} FROM (SELECT {values} FROM sample_rows)").fetchone()
    return row is not None and any((share or 0) > PASSAGE_SHARE for share in row)


def _add_examples(
    con: duckdb.DuckDBPyConnection,
    columns: list[str],
    stats: list[ColumnStats],
    reports: list[ColumnReport],
) -> None:
    """Up to 3 masked examples per column with findings, in one query over the distinct
    values :func:`column_stats` found to hit (:data:`CELLS_TABLE`, so no detector regex
    runs twice): the first distinct non-empty ones in sorted order, so that a report is the
    same on every run (the CLI's ``--json`` equals the library's result) whatever order
    DuckDB scans in. A whole-cell detector's token is the cell itself."""
    parts: list[tuple[ColumnReport, str]] = []
    shown = "CASE WHEN regexp_matches(e, '^[a-z0-9*.-]+$') THEN upper(e) ELSE e END"
    for i, (column, report) in enumerate(zip(stats, reports, strict=True)):
        primary = primary_detector(column, report)
        if primary is None or report.category == "none":
            continue
        det, ctx = primary.detector, primary.context
        # The token once per value, then the mask over it, materialized: a mask names its
        # token several times and ``shown`` and the filter name the mask again, and DuckDB
        # would otherwise compute the token and the mask again for each mention.
        token = "v" if det.whole_cell else det.hit_token_sql("v", context=ctx)
        parts.append(
            (
                report,
                f"(WITH masked AS MATERIALIZED (SELECT {mask_sql('t', det.mask_style)} AS e "
                f"FROM (SELECT {token} AS t FROM {CELLS_TABLE} "
                f"WHERE col = {i} AND {primary.hit_filter})) "
                f"SELECT list(s ORDER BY s) FROM (SELECT DISTINCT {shown} AS s FROM masked "
                "WHERE e IS NOT NULL AND e <> '' ORDER BY s LIMIT 3))",
            )
        )
    if not parts:
        return
    row = con.execute("SELECT " + ", ".join(sql for _, sql in parts)).fetchone()
    assert row is not None
    for (report, _), examples in zip(parts, row, strict=True):
        report.examples = list(examples or [])


def _small_cells(relation: duckdb.DuckDBPyRelation, counted: str, settings: Settings) -> KAnonymity:
    col = quote_ident(counted)
    threshold = settings.small_cell_threshold
    value = f"TRY_CAST({col} AS BIGINT)"
    row = relation.aggregate(
        f"min({value}) FILTER (WHERE {value} > 0), count(*) FILTER (WHERE {value} > 0 AND "
        f"{value} < {threshold})"
    ).fetchall()[0]
    return KAnonymity(None if row[0] is None else int(row[0]), threshold, int(row[1]))


def _findings(
    stats: list[ColumnStats],
    reports: list[ColumnReport],
    institutional: bool,
    kanon: KAnonymity,
    counted: str | None,
) -> list[Finding]:
    out: list[Finding] = []
    for column, report in zip(stats, reports, strict=True):
        name = report.name
        if report.category == "direct_identifier":
            code = "free_text_identifier" if report.free_text else "direct_identifier"
            out.append(
                Finding(
                    code,
                    name,
                    f"{name}: {', '.join(report.detectors)} in {report.match_rate:.1%} of rows;"
                    f" fix: {report.action} the column in the policy",
                )
            )
        elif report.category == "sensitive":
            out.append(
                Finding(
                    "special_category",
                    name,
                    f"{name}: PDPA art. 6 special category; published only with k ≥ 11 and "
                    "ℓ-diversity ≥ 2",
                )
            )
        elif institutional and report.detectors and report.category == "none":
            out.append(Finding("institution_contact", name, f"{name}: {report.reason}"))
        for det_stats in column.detectors:
            if lookalike(column, det_stats):
                out.append(
                    Finding(
                        "checksum_lookalike",
                        name,
                        f"{name}: values shaped like {det_stats.detector.label} fail its "
                        "checksum; treated as serial numbers, not identifiers",
                    )
                )
    if not kanon.passes:
        if counted is not None:
            out.append(
                Finding(
                    "small_cells",
                    counted,
                    f"{kanon.violating_rows} counts below {kanon.threshold}; fix: "
                    "suppress_small_cells (with complementary suppression)",
                )
            )
        else:
            out.append(
                Finding(
                    "k_anonymity",
                    None,
                    f"k = {kanon.k} over the quasi-identifiers (needs ≥ {kanon.threshold}); "
                    f"{kanon.violating_rows} rows in rarer combinations; fix: generalize the "
                    "quasi-identifiers or suppress rare rows",
                )
            )
    return out
