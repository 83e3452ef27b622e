"""The publish gate: refuse while a direct identifier remains or verification fails."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kaifang.privacy.exception import PublicByNature
from kaifang.privacy.legal_basis import LegalBasis
from kaifang.privacy.report import ScreeningReport
from kaifang.privacy.verify import Verification


@dataclass(frozen=True)
class GateFailure:
    code: str
    column: str | None
    message: str
    fix: str

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "column": self.column, "message": self.message, "fix": self.fix}


def gate(
    report: ScreeningReport,
    verification: Verification | None,
    *,
    allow_personal_data: LegalBasis | None = None,
    exception: PublicByNature | None = None,
) -> list[GateFailure]:
    """What blocks publishing (empty: publishable). ``report`` screens the data as it will be
    published (after the policy). ``allow_personal_data`` — a structured legal basis
    (:mod:`kaifang.privacy.legal_basis`, e.g. 公職人員選舉罷免法第47條 with the columns it
    covers) — lets the direct-identifier columns it covers through, with the rows' k-anonymity
    (the law makes those persons public); every other direct identifier still blocks. The
    caller records the basis in the catalog.

    Quasi-identifiers failing k-anonymity block whether or not the rows describe people;
    ``exception`` (data public by its nature, :mod:`kaifang.privacy.exception`) lets that
    one failure through when it covers every quasi-identifier found, and nothing else."""
    covered = set(allow_personal_data.columns) if allow_personal_data is not None else set()
    failures = [
        GateFailure(
            "direct_identifier",
            col.name,
            f"{col.name}: {', '.join(col.detectors)} in {col.match_rate:.1%} of rows",
            f"set `{col.name}: {{action: {col.action if col.action != 'keep' else 'drop'}}}` "
            "in the policy",
        )
        for col in report.columns
        if col.category == "direct_identifier" and col.name not in covered
    ]
    if allow_personal_data is not None:
        return failures
    if verification is None:
        kanon = report.k_anonymity
        if not kanon.passes and report.count_column is not None:
            failures.append(
                GateFailure(
                    "small_cells",
                    report.count_column,
                    f"{report.count_column}: {kanon.violating_rows} counts between 1 and "
                    f"{kanon.threshold - 1}",
                    "apply suppress_small_cells (primary and complementary suppression)",
                )
            )
        elif not kanon.passes:
            failures.append(
                GateFailure(
                    "k_anonymity",
                    ", ".join(report.quasi_identifiers) or report.count_column,
                    f"{', '.join(report.quasi_identifiers) or report.count_column}: "
                    f"k = {report.k_anonymity.k} (needs ≥ {report.k_anonymity.threshold}); "
                    f"{report.k_anonymity.violating_rows} of {report.rows} rows in rarer "
                    "combinations",
                    "generalize the quasi-identifiers or set suppress_rare_rows: true",
                )
            )
        return _waive(failures, report, verification, exception)
    failures += [
        GateFailure(check.code, check.column, check.message, check.fix or "")
        for check in verification.checks
        if not check.passed
    ]
    return _waive(failures, report, verification, exception)


def _waive(
    failures: list[GateFailure],
    report: ScreeningReport,
    verification: Verification | None,
    exception: PublicByNature | None,
) -> list[GateFailure]:
    """``failures`` less the k-anonymity one when ``exception`` covers every
    quasi-identifier the screen (and the verification) counted, and less the small-cell one
    when it covers the count column."""
    if exception is None:
        return failures
    counted = set(report.quasi_identifiers)
    if verification is not None:
        counted |= set(verification.quasi_identifiers)
    waived = set()
    if exception.covers(counted):
        waived.add("k_anonymity")
    if report.count_column is not None and exception.covers([report.count_column]):
        waived.add("small_cells")
    return [f for f in failures if f.code not in waived]
