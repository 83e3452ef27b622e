"""Catalog search in the database (kaifang.catalog.finder) on SQLite and PostgreSQL: Chinese
words and phrases, variant and full-width characters, every searched text, ranking, facets,
exact counts, stable paging, and the popularity sort."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from kaifang.catalog import create_organization, list_datasets, open_catalog
from kaifang.catalog.bulk import Entry, Table, register_entries
from kaifang.catalog.datasets import add_downloads, popular
from kaifang.catalog.db import Catalog
from kaifang.catalog.finder import Filters, facet_counts, find_ids
from kaifang.catalog.metadata import DatasetMetadata
from kaifang.catalog.models import Dataset, Organization, Resource
from kaifang.catalog.search import fold, index_text
from kaifang.settings import Settings

POLICE, ROADS = "379130000E", "315050000M"
ENTRIES = [
    # (org, title, description, keywords, column (name, description), category, frequency)
    (POLICE, "臺北市竊盜點位", "住宅竊盜案件的發生地點", ["治安"], ("案類", ""), "E00", "每月"),
    (POLICE, "警察機關名錄", "各分局地址；受理竊盜報案", ["警察"], ("分局", ""), "E00", "不定期"),
    (ROADS, "國道旅次資料 M06A", "Freeway trips via ETC", ["交通"], ("GantryID_O", "門架"),
     "H00", "每日"),
    (ROADS, "路邊停車 車場管理", "各縣市的停車格", ["停車"], ("格位", ""), "H00", "每月"),
    (ROADS, "公有停車場收費", "收費標準", ["停車場"], ("費率", "每小時停車費"), "H00", "每年"),
    (ROADS, "ＡＰＩ說明１２３", "全形文字的標題", [], ("欄位", ""), "", "不定期"),
]  # fmt: skip


def _load(catalog: Catalog) -> None:
    create_organization(catalog, POLICE, name="臺北市政府警察局", name_en="Taipei Police")
    create_organization(catalog, ROADS, name="交通部高速公路局", name_en="Freeway Bureau")
    entries = []
    for n, (org, title, description, keywords, column, category, freq) in enumerate(ENTRIES):
        meta = DatasetMetadata(
            title=title,
            description=description,
            keywords=keywords,
            category=category,
            update_frequency=freq,
        )
        fields = [{"name": column[0], "type": "string", "description": column[1]}]
        entries.append(Entry(org=org, metadata=meta, file_name=f"f{n}.csv", fields=fields))
    with catalog.write() as session:
        register_entries(session, entries[:3])
    with catalog.write() as session:  # a second batch continues the serials and slugs
        register_entries(session, entries[3:])


@pytest.fixture
def catalog(catalog_settings: Settings) -> Iterator[Catalog]:
    with open_catalog(catalog_settings) as opened:
        _load(opened)
        yield opened


def titles(catalog: Catalog, query: str, **filters: str) -> list[str]:
    return [d.title for d in list_datasets(catalog, search=query, filters=Filters(**filters)).data]  # type: ignore[arg-type]


def test_folding_and_tokens() -> None:
    assert fold("臺灣ＡＢＣ１２３爲峯羣裏") == "台灣abc123為峰群裡"
    assert index_text("臺北市 API_v2") == "台北 北市 市 api v2"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("竊盜", ["臺北市竊盜點位", "警察機關名錄"]),  # in this order: title hit above description
        ("台北", ["臺北市竊盜點位", "警察機關名錄"]),  # 台 finds 臺; title above organization
        ("北市竊盜", ["臺北市竊盜點位"]),  # a phrase across a word boundary
        ("停車場", ["公有停車場收費"]),  # a phrase, not its two words apart (路邊停車 車場管理)
        ("停車", ["路邊停車 車場管理", "公有停車場收費"]),
        ("api", ["ＡＰＩ說明１２３"]),  # full-width matches half-width
        ("ＡＰＩ １２３", ["ＡＰＩ說明１２３"]),
        (
            "高速公路局",
            ["國道旅次資料 M06A", "路邊停車 車場管理", "公有停車場收費", "ＡＰＩ說明１２３"],
        ),
        ("門架", ["國道旅次資料 M06A"]),  # a column's description
        ("gantryid_o", ["國道旅次資料 M06A"]),  # a column's name
        ("治安", ["臺北市竊盜點位"]),  # a keyword
        ("ELECTION", []),
        ("%", []),
        ("竊盜 地址", ["警察機關名錄"]),  # every term must match
    ],
)
def test_search_semantics(catalog: Catalog, query: str, expected: list[str]) -> None:
    found = list_datasets(catalog, search=query)
    if query in ("竊盜", "台北"):
        assert [d.title for d in found.data] == expected
    else:
        assert sorted(d.title for d in found.data) == sorted(expected)
    assert found.count == len(expected)


def test_filters_and_facets_are_exact(catalog: Catalog) -> None:
    with catalog.read() as session:
        all_facets = facet_counts(
            session,
            Filters(),
            ["organization", "groups", "update_frequency", "res_format"],
            formats=("csv",),
        )
        search_facets = facet_counts(session, Filters(q="停車"), ["organization", "groups"])
        ids, count = find_ids(session, Filters(org=ROADS.lower(), category="h00"), limit=None)
    assert all_facets["organization"] == {ROADS.lower(): 4, POLICE.lower(): 2}
    assert all_facets["groups"] == {"H00": 3, "E00": 2}
    assert all_facets["update_frequency"] == {"不定期": 2, "每月": 2, "每年": 1, "每日": 1}
    assert all_facets["res_format"] == {"CSV": 6}
    assert search_facets == {"organization": {ROADS.lower(): 2}, "groups": {"H00": 2}}
    assert count == len(ids) == 3
    assert titles(catalog, "停車", frequency="每年") == ["公有停車場收費"]


def test_paging_is_stable_and_counts_every_match(catalog: Catalog) -> None:
    seen: list[int] = []
    with catalog.read() as session:
        for offset in range(0, 8, 2):
            ids, count = find_ids(session, Filters(), limit=2, offset=offset)
            assert count == len(ENTRIES)
            seen += ids
        by_title, _ = find_ids(session, Filters(), sort="title", limit=None)
        for filters in (Filters(), Filters(q="停車"), Filters(category="H00")):
            total = len(find_ids(session, filters, limit=None)[0])
            # the count alone (CKAN's rows=0) and a page past the last match count every match
            assert find_ids(session, filters, limit=0) == ([], total)
            assert find_ids(session, filters, limit=2, offset=50) == ([], total)
    assert len(seen) == len(set(seen)) == len(ENTRIES)
    assert len(by_title) == len(ENTRIES)
    with pytest.raises(ValueError, match="sort must be one of"):
        with catalog.read() as session:
            find_ids(session, Filters(), sort="stars", limit=1)


def test_the_index_follows_every_write_in_the_same_transaction(catalog: Catalog) -> None:
    with catalog.write() as session:
        meta = DatasetMetadata(title="裏山步道", description="登山")
        register_entries(session, [Entry(org=POLICE, metadata=meta, file_name="trail.csv")])
        with_new, _ = find_ids(session, Filters(q="裡山"), limit=None)
        assert len(with_new) == 1  # visible inside the writing transaction
    assert titles(catalog, "裡山") == ["裏山步道"]


def test_the_migration_indexes_an_existing_catalog(catalog_settings: Settings) -> None:
    from tests.catalog.test_standard_codes import _catalog_at_0002, _insert_legacy

    engine = _catalog_at_0002(catalog_settings)
    try:
        with engine.begin() as conn:
            _insert_legacy(conn)
    finally:
        engine.dispose()
    with open_catalog(catalog_settings) as catalog:
        found = list_datasets(catalog, search="選舉委員")  # an organization's name
        assert [d.slug for d in found.data] == ["d2"]
        with catalog.read() as session:
            ids, count = find_ids(session, Filters(q="000001"), limit=None)
        assert count == len(ids) == 1  # the identifier is part of the title text


def test_popularity_sorts_by_the_downloads_added_to_the_catalog(catalog: Catalog) -> None:
    with catalog.read() as session:
        resources = dict(
            session.execute(
                select(Dataset.title, Resource.slug).join(
                    Resource, Resource.dataset_id == Dataset.id
                )
            ).all()
        )
    add_downloads(catalog, {resources["公有停車場收費"]: 5, resources["警察機關名錄"]: 2})
    add_downloads(catalog, {resources["警察機關名錄"]: 4, "no_such_resource": 9})
    found = list_datasets(catalog, sort="popularity", limit=3)
    assert [d.title for d in found.data][:2] == ["警察機關名錄", "公有停車場收費"]
    assert found.count == len(ENTRIES)
    searched = list_datasets(catalog, search="停車", sort="popularity")
    assert [d.title for d in searched.data] == ["公有停車場收費", "路邊停車 車場管理"]
    used = popular(catalog, {resources["國道旅次資料 M06A"]: 7}, limit=2)
    assert [(d["title"], d["uses"]) for d in used] == [
        ("國道旅次資料 M06A", 7),
        ("警察機關名錄", 6),
    ]


def test_the_band_facet_and_filter_read_the_band_on_the_dataset_row(catalog: Catalog) -> None:
    with catalog.write() as session:
        for dataset in session.scalars(select(Dataset).where(Dataset.organization_id.in_(
            select(Organization.id).where(Organization.code == POLICE)
        ))):  # fmt: skip
            dataset.band = "gold"
    with catalog.read() as session:
        facets = facet_counts(session, Filters(), ["band"])
        gold, gold_count = find_ids(session, Filters(band="gold"), limit=None)
        none, none_count = find_ids(session, Filters(band="none", q="停車"), limit=None)
    assert facets == {"band": {"none": 4, "gold": 2}}
    assert (gold_count, none_count) == (2, 2)
    assert len(gold) == 2 and len(none) == 2


def test_a_dataset_with_several_tables_is_found_by_any_of_their_columns(catalog: Catalog) -> None:
    meta = DatasetMetadata(title="公園設施", description="遊具與座椅", update_frequency="每年")
    entry = Entry(
        org=POLICE,
        metadata=meta,
        file_name="parks.csv",
        fields=[{"name": "名稱", "type": "string"}],
        tables=(Table("benches.csv", [{"name": "座椅材質", "type": "string"}], rows=3),),
    )
    with catalog.write() as session:
        assert len(register_entries(session, [entry])) == 1
    found = list_datasets(catalog, search="材質").data
    assert [d.title for d in found] == ["公園設施"]
    assert [(r.name, r.rows) for r in found[0].resources] == [("parks", 0), ("benches", 3)]
    assert found[0].resources[1].identifier.endswith("-002")
