"""A dataset's score: the rubric's points kept, its band, its stars and the GODI view."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from kaifang.openness.checks.base import Text
from kaifang.openness.facts import DatasetFacts
from kaifang.openness.godi import GodiView, godi_view
from kaifang.openness.rubric import TOTAL_POINTS, CheckResult, evaluate
from kaifang.openness.stars import StarRating, star_rating

PRIVACY_GATE_CODE = "G"


class Band(Enum):
    """Quality bands (data.gov.tw's 金/銀/銅): the value is the lowest score of the band."""

    GOLD = 90
    SILVER = 75
    BRONZE = 55

    @property
    def slug(self) -> str:
        return self.name.lower()

    @property
    def zh(self) -> str:
        return {"GOLD": "金", "SILVER": "銀", "BRONZE": "銅"}[self.name]

    @property
    def en(self) -> str:
        return self.slug

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.slug, "zh": self.zh, "en": self.en, "min_score": self.value}


def band_for(score: float) -> Band | None:
    """金 ≥ 90, 銀 75–89, 銅 55–74, none below."""
    for band in Band:
        if score >= band.value:
            return band
    return None


@dataclass(frozen=True)
class DatasetScore:
    dataset: str
    title: str
    org_code: str
    checks: tuple[CheckResult, ...]
    stars: StarRating
    godi: GodiView

    @property
    def score(self) -> int:
        return TOTAL_POINTS - sum(c.points_lost for c in self.checks)

    @property
    def privacy_gate_passed(self) -> bool:
        return all(c.passed for c in self.checks if c.code == PRIVACY_GATE_CODE)

    @property
    def band(self) -> Band | None:
        """The band of the score; none while the privacy gate fails."""
        return band_for(self.score) if self.privacy_gate_passed else None

    def check(self, code: str) -> CheckResult:
        return next(c for c in self.checks if c.code == code)

    def to_dict(self) -> dict[str, Any]:
        band = self.band
        note = None
        if band is None and not self.privacy_gate_passed and band_for(self.score) is not None:
            note = Text(
                "個人資料把關未通過前不授予標章。",
                "No band is awarded until the privacy gate passes.",
            ).to_dict()
        return {
            "dataset": self.dataset,
            "title": self.title,
            "organization": self.org_code,
            "score": self.score,
            "max_score": TOTAL_POINTS,
            "band": band.to_dict() if band is not None else None,
            "band_note": note,
            "stars": self.stars.to_dict(),
            "checks": [c.to_dict() for c in self.checks],
            "godi": self.godi.to_dict(),
        }


def score_dataset(facts: DatasetFacts, *, now: datetime) -> DatasetScore:
    """Score ``facts`` against the rubric at time ``now`` (timezone-aware, like the facts'
    dates)."""
    checks = tuple(evaluate(facts, now=now))
    return DatasetScore(
        dataset=facts.id,
        title=facts.title,
        org_code=facts.org_code,
        checks=checks,
        stars=star_rating(facts),
        godi=godi_view(facts, checks),
    )
