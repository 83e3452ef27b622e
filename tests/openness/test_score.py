"""The score: the points invariant over many random datasets, bands at their edges, the
privacy gate, and the JSON shape."""

from __future__ import annotations

import json
import random
from datetime import timedelta

import pytest

from kaifang.openness import (
    RUBRIC,
    TOTAL_POINTS,
    Band,
    ColumnFacts,
    DatasetFacts,
    band_for,
    score_dataset,
)
from tests.openness.factories import NOW, SCHOOL_COLUMNS, dataset, resource


def random_facts(seed: int) -> DatasetFacts:
    """A dataset with each aspect spoiled or not at random (seeded, so failures replay)."""
    rng = random.Random(seed)

    def spoil() -> bool:
        return rng.random() < 0.4

    resources = tuple(
        resource(
            id=f"r{i}",
            name=f"表{i}",
            sniffed_format=rng.choice(["csv", "xlsx", "pdf", "json", "ods"]) if spoil() else "csv",
            declared_format=rng.choice([None, "CSV", "xls"]) if spoil() else "csv",
            source_encoding=rng.choice(["utf-8", "cp950", "big5"]),
            rows=0 if spoil() and rng.random() < 0.3 else rng.randint(1, 10_000),
            files_present=not (spoil() and rng.random() < 0.2),
            bulk_download=not (spoil() and rng.random() < 0.3),
            columns=tuple(
                ColumnFacts(c.name, c.type, "" if spoil() else c.description)
                for c in SCHOOL_COLUMNS[: rng.randint(0, len(SCHOOL_COLUMNS))]
            ),
            problems=({"row": 1, "column": "x", "code": "type-error", "message": "m"},)
            if spoil()
            else (),
        )
        for i in range(rng.randint(0, 3))
    )
    return dataset(
        license=rng.choice(["CC-BY-NC-4.0", "", "proprietary"]) if spoil() else "CC0-1.0",
        description="僅供學術研究" if spoil() else "說明",
        cost="100元" if spoil() else None,
        keywords=() if spoil() else ("k",),
        category=None if spoil() else "教育",
        spatial=None if spoil() else "臺灣",
        contact=None if spoil() else {"email": "a@b.tw"},
        publisher=None if spoil() else "某機關",
        update_frequency=rng.choice([None, "daily", "weekly", "yearly", "irregular", "每季"]),
        grace_days=rng.choice([None, 0, 3, 30]),
        current_version_created=NOW - timedelta(days=rng.randint(0, 800)),
        resources=resources,
        screening=None if spoil() else {"publishable": rng.random() < 0.8, "unresolved": []},
        requires_login=spoil() and rng.random() < 0.3,
    )


@pytest.mark.parametrize("seed", range(300))
def test_score_plus_points_lost_is_always_100(seed: int) -> None:
    scored = score_dataset(random_facts(seed), now=NOW)
    out = scored.to_dict()
    assert out["score"] + sum(c["points_lost"] for c in out["checks"]) == TOTAL_POINTS
    assert 0 <= out["score"] <= TOTAL_POINTS
    assert [c["code"] for c in out["checks"]] == [check.code for check in RUBRIC]
    for check in out["checks"]:
        assert check["points_lost"] in (0, check["points"])
        assert check["passed"] == (check["points_lost"] == 0)
        assert check["reason"]["zh"] and check["reason"]["en"]
        assert (check["fix"] is None) == check["passed"]
    godi = out["godi"]
    assert godi["score"] + sum(q["points_lost"] for q in godi["questions"]) == 100
    json.dumps(out)  # serializable as is


def test_the_rubric_sums_to_100_with_unique_codes() -> None:
    assert sum(check.points for check in RUBRIC) == TOTAL_POINTS
    assert len({check.code for check in RUBRIC}) == len(RUBRIC)
    assert len({check.slug for check in RUBRIC}) == len(RUBRIC)


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (100, Band.GOLD),
        (90, Band.GOLD),
        (89.9, Band.SILVER),
        (89, Band.SILVER),
        (75, Band.SILVER),
        (74, Band.BRONZE),
        (55, Band.BRONZE),
        (54.9, None),
        (54, None),
        (0, None),
    ],
)
def test_band_edges(score: float, band: Band | None) -> None:
    assert band_for(score) is band


@pytest.mark.parametrize(
    ("band", "zh", "en"),
    [(Band.GOLD, "金", "gold"), (Band.SILVER, "銀", "silver"), (Band.BRONZE, "銅", "bronze")],
)
def test_band_names(band: Band, zh: str, en: str) -> None:
    assert band.to_dict() == {"code": en, "zh": zh, "en": en, "min_score": band.value}


@pytest.mark.parametrize(
    ("spoil", "score", "band"),
    [
        ({}, 100, "gold"),
        ({"license": "proprietary"}, 85, "silver"),  # L1 -15
        ({"license": "proprietary", "update_frequency": None}, 75, "silver"),  # -15 -10
        (
            {"license": "proprietary", "requires_login": True, "update_frequency": None},
            70,
            "bronze",
        ),
        (
            {"license": "x", "requires_login": True, "update_frequency": None, "cost": "1元"},
            67,
            "bronze",
        ),
        (
            {
                "license": "x",
                "requires_login": True,
                "update_frequency": None,
                "cost": "1元",
                "publisher": "",
            },
            60,
            "bronze",
        ),
        (
            {
                "license": "x",
                "requires_login": True,
                "update_frequency": None,
                "cost": "1元",
                "publisher": "",
                "description": "",
            },
            53,
            None,
        ),
    ],
)
def test_scores_land_in_their_band(spoil: dict[str, object], score: int, band: str | None) -> None:
    out = score_dataset(dataset(**spoil), now=NOW).to_dict()
    assert out["score"] == score
    assert (out["band"] or {}).get("code") == band


def test_a_failed_privacy_gate_withholds_the_band() -> None:
    scored = score_dataset(dataset(screening=None), now=NOW)
    assert scored.score == 95
    assert scored.band is None
    out = scored.to_dict()
    assert out["band"] is None
    assert "privacy gate" in out["band_note"]["en"]


def test_dataset_json_shape() -> None:
    out = score_dataset(dataset(), now=NOW).to_dict()
    assert {"dataset", "score", "band", "stars", "checks", "godi"} <= out.keys()
    assert out["dataset"] == "moe-elementary"
    assert set(out["checks"][0]) == {
        "code",
        "slug",
        "title",
        "passed",
        "points",
        "points_lost",
        "reason",
        "fix",
    }
    assert out["stars"]["level"] == 5
