from __future__ import annotations

import pytest

from kaifang.catalog import list_datasets, open_catalog
from kaifang.publish import publish_file
from kaifang.settings import Settings
from tests.publishing import ORG, WriteCsv

DATASETS = [
    # (file, title, description, keywords, columns)
    ("theft.csv", "竊盜點位資訊", "住宅竊盜案件的發生地點", ["治安"], ["案類", "發生地點"]),
    ("votes.csv", "選舉候選人得票數", "Votes per candidate in each election", ["選舉"], ["票數"]),
    ("m06a.csv", "國道旅次資料 M06A", "Freeway trips from ETC gantries", ["交通"], ["GantryID_O"]),
    ("police.csv", "警察機關名錄", "各分局地址；受理竊盜報案", ["警察"], ["分局"]),
]


@pytest.fixture
def searchable(org_settings: Settings, write_csv: WriteCsv) -> Settings:
    for file, title, description, keywords, columns in DATASETS:
        publish_file(
            org_settings,
            write_csv(file, columns, [["x"] * len(columns)]),
            org=ORG,
            metadata={"title": title, "description": description, "keywords": keywords},
        )
    return org_settings


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("竊盜", ["竊盜點位資訊", "警察機關名錄"]),  # title beats description
        ("選舉", ["選舉候選人得票數"]),
        ("國道", ["國道旅次資料 M06A"]),
        ("freeway", ["國道旅次資料 M06A"]),
        ("gantryid_o", ["國道旅次資料 M06A"]),  # a column name
        ("ELECTION votes", ["選舉候選人得票數"]),  # every word must match, any case
        ("治安", ["竊盜點位資訊"]),  # a keyword
        ("100%", []),  # LIKE wildcards are literal
        ("地_點", []),
    ],
)
def test_search_ranks_and_matches_on_both_backends(
    searchable: Settings, query: str, titles: list[str]
) -> None:
    with open_catalog(searchable) as catalog:
        found = list_datasets(catalog, search=query)
    assert [d.title for d in found.data] == titles
    assert found.count == len(titles)


def test_without_a_query_every_dataset_newest_first(searchable: Settings) -> None:
    with open_catalog(searchable) as catalog:
        found = list_datasets(catalog)
        window = list_datasets(catalog, limit=1, offset=1)
    assert [d.title for d in found.data] == [d[1] for d in reversed(DATASETS)]
    assert window.count == 4
    assert [d.title for d in window.data] == [DATASETS[2][1]]
