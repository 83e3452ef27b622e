"""The organization view: score distribution per band, mean, trend, overdue datasets, open
dataset requests and split groups. A split group counts as ONE dataset in every figure: its
score is its lowest member's (merged, the every-resource checks would carry the weakest
part's faults), so splitting a table into many datasets never raises an organization's
figures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from kaifang.errors import ValidationError
from kaifang.openness.checks.timeliness import timeliness
from kaifang.openness.facts import DatasetFacts
from kaifang.openness.score import Band, DatasetScore, score_dataset
from kaifang.openness.split import SplitGroup, detect_split_datasets
from kaifang.openness.trend import ScoreRecord, TrendPoint, monthly_trend, units_of


@dataclass(frozen=True)
class DatasetRequest:
    """An open request from the public for a dataset the organization holds."""

    id: str
    title: str
    opened_at: datetime


@dataclass(frozen=True)
class ScoringUnit:
    """One dataset, or one split group counted as one."""

    datasets: tuple[str, ...]
    score: int
    band: Band | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "datasets": list(self.datasets),
            "score": self.score,
            "band": self.band.slug if self.band is not None else None,
        }


@dataclass(frozen=True)
class OverdueDataset:
    dataset: str
    title: str
    frequency: str
    due: date
    days_overdue: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "title": self.title,
            "update_frequency": self.frequency,
            "due": self.due.isoformat(),
            "days_overdue": self.days_overdue,
        }


def _band_rank(band: Band | None) -> int:
    return band.value if band is not None else 0


@dataclass(frozen=True)
class OrganizationScore:
    org_code: str
    org_name: str | None
    now: datetime
    datasets: tuple[DatasetScore, ...]
    units: tuple[ScoringUnit, ...]
    split_groups: tuple[SplitGroup, ...]
    overdue: tuple[OverdueDataset, ...]
    requests: tuple[DatasetRequest, ...]
    trend: tuple[TrendPoint, ...]

    @property
    def mean(self) -> float | None:
        if not self.units:
            return None
        return round(sum(u.score for u in self.units) / len(self.units), 1)

    @property
    def distribution(self) -> dict[str, int]:
        counts = {band.slug: 0 for band in Band} | {"none": 0}
        for unit in self.units:
            counts[unit.band.slug if unit.band is not None else "none"] += 1
        return counts

    @property
    def gold_count(self) -> int:
        return self.distribution[Band.GOLD.slug]

    def to_dict(self) -> dict[str, Any]:
        return {
            "organization": self.org_code,
            "name": self.org_name,
            "computed_at": self.now.isoformat(),
            "datasets": len(self.datasets),
            "counted_datasets": len(self.units),
            "mean": self.mean,
            "gold": self.gold_count,
            "distribution": self.distribution,
            "units": [u.to_dict() for u in self.units],
            "scores": [
                {
                    "dataset": d.dataset,
                    "title": d.title,
                    "score": d.score,
                    "band": d.band.slug if d.band is not None else None,
                    "stars": d.stars.level,
                }
                for d in self.datasets
            ],
            "split_groups": [g.to_dict() for g in self.split_groups],
            "overdue": [o.to_dict() for o in self.overdue],
            "requests": [
                {
                    "id": r.id,
                    "title": r.title,
                    "opened_at": r.opened_at.isoformat(),
                    "age_days": max(0, (self.now - r.opened_at).days),
                }
                for r in self.requests
            ],
            "trend": [p.to_dict() for p in self.trend],
        }


def score_organization(
    org_code: str,
    datasets: Sequence[DatasetFacts],
    *,
    now: datetime,
    history: Sequence[ScoreRecord] = (),
    open_requests: Sequence[DatasetRequest] = (),
    org_name: str | None = None,
) -> OrganizationScore:
    """Score every dataset of ``org_code`` and aggregate, treating split groups as one."""
    strangers = [d.id for d in datasets if d.org_code != org_code]
    if strangers:
        raise ValidationError(
            f"Datasets {', '.join(strangers[:5])} belong to another organization than "
            f"{org_code!r}.",
            hint="Pass only the organization's own datasets to score_organization.",
        )
    scores = tuple(score_dataset(d, now=now) for d in datasets)
    groups = tuple(detect_split_datasets(datasets))
    units = []
    by_id = {s.dataset: s for s in scores}
    for members in units_of([d.id for d in datasets], groups):
        weakest = min((by_id[m] for m in members), key=lambda s: (_band_rank(s.band), s.score))
        units.append(ScoringUnit(members, min(by_id[m].score for m in members), weakest.band))
    overdue = []
    for facts in datasets:
        state = timeliness(facts, now)
        if state.overdue and state.due is not None and state.frequency is not None:
            overdue.append(
                OverdueDataset(
                    facts.id, facts.title, state.frequency, state.due, state.days_overdue
                )
            )
    overdue.sort(key=lambda o: (-o.days_overdue, o.dataset))
    known = set(by_id)
    records = [r for r in history if r.dataset in known]
    return OrganizationScore(
        org_code=org_code,
        org_name=org_name,
        now=now,
        datasets=scores,
        units=tuple(units),
        split_groups=groups,
        overdue=tuple(overdue),
        requests=tuple(sorted(open_requests, key=lambda r: r.opened_at)),
        trend=tuple(monthly_trend(records, units_of(sorted(known), groups), now=now)),
    )
