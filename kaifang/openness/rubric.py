"""The rubric: the explicit list of checks and their points (they sum to 100), and the
evaluation of a dataset against it. The table with each check's points is in
docs/openness.md; a test keeps the two in step."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kaifang.openness.checks import access, formats, licence, metadata, privacy, timeliness
from kaifang.openness.checks.base import Check, Text
from kaifang.openness.facts import DatasetFacts

TOTAL_POINTS = 100

RUBRIC: tuple[Check, ...] = (
    licence.OPEN_LICENCE,
    licence.NO_CONTRADICTING_TERMS,
    access.CURRENT_VERSION_READABLE,
    access.BULK_WITHOUT_LOGIN,
    access.FREE_OF_CHARGE,
    formats.MACHINE_READABLE,
    formats.OPEN_FORMAT,
    formats.DECLARED_FORMAT_MATCHES,
    formats.PARSES_CLEANLY,
    metadata.COLUMNS_DOCUMENTED,
    metadata.FINDABLE,
    metadata.ACCOUNTABLE,
    metadata.DESCRIBED,
    timeliness.UP_TO_DATE,
    privacy.PRIVACY_GATE,
)


@dataclass(frozen=True)
class CheckResult:
    """One check applied to one dataset: ``points_lost`` is ``points`` when it failed,
    else 0."""

    code: str
    slug: str
    title: Text
    passed: bool
    points: int
    reason: Text
    fix: Text | None

    @property
    def points_lost(self) -> int:
        return 0 if self.passed else self.points

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "slug": self.slug,
            "title": self.title.to_dict(),
            "passed": self.passed,
            "points": self.points,
            "points_lost": self.points_lost,
            "reason": self.reason.to_dict(),
            "fix": self.fix.to_dict() if self.fix is not None else None,
        }


def evaluate(
    facts: DatasetFacts, *, now: datetime, rubric: Sequence[Check] = RUBRIC
) -> list[CheckResult]:
    """Every check of ``rubric`` applied to ``facts``, in rubric order."""
    results = []
    for check in rubric:
        outcome = check.evaluate(facts, now)
        results.append(
            CheckResult(
                code=check.code,
                slug=check.slug,
                title=check.title,
                passed=outcome.passed,
                points=check.points,
                reason=outcome.reason,
                fix=outcome.fix,
            )
        )
    return results
