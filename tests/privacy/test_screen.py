"""Column classification, table context, the JSON shape, sampling and k-anonymity."""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import pyarrow as pa
import pytest

from kaifang.privacy import ScreeningReport, screen
from kaifang.privacy.decide import COUNT_KEYWORDS, names_keyword
from kaifang.settings import Settings
from tests.privacy.conftest import national_ids

ScreenColumns = Callable[[dict[str, list[object]]], ScreeningReport]


def comments(n: int, every: int, identifier: str) -> list[object]:
    return [
        f"路燈故障請派員處理，聯絡 {identifier} 謝謝"
        if i % every == 0
        else "路燈故障請派員處理謝謝"
        for i in range(n)
    ]


@pytest.mark.parametrize(
    ("identifier", "detector"),
    [
        ("0912-345-678", "phone"),
        ("A123456789", "tw_national_id"),
        ("someone@example.com", "email"),
        ("臺北市中正區重慶南路一段122號", "address"),
    ],
)
def test_identifier_in_one_row_in_a_hundred_of_free_text(
    screen_columns: ScreenColumns, identifier: str, detector: str
) -> None:
    col = screen_columns({"陳情內容": comments(1000, 100, identifier)}).column("陳情內容")
    assert col.category == "direct_identifier"
    assert detector in col.detectors
    assert col.action == "mask"
    assert col.match_rate == pytest.approx(0.01)


def test_free_text_without_identifiers_is_none(screen_columns: ScreenColumns) -> None:
    col = screen_columns({"陳情內容": comments(1000, 10**6, "")[1:]}).column("陳情內容")
    assert (col.category, col.action) == ("none", "keep")


def test_examples_are_masked_never_raw(screen_columns: ScreenColumns) -> None:
    ids = national_ids(30)
    phones = [f"09{i:02d}-{i:03d}-{i * 7 % 1000:03d}" for i in range(30)]
    names = [s + g for s in "王陳林張李黃" for g in ("小明", "美玲", "志豪", "雅婷", "建宏")]
    report = screen_columns({"身分證字號": ids, "手機": phones, "姓名": names})
    raw = set(ids) | set(phones) | set(names)
    for col in report.columns:
        assert not raw & set(col.examples)
    # The first three distinct masked values in sorted order, whatever order the rows are in.
    examples = {col.name: col.examples for col in report.columns}
    assert examples == {
        "身分證字號": ["A10****001", "A10****422", "A20****135"],
        "手機": ["0900-***-000", "0901-***-007", "0902-***-014"],
        "姓名": ["張○婷", "張○宏", "張○明"],
    }
    reordered = screen_columns({"身分證字號": ids[::-1], "手機": phones[::-1], "姓名": names[::-1]})
    assert {col.name: col.examples for col in reordered.columns} == examples


def test_institution_contact_columns_are_not_blocking(screen_columns: ScreenColumns) -> None:
    report = screen_columns(
        {
            "學校名稱": ["市立建國高級中學", "市立北一女中"] * 10,
            "電話": ["(02)2303-4381", "(02)2382-0484#2"] * 10,
            "地址": ["臺北市中正區南海路56號", "臺北市中正區重慶南路一段165號"] * 10,
        }
    )
    for name in ("電話", "地址"):
        assert (report.column(name).category, report.column(name).action) == ("none", "keep")
    assert {f.code for f in report.findings} == {"institution_contact"}
    assert report.publishable


def test_a_person_column_makes_contacts_personal(screen_columns: ScreenColumns) -> None:
    names = [s + g for s in "王陳林張李" for g in ("小明", "美玲", "志豪", "雅婷")]
    report = screen_columns(
        {
            "公司名稱": ["甲公司", "乙公司"] * 10,
            "聯絡人": names,
            "電話": ["0912-345-678", "0922-333-444"] * 10,
        }
    )
    assert report.column("電話").category == "direct_identifier"
    assert not report.publishable


def test_json_shape(screen_columns: ScreenColumns) -> None:
    data = screen_columns({"手機": ["0912-345-678"] * 5, "件": ["1"] * 5}).to_dict()
    assert list(data) == [
        "file", "rows", "publishable", "columns", "quasi_identifiers", "k_anonymity", "findings",
    ]  # fmt: skip
    assert list(data["columns"][0]) == [
        "name", "category", "detectors", "match_rate", "examples", "action", "reason",
    ]  # fmt: skip
    assert list(data["k_anonymity"]) == ["k", "threshold", "violating_rows"]
    assert data["findings"][0] == {
        "code": "direct_identifier",
        "column": "手機",
        "message": "手機: phone in 100.0% of rows; fix: drop the column in the policy",
    }


def test_k_anonymity_over_quasi_identifiers(screen_columns: ScreenColumns) -> None:
    n = 60
    report = screen_columns(
        {
            "性別": ["男", "女"] * (n // 2),
            "年齡": [str(20 + i % 3) for i in range(n - 1)] + ["99"],
            "村里": ["龍門里", "光武里", "民炤里"] * (n // 3),
        }
    )
    assert report.quasi_identifiers == ["性別", "年齡", "村里"]
    assert report.k_anonymity.k == 1
    assert report.k_anonymity.threshold == 5
    assert report.k_anonymity.violating_rows == 1  # the 99-year-old
    assert not report.publishable


def test_special_category_raises_k_threshold(screen_columns: ScreenColumns) -> None:
    report = screen_columns({"性別": ["男", "女"] * 20, "診斷": ["E11.9", "J45"] * 20})
    assert report.sensitive_columns == ["診斷"]
    assert report.k_anonymity.threshold == 11


def test_event_times_alone_are_not_quasi_identifiers(screen_columns: ScreenColumns) -> None:
    report = screen_columns(
        {"TimeInterval": ["2024-01-05 08:15:00"] * 10, "GantryID": ["01F0005S"] * 10}
    )
    assert report.quasi_identifiers == []
    assert report.publishable


def test_large_table_is_sampled_and_still_finds_sparse_hits(settings: Settings) -> None:
    con = duckdb.connect()
    text = pa.array(comments(20_000, 100, "0912-345-678"))
    report = screen(con.from_arrow(pa.table({"備註": text})), settings=settings, sample_rows=5_000)
    assert report.rows == 20_000
    assert report.sampled_rows == 5_000
    assert report.column("備註").category == "direct_identifier"
    assert "sampled" in {f.code for f in report.findings}


def test_aggregate_table_reports_small_cells(screen_columns: ScreenColumns) -> None:
    report = screen_columns({"行政區": ["中正區", "大安區", "信義區"], "人數": [1, 15, 40]})
    assert report.count_column == "人數"
    assert report.k_anonymity.violating_rows == 1
    assert "small_cells" in {f.code for f in report.findings}


@pytest.mark.parametrize(
    ("name", "names_count"),
    [
        ("count", True),
        ("vote_count", True),
        ("VoteCount", True),
        ("Total", True),
        ("死亡人數", True),
        ("ｃｏｕｎｔ", True),
        ("county", False),
        ("County", False),
        ("account", False),
        ("counter", False),
        ("縣市", False),
    ],
)
def test_count_keyword_matches_whole_words(name: str, names_count: bool) -> None:
    assert names_keyword(name, COUNT_KEYWORDS) is names_count


@pytest.mark.parametrize(
    ("columns", "counted"),
    [
        ({"county": ["臺北市", "臺中市", "高雄市"], "count": [1, 15, 40]}, "count"),
        ({"county": ["臺北市", "臺中市", "高雄市"], "人數": [1, 15, 40]}, "人數"),
        ({"county": ["臺北市", "臺中市", "高雄市"], "sex": ["男", "女", "男"]}, None),
    ],
)
def test_county_column_is_not_the_count_column(
    screen_columns: ScreenColumns, columns: dict[str, list[object]], counted: str | None
) -> None:
    report = screen_columns(columns)
    assert report.column("county").category == "quasi_identifier"
    assert report.count_column == counted


@pytest.mark.parametrize("null_type", ["VARCHAR", "INTEGER", "NULL"])
def test_all_null_column_is_screened_as_empty(settings: Settings, null_type: str) -> None:
    cast = "NULL" if null_type == "NULL" else f"NULL::{null_type}"
    relation = duckdb.connect().sql(
        f"SELECT '候選人' || i::VARCHAR AS 政黨, {cast} AS 候選人姓名, {cast} AS 出生年次, "
        "CASE WHEN i % 2 = 0 THEN '男' ELSE '女' END AS 性別, i AS 得票數 FROM range(300) t(i)"
    )
    report = screen(relation, settings=settings)
    assert report.rows == 300
    assert [c.name for c in report.columns] == ["政黨", "候選人姓名", "出生年次", "性別", "得票數"]
    for name in ("候選人姓名", "出生年次"):
        assert report.column(name).category == "none"
        assert report.column(name).action == "keep"
    assert report.column("性別").category == "quasi_identifier"
