"""The national view: organizations ranked by mean score and by number of 金 datasets, and
its CSV export (RFC 4180, UTF-8 with a BOM for Excel, spreadsheet formulas neutralized)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from typing import Any

from kaifang.openness.organization import OrganizationScore

RANKING_COLUMNS = (
    "rank_by_mean",
    "rank_by_gold",
    "organization",
    "name",
    "mean",
    "gold",
    "silver",
    "bronze",
    "none",
    "counted_datasets",
    "datasets",
    "split_groups",
    "overdue",
    "open_requests",
)
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _competition_ranks(
    orgs: Sequence[OrganizationScore], key: Callable[[OrganizationScore], float]
) -> dict[str, int]:
    """1, 2, 2, 4...: ties share a rank and the next rank skips."""
    ordered = sorted(orgs, key=key, reverse=True)
    ranks: dict[str, int] = {}
    for position, org in enumerate(ordered, start=1):
        previous = ordered[position - 2] if position > 1 else None
        same = previous is not None and key(previous) == key(org)
        ranks[org.org_code] = ranks[previous.org_code] if same and previous else position
    return ranks


def ranking(orgs: Sequence[OrganizationScore]) -> list[dict[str, Any]]:
    """One row per organization, best mean first (then most 金, then code), with both ranks.
    An organization without datasets has mean ``None`` and ranks last by mean."""

    def by_mean(org: OrganizationScore) -> float:
        return org.mean if org.mean is not None else -1.0

    def by_gold(org: OrganizationScore) -> float:
        return float(org.gold_count)

    mean_ranks = _competition_ranks(orgs, by_mean)
    gold_ranks = _competition_ranks(orgs, by_gold)
    ordered = sorted(orgs, key=lambda o: (-by_mean(o), -o.gold_count, o.org_code))
    rows = []
    for org in ordered:
        distribution = org.distribution
        rows.append(
            {
                "rank_by_mean": mean_ranks[org.org_code],
                "rank_by_gold": gold_ranks[org.org_code],
                "organization": org.org_code,
                "name": org.org_name,
                "mean": org.mean,
                "gold": distribution["gold"],
                "silver": distribution["silver"],
                "bronze": distribution["bronze"],
                "none": distribution["none"],
                "counted_datasets": len(org.units),
                "datasets": len(org.datasets),
                "split_groups": len(org.split_groups),
                "overdue": len(org.overdue),
                "open_requests": len(org.requests),
            }
        )
    return rows


def csv_cell(value: Any) -> str:
    """A value as a CSV cell: ``None`` is empty; text that a spreadsheet would run as a
    formula gets a leading apostrophe (OWASP CSV injection); numbers are written as is."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def ranking_to_csv(rows: Sequence[dict[str, Any]], *, bom: bool = True) -> str:
    """The ranking rows as CSV text (header first; a UTF-8 BOM unless ``bom=False``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(RANKING_COLUMNS)
    for row in rows:
        writer.writerow([csv_cell(row.get(column)) for column in RANKING_COLUMNS])
    return ("\ufeff" if bom else "") + out.getvalue()
