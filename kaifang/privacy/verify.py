"""Verification after de-identification: k-anonymity over the quasi-identifiers, ℓ-diversity
of sensitive columns within each equivalence class, the share of suppressed rows, and small
cells of aggregate tables. All measured with one SQL ``GROUP BY`` each over every row."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import duckdb

from kaifang.privacy.relations import query
from kaifang.privacy.report import KAnonymity, ScreeningReport
from kaifang.settings import Settings
from kaifang.sqlutil import quote_ident

if TYPE_CHECKING:
    from kaifang.privacy.policy import Policy


@dataclass(frozen=True)
class Check:
    """One verification result; ``fix`` says what to change when it fails."""

    code: str
    passed: bool
    message: str
    column: str | None = None
    fix: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "passed": self.passed,
            "message": self.message,
            "column": self.column,
            "fix": self.fix,
        }


@dataclass
class Verification:
    rows: int
    original_rows: int
    k_anonymity: KAnonymity
    l_diversity: dict[str, int] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)
    quasi_identifiers: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    @property
    def suppressed_share(self) -> float:
        if self.original_rows <= 0:
            return 0.0
        return max(0, self.original_rows - self.rows) / self.original_rows

    def to_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "rows": self.rows,
            "original_rows": self.original_rows,
            "suppressed_share": round(self.suppressed_share, 4),
            "k_anonymity": self.k_anonymity.to_dict(),
            "l_diversity": self.l_diversity,
            "quasi_identifiers": self.quasi_identifiers,
            "checks": [c.to_dict() for c in self.checks],
        }


def _group_list(columns: list[str]) -> str:
    return ", ".join(quote_ident(c) for c in columns)


def k_anonymity(
    relation: duckdb.DuckDBPyRelation, quasi_identifiers: list[str], threshold: int
) -> KAnonymity:
    """Smallest class size over ``quasi_identifiers`` and the rows in classes below
    ``threshold`` (NULL is a value of its own, as a reader would see it).

    Classes are grouped by a 64-bit hash of the identifiers rather than by the values: one
    fixed-width key instead of several strings and timestamps makes the count about twice as
    fast on ten million distinct rows. Two classes share a hash with a chance near n²/2⁶⁵
    (3·10⁻⁶ for 10⁷ classes), and a merged pair of small classes still counts as violating
    unless it reaches the threshold."""
    if not quasi_identifiers:
        return KAnonymity(None, threshold, 0)
    row = query(
        relation,
        "kanon_input",
        f"SELECT min(n), coalesce(sum(n) FILTER (WHERE n < {int(threshold)}), 0) FROM "
        f"(SELECT count(*) AS n FROM kanon_input "
        f"GROUP BY hash({_group_list(quasi_identifiers)}))",
    ).fetchall()[0]
    return KAnonymity(None if row[0] is None else int(row[0]), threshold, int(row[1]))


def l_diversity(
    relation: duckdb.DuckDBPyRelation, quasi_identifiers: list[str], sensitive: str
) -> int:
    """The fewest distinct values of ``sensitive`` within one equivalence class."""
    group = f"GROUP BY {_group_list(quasi_identifiers)}" if quasi_identifiers else ""
    row = query(
        relation,
        "ldiv_input",
        f"SELECT min(l) FROM (SELECT count(DISTINCT {quote_ident(sensitive)}) AS l "
        f"FROM ldiv_input {group})",
    ).fetchall()[0]
    return int(row[0] or 0)


def _counted_classes(
    rescreened: ScreeningReport | None, quasi: list[str], threshold: int
) -> KAnonymity | None:
    """The classes ``rescreened`` already counted on the same rows, when it grouped by the
    same quasi-identifiers against the same threshold (saves a pass over every row)."""
    if rescreened is None or rescreened.count_column is not None:
        return None
    counted = rescreened.k_anonymity
    if counted.k is None or counted.threshold != threshold:
        return None
    if set(rescreened.quasi_identifiers) != set(quasi):
        return None
    return counted


def verify(
    relation: duckdb.DuckDBPyRelation,
    report_or_policy: ScreeningReport | Policy,
    settings: Settings,
    *,
    original_rows: int | None = None,
    rescreened: ScreeningReport | None = None,
) -> Verification:
    """Check the de-identified ``relation`` against the quasi-identifiers and sensitive
    columns named by the screening report (or the policy made from it), together with every
    quasi-identifier and sensitive column that ``rescreened`` (the screen of ``relation``
    itself, after the transforms) finds: a generalized address is still a place, so a policy
    cannot leave it out of the count by not listing it."""
    from kaifang.privacy.cells import small_cell_count

    present = set(relation.columns)
    named_quasi = list(report_or_policy.quasi_identifiers)
    named_sensitive = list(report_or_policy.sensitive_columns)
    if rescreened is not None:
        named_quasi += rescreened.quasi_identifiers
        named_sensitive += rescreened.sensitive_columns
    quasi = [c for c in dict.fromkeys(named_quasi) if c in present]
    sensitive = [c for c in dict.fromkeys(named_sensitive) if c in present and c not in quasi]
    counted = report_or_policy.count_column
    rows = int(relation.aggregate("count(*)").fetchall()[0][0])
    before = original_rows if original_rows is not None else report_or_policy.rows
    threshold = settings.k_anonymity_sensitive if sensitive else settings.k_anonymity
    checks: list[Check] = []
    if counted is not None and counted in present:
        small = small_cell_count(relation, counted, settings)
        kanon = KAnonymity(None, settings.small_cell_threshold, small)
        checks.append(
            Check(
                "small_cells",
                small == 0,
                f"{small} counts between 1 and {settings.small_cell_threshold - 1} remain",
                counted,
                "apply suppress_small_cells (primary and complementary suppression)",
            )
        )
    else:
        kanon = _counted_classes(rescreened, quasi, threshold) or k_anonymity(
            relation, quasi, threshold
        )
        checks.append(
            Check(
                "k_anonymity",
                kanon.passes,
                f"k = {kanon.k} over {quasi} (needs ≥ {threshold}); "
                f"{kanon.violating_rows} rows in smaller classes",
                ", ".join(quasi) or None,
                "generalize these columns further (month → quarter → year, 村里 → 區) or "
                "suppress rare rows",
            )
        )
    diversity: dict[str, int] = {}
    for column in sensitive:
        level = l_diversity(relation, quasi, column)
        diversity[column] = level
        checks.append(
            Check(
                "l_diversity",
                level >= 2,
                f"ℓ = {level} for {column} (needs ≥ 2)",
                column,
                "generalize the quasi-identifiers so each class holds ≥ 2 distinct values",
            )
        )
    verification = Verification(rows, before, kanon, diversity, checks, quasi)
    share = verification.suppressed_share
    checks.append(
        Check(
            "suppression",
            share <= settings.max_suppression,
            f"{share:.1%} of rows suppressed (at most {settings.max_suppression:.0%})",
            None,
            "generalize the quasi-identifiers instead of suppressing so many rows",
        )
    )
    return verification
