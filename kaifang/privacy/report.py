"""The screening report: what each column holds and what to do about it (findings are data).

``ScreeningReport.to_dict()`` is the ``kaifang scan --json`` object and what publish stores in
each version's manifest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kaifang.privacy.model import Action, Category


@dataclass(frozen=True)
class Finding:
    """One thing the publisher should know; ``code`` is a stable slug."""

    code: str
    column: str | None
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "column": self.column, "message": self.message}


@dataclass
class ColumnReport:
    name: str
    category: Category
    detectors: list[str]
    match_rate: float
    examples: list[str]
    action: Action
    reason: str
    free_text: bool = False
    generalize_to: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "category": self.category,
            "detectors": self.detectors,
            "match_rate": round(self.match_rate, 4),
            "examples": self.examples,
            "action": self.action,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class KAnonymity:
    """Smallest equivalence class ``k`` over the quasi-identifiers (None when there are
    none), the threshold that applies, and how many rows sit in smaller classes."""

    k: int | None
    threshold: int
    violating_rows: int

    @property
    def passes(self) -> bool:
        return self.k is None or self.k >= self.threshold

    def to_dict(self) -> dict[str, Any]:
        return {"k": self.k, "threshold": self.threshold, "violating_rows": self.violating_rows}


@dataclass
class ScreeningReport:
    file: str | None
    rows: int
    columns: list[ColumnReport]
    quasi_identifiers: list[str]
    k_anonymity: KAnonymity
    findings: list[Finding] = field(default_factory=list)
    sampled_rows: int | None = None
    count_column: str | None = None

    def column(self, name: str) -> ColumnReport:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def direct_identifiers(self) -> list[str]:
        return [c.name for c in self.columns if c.category == "direct_identifier"]

    @property
    def sensitive_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.category == "sensitive"]

    @property
    def publishable(self) -> bool:
        """No direct identifier and the quasi-identifiers pass k-anonymity as they stand."""
        return not self.direct_identifiers and self.k_anonymity.passes

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "rows": self.rows,
            "publishable": self.publishable,
            "columns": [c.to_dict() for c in self.columns],
            "quasi_identifiers": self.quasi_identifiers,
            "k_anonymity": self.k_anonymity.to_dict(),
            "findings": [f.to_dict() for f in self.findings],
        }
