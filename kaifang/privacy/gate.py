"""The publish gate: refuse while a direct identifier remains or verification fails."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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
    allow_personal_data: str | None = None,
) -> list[GateFailure]:
    """What blocks publishing (empty: publishable). ``report`` screens the data as it will be
    published (after the policy). A non-empty ``allow_personal_data`` — the legal basis, e.g.
    「公職人員選舉罷免法第 43 條」 — lets data a law makes public through; the caller records
    the basis in the catalog."""
    if allow_personal_data and allow_personal_data.strip():
        return []
    failures = [
        GateFailure(
            "direct_identifier",
            col.name,
            f"{col.name}: {', '.join(col.detectors)} in {col.match_rate:.1%} of rows",
            f"set `{col.name}: {{action: {col.action if col.action != 'keep' else 'drop'}}}` "
            "in the policy",
        )
        for col in report.columns
        if col.category == "direct_identifier"
    ]
    if verification is None:
        if not report.k_anonymity.passes:
            failures.append(
                GateFailure(
                    "k_anonymity",
                    ", ".join(report.quasi_identifiers) or report.count_column,
                    f"k = {report.k_anonymity.k} (needs ≥ {report.k_anonymity.threshold})",
                    "generalize the quasi-identifiers or set suppress_rare_rows: true",
                )
            )
        return failures
    failures += [
        GateFailure(check.code, check.column, check.message, check.fix or "")
        for check in verification.checks
        if not check.passed
    ]
    return failures
