"""The national ranking and its CSV export."""

from __future__ import annotations

import csv
import io

import pytest

from kaifang.openness import (
    ColumnFacts,
    DatasetFacts,
    OrganizationScore,
    csv_cell,
    ranking,
    ranking_to_csv,
    score_organization,
)
from tests.openness.factories import NOW, dataset, resource

GOLD, SILVER = "CC0-1.0", "proprietary"  # scores 100 (金) and 85 (銀: L1 lost)


def _dataset(org: str, index: int, licence: str) -> DatasetFacts:
    columns = tuple(ColumnFacts(f"欄{index}_{j}", "string", "說明") for j in range(3))
    return dataset(
        id=f"{org}-{index}",
        org_code=org,
        license=licence,
        resources=(resource(id=f"{org}-r{index}", columns=columns),),
    )


def _org(code: str, name: str, licences: list[str]) -> OrganizationScore:
    datasets = [_dataset(code, i, licence) for i, licence in enumerate(licences)]
    return score_organization(code, datasets, now=NOW, org_name=name)


@pytest.fixture
def orgs() -> list[OrganizationScore]:
    return [
        _org("A", "甲機關", [SILVER, SILVER]),  # mean 85, 0 gold
        _org("B", "乙機關", [GOLD, GOLD, GOLD, SILVER]),  # mean 96.25, 3 gold
        _org("C", '=HYPERLINK("http://evil")', [GOLD]),  # mean 100, 1 gold
        _org("D", "丁機關", [GOLD, SILVER]),  # mean 92.5, 1 gold
        _org("E", "戊機關", []),  # no datasets
    ]


def test_ranking_by_mean_and_by_gold(orgs: list[OrganizationScore]) -> None:
    rows = ranking(orgs)
    assert [(r["organization"], r["mean"], r["gold"]) for r in rows] == [
        ("C", 100.0, 1),
        ("B", 96.2, 3),
        ("D", 92.5, 1),
        ("A", 85.0, 0),
        ("E", None, 0),
    ]
    assert {r["organization"]: r["rank_by_mean"] for r in rows} == {
        "C": 1,
        "B": 2,
        "D": 3,
        "A": 4,
        "E": 5,
    }
    # ties share a rank and the next rank skips: C and D both have one 金 dataset
    assert {r["organization"]: r["rank_by_gold"] for r in rows} == {
        "B": 1,
        "C": 2,
        "D": 2,
        "A": 4,
        "E": 4,
    }


def test_csv_export_round_trips_and_neutralizes_formulas(orgs: list[OrganizationScore]) -> None:
    text = ranking_to_csv(ranking(orgs))
    assert text.startswith("\ufeffrank_by_mean,rank_by_gold,organization,name,mean,gold")
    assert "\r\n" in text
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert [r["organization"] for r in rows] == ["C", "B", "D", "A", "E"]
    assert rows[0]["name"] == '\'=HYPERLINK("http://evil")'
    assert rows[1]["name"] == "乙機關"
    assert rows[1]["gold"] == "3"
    assert rows[4]["mean"] == ""


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+886-2-1234", "'+886-2-1234"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("教育部", "教育部"),
        ("a=b", "a=b"),
        (-3, "-3"),
        (92.5, "92.5"),
        (None, ""),
        (True, "true"),
    ],
)
def test_csv_cell(value: object, cell: str) -> None:
    assert csv_cell(value) == cell


def test_csv_without_bom() -> None:
    assert ranking_to_csv([], bom=False) == (
        "rank_by_mean,rank_by_gold,organization,name,mean,gold,silver,bronze,none,"
        "counted_datasets,datasets,split_groups,overdue,open_requests\r\n"
    )
