"""Score history: a score is recorded for every published version (``ScoreRecord``), and an
organization's trend is its mean score month by month.

For each calendar month (UTC) from the first record to ``now``, each dataset's score is its
latest record up to the end of that month; a split group counts once, at its lowest member's
score; the month's mean is over the units that have a record by then. Months before the
first record are left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from kaifang.openness.split import SplitGroup

if TYPE_CHECKING:
    from kaifang.openness.score import DatasetScore


@dataclass(frozen=True)
class ScoreRecord:
    """The score a dataset had when ``version`` was published (or re-scored)."""

    dataset: str
    version: int
    score: int
    recorded_at: datetime

    @classmethod
    def of(cls, score: DatasetScore, *, version: int, recorded_at: datetime) -> ScoreRecord:
        """The record to store when ``version`` of the scored dataset is published."""
        return cls(score.dataset, version, score.score, recorded_at)

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "version": self.version,
            "score": self.score,
            "recorded_at": self.recorded_at.isoformat(),
        }


@dataclass(frozen=True)
class TrendPoint:
    month: str
    mean: float
    counted_datasets: int

    def to_dict(self) -> dict[str, Any]:
        return {"month": self.month, "mean": self.mean, "counted_datasets": self.counted_datasets}


def units_of(dataset_ids: Sequence[str], groups: Iterable[SplitGroup]) -> list[tuple[str, ...]]:
    """The datasets as counted: every split group's datasets merged into one unit (groups
    that share a dataset merge too), every other dataset on its own; in input order."""
    unit_of = {d: d for d in dataset_ids}

    def root(item: str) -> str:
        while unit_of[item] != item:
            item = unit_of[item]
        return item

    for group in groups:
        members = [d for d in group.datasets if d in unit_of]
        for other in members[1:]:
            unit_of[root(other)] = root(members[0])
    units: dict[str, list[str]] = {}
    for dataset in dataset_ids:
        units.setdefault(root(dataset), []).append(dataset)
    return [tuple(members) for members in units.values()]


def _month(moment: datetime) -> tuple[int, int]:
    utc = moment.astimezone(UTC) if moment.tzinfo is not None else moment
    return (utc.year, utc.month)


def _next(month: tuple[int, int]) -> tuple[int, int]:
    year, number = month
    return (year + 1, 1) if number == 12 else (year, number + 1)


def monthly_trend(
    records: Sequence[ScoreRecord], units: Sequence[tuple[str, ...]], *, now: datetime
) -> list[TrendPoint]:
    if not records:
        return []
    ordered = sorted(records, key=lambda r: (r.recorded_at, r.version))
    latest: dict[str, int] = {}
    points = []
    month, last = _month(ordered[0].recorded_at), _month(now)
    position = 0
    while month <= last:
        while position < len(ordered) and _month(ordered[position].recorded_at) <= month:
            latest[ordered[position].dataset] = ordered[position].score
            position += 1
        unit_scores = [
            min(latest[d] for d in unit if d in latest)
            for unit in units
            if any(d in latest for d in unit)
        ]
        if unit_scores:
            points.append(
                TrendPoint(
                    f"{month[0]:04d}-{month[1]:02d}",
                    round(sum(unit_scores) / len(unit_scores), 1),
                    len(unit_scores),
                )
            )
        month = _next(month)
    return points
