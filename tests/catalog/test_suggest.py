"""Spellings suggested when a search finds nothing: near titles and keywords, variant folded,
each of which finds a dataset; and each dataset's use counts."""

from __future__ import annotations

import pytest

from kaifang.catalog import list_datasets, open_catalog
from kaifang.catalog.datasets import add_downloads, use_counts
from kaifang.catalog.search import fold
from kaifang.catalog.suggest import likeness, suggest
from kaifang.publish import publish_file
from kaifang.settings import Settings
from tests.publishing import ORG, WriteCsv

DATASETS = [
    # (file, title, keywords)
    ("theft.csv", "臺北市竊盜點位資訊", ["治安", "竊盜"]),
    ("votes.csv", "選舉候選人得票數", ["選舉"]),
    ("trips.csv", "Freeway trips M06A", ["traffic"]),
]


@pytest.fixture
def published_settings(org_settings: Settings, write_csv: WriteCsv) -> Settings:
    for file, title, keywords in DATASETS:
        publish_file(
            org_settings,
            write_csv(file, ["a"], [["x"]]),
            org=ORG,
            metadata={"title": title, "keywords": keywords},
        )
    return org_settings


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("竊道", "竊盜"),  # a wrong character: the keyword
        ("台北市竊盜點位", "臺北市竊盜點位資訊"),  # 台/臺 folded alike: the title
        ("選擧候選人", "選舉候選人得票數"),
        ("freeway trip", "Freeway trips M06A"),
        ("TRAFIC", "traffic"),  # any case, a letter missing
    ],
)
def test_suggestions_are_near_titles_and_keywords_that_find_something(
    published_settings: Settings, query: str, first: str
) -> None:
    with open_catalog(published_settings) as catalog:
        found = suggest(catalog, query)
        assert found[0] == first
        for spelling in found:
            assert list_datasets(catalog, search=spelling).count >= 1, spelling


def test_nothing_near_suggests_nothing(published_settings: Settings) -> None:
    with open_catalog(published_settings) as catalog:
        assert suggest(catalog, "zzzz qqqq") == []
        # the query itself (folded alike) is never suggested
        assert all(fold(s) != fold("竊盜") for s in suggest(catalog, "竊盜"))


def test_likeness_folds_variants() -> None:
    assert likeness("台北", "臺北") == 1.0
    assert likeness("", "臺北") == 0.0


def test_use_counts_add_flushed_and_pending_requests(published_settings: Settings) -> None:
    with open_catalog(published_settings) as catalog:
        ids = {d.title: d.slug for d in list_datasets(catalog).data}
        theft, votes = ids["臺北市竊盜點位資訊"], ids["選舉候選人得票數"]
        resources = {
            d.slug: d.resources[0].slug for d in list_datasets(catalog).data if d.resources
        }
        add_downloads(catalog, {resources[theft]: 5})
        counts = use_counts(catalog, [theft, votes], {resources[votes]: 2, "nope": 9})
        assert counts == {theft: 5, votes: 2}
        assert use_counts(catalog, [], {}) == {}
