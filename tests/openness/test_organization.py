"""The organization view: split groups count once, distribution, mean, trend, overdue,
requests."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from kaifang.errors import ValidationError
from kaifang.openness import (
    ColumnFacts,
    DatasetFacts,
    DatasetRequest,
    ScoreRecord,
    score_dataset,
    score_organization,
)
from tests.openness.factories import NOW, TAIPEI, dataset, resource
from tests.openness.test_split import school_list


def _table(name: str) -> tuple[ColumnFacts, ...]:
    return tuple(ColumnFacts(f"{name}{i}", "integer", "說明") for i in range(4))


def _org() -> list[DatasetFacts]:
    return [
        school_list("國小"),  # 100
        school_list("國中"),  # 100, same schema -> one unit with 國小
        dataset(
            id="moe-stale",
            resources=(resource(id="r-s", name="統計", columns=_table("統計")),),
            update_frequency="monthly",
            current_version_created=NOW - timedelta(days=60),
        ),  # 90, overdue
        dataset(
            id="moe-closed",
            license="proprietary",
            update_frequency=None,
            contact=None,
            resources=(resource(id="r-c", columns=_table("預算")),),
        ),  # 68 (L1 -15, T1 -10, M3 -7), and no ★5 link column
    ]


def test_split_groups_count_as_one_dataset() -> None:
    org = score_organization("MOE", _org(), now=NOW, org_name="教育部")
    out = org.to_dict()
    assert out["datasets"] == 4
    assert out["counted_datasets"] == 3
    assert out["distribution"] == {"gold": 2, "silver": 0, "bronze": 1, "none": 0}
    assert out["mean"] == pytest.approx((100 + 90 + 68) / 3, abs=0.05)
    assert out["gold"] == 2
    assert [g["datasets"] for g in out["split_groups"]] == [["moe-國中", "moe-國小"]]
    assert {tuple(u["datasets"]) for u in out["units"]} == {
        ("moe-國小", "moe-國中"),
        ("moe-stale",),
        ("moe-closed",),
    }


def test_a_split_group_scores_as_its_weakest_member() -> None:
    datasets = [
        school_list("國小"),  # 100
        replace(school_list("國中"), cost="100元"),  # 97
        replace(school_list("高中"), license="proprietary"),  # 85
    ]
    org = score_organization("MOE", datasets, now=NOW)
    assert [(u.datasets, u.score) for u in org.units] == [
        (("moe-國小", "moe-國中", "moe-高中"), 85)
    ]
    assert org.distribution == {"gold": 0, "silver": 1, "bronze": 0, "none": 0}
    assert org.mean == 85.0


def test_a_split_group_without_band_counts_as_none() -> None:
    datasets = [school_list("國小"), replace(school_list("國中"), screening=None)]  # 95, gate
    org = score_organization("MOE", datasets, now=NOW)
    assert org.distribution == {"gold": 0, "silver": 0, "bronze": 0, "none": 1}


def test_overdue_datasets_name_the_due_date() -> None:
    out = score_organization("MOE", _org(), now=NOW).to_dict()
    assert out["overdue"] == [
        {
            "dataset": "moe-stale",
            "title": "國民小學名錄",
            "update_frequency": "monthly",
            "due": "2026-02-15",
            "days_overdue": 14,
        }
    ]


def test_open_requests_with_age_oldest_first() -> None:
    requests = [
        DatasetRequest("q2", "補習班名錄", NOW - timedelta(days=3)),
        DatasetRequest("q1", "學校營養午餐菜單", NOW - timedelta(days=40, hours=1)),
    ]
    out = score_organization("MOE", _org(), now=NOW, open_requests=requests).to_dict()
    assert [(r["id"], r["age_days"]) for r in out["requests"]] == [("q1", 40), ("q2", 3)]


def _at(month: int, day: int) -> datetime:
    return datetime(2025, month, day, 12, tzinfo=TAIPEI)


def test_trend_is_the_monthly_mean_of_latest_scores_with_split_groups_once() -> None:
    history = [
        ScoreRecord("moe-國小", 1, 60, _at(10, 5)),
        ScoreRecord("moe-國中", 1, 40, _at(10, 20)),  # same unit as 國小: counts at min 40
        ScoreRecord("moe-stale", 1, 80, _at(11, 2)),
        ScoreRecord("moe-國中", 2, 90, _at(12, 1)),
        ScoreRecord("moe-國小", 2, 70, _at(12, 3)),
        ScoreRecord("moe-unknown", 1, 0, _at(12, 3)),  # not one of the org's datasets
    ]
    org = score_organization(
        "MOE", _org(), now=datetime(2026, 1, 15, tzinfo=TAIPEI), history=history
    )
    assert [p.to_dict() for p in org.trend] == [
        {"month": "2025-10", "mean": 40.0, "counted_datasets": 1},
        {"month": "2025-11", "mean": 60.0, "counted_datasets": 2},
        {"month": "2025-12", "mean": 75.0, "counted_datasets": 2},
        {"month": "2026-01", "mean": 75.0, "counted_datasets": 2},
    ]


def test_no_history_no_trend_and_no_datasets_no_mean() -> None:
    org = score_organization("EMPTY", [], now=NOW)
    assert (org.trend, org.mean, org.gold_count) == ((), None, 0)


def test_another_organizations_dataset_is_refused() -> None:
    with pytest.raises(ValidationError, match="moe-國小"):
        score_organization("TPE", [school_list("國小")], now=NOW)


def test_a_score_record_is_made_from_a_dataset_score() -> None:
    record = ScoreRecord.of(score_dataset(dataset(), now=NOW), version=3, recorded_at=NOW)
    assert record.to_dict() == {
        "dataset": "moe-elementary",
        "version": 3,
        "score": 100,
        "recorded_at": "2026-03-01T09:00:00+08:00",
    }
