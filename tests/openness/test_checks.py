"""Every check, passing and failing: one table row per case, naming what the fix must say."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from kaifang.openness import RUBRIC, ColumnFacts, DatasetFacts, score_dataset
from tests.openness.factories import NOW, SCHOOL_COLUMNS, dataset, resource, with_resource

Case = tuple[str, Callable[[], DatasetFacts], bool, tuple[str, ...]]

UNDOCUMENTED = (*SCHOOL_COLUMNS[:2], ColumnFacts("網址", "string", "  "))

CASES: list[Case] = [
    # code, facts, passed, fragments of the reason/fix (English and Chinese)
    ("L1", dataset, True, ("OGDL-Taiwan-1.0",)),
    ("L1", lambda: dataset(license="CC BY 4.0"), True, ("CC-BY-4.0",)),
    ("L1", lambda: dataset(license="政府資料開放授權條款-第1版"), True, ("OGDL-Taiwan-1.0",)),
    ("L1", lambda: dataset(license="cc0"), True, ("CC0-1.0",)),
    ("L1", lambda: dataset(license="CC-BY-NC-4.0"), False, ("CC-BY-NC-4.0", "OGDL-Taiwan-1.0")),
    ("L1", lambda: dataset(license="政府網站資料開放宣告"), False, ("政府網站資料開放宣告",)),
    ("L1", lambda: dataset(license=""), False, ("(none)", "CC-BY-4.0")),
    ("L2", dataset, True, ()),
    ("L2", lambda: dataset(description="本資料僅供研究使用"), False, ("僅供研究",)),
    ("L2", lambda: dataset(description="非商業用途，不得轉載"), False, ("非商業", "不得轉載")),
    ("L2", lambda: dataset(description="For research only."), False, ("research only",)),
    ("L2", lambda: dataset(cost="須申請"), False, ("須申請",)),
    ("A1", dataset, True, ()),
    ("A1", lambda: with_resource(rows=0), False, ("國小名錄", "no rows")),
    ("A1", lambda: with_resource(files_present=False), False, ("國小名錄", "missing")),
    ("A1", lambda: dataset(resources=()), False, ("no data resource",)),
    ("A2", dataset, True, ()),
    ("A2", lambda: dataset(requires_login=True), False, ("login",)),
    ("A2", lambda: with_resource(bulk_download=False), False, ("國小名錄", "complete file")),
    ("A3", dataset, True, ()),
    ("A3", lambda: dataset(cost=None), True, ()),
    ("A3", lambda: dataset(cost="FREE"), True, ()),
    ("A3", lambda: dataset(cost="每筆 100 元"), False, ("每筆 100 元", "免費")),
    ("F1", dataset, True, ()),
    ("F1", lambda: with_resource(sniffed_format="xlsx"), True, ()),
    ("F1", lambda: with_resource(sniffed_format="pdf"), False, ("國小名錄 (pdf)", "CSV")),
    ("F1", lambda: with_resource(sniffed_format="docx"), False, ("(docx)",)),
    ("F1", lambda: dataset(resources=()), False, ("no data resource",)),
    ("F2", dataset, True, ()),
    ("F2", lambda: with_resource(sniffed_format="ods", declared_format="ods"), True, ()),
    ("F2", lambda: with_resource(sniffed_format="xlsx"), False, ("國小名錄 (xlsx)", "CSV")),
    ("F2", lambda: with_resource(sniffed_format="xls"), False, ("(xls)", "ODS")),
    ("F3", dataset, True, ()),
    ("F3", lambda: with_resource(declared_format=".csv"), True, ()),
    ("F3", lambda: with_resource(declared_format="text/csv"), True, ()),
    ("F3", lambda: with_resource(declared_format="XLSX"), False, ("declared as XLSX", "→ CSV")),
    ("F3", lambda: with_resource(declared_format=None), False, ("(nothing)", "→ CSV")),
    ("F4", dataset, True, ()),
    ("F4", lambda: with_resource(source_encoding="cp950"), True, ("Big5", "UTF-8")),
    (
        "F4",
        lambda: with_resource(
            problems=({"row": 17, "column": "電話", "code": "type-error", "message": "bad"},)
        ),
        False,
        ("row 17", "column '電話'", "第 17 列"),
    ),
    (
        "F4",
        lambda: with_resource(
            source_encoding="big5",
            problems=({"row": 3, "column": None, "code": "extra-cell", "message": "extra cell"},),
        ),
        False,
        ("row 3", "export 國小名錄 as UTF-8", "big5"),
    ),
    ("M1", dataset, True, ("6 column(s)",)),
    ("M1", lambda: with_resource(columns=UNDOCUMENTED), False, ("國小名錄: 網址", "1 of 3")),
    ("M1", lambda: with_resource(columns=()), False, ("no columns",)),
    ("M2", dataset, True, ()),
    ("M2", lambda: dataset(keywords=()), False, ("keywords", "關鍵字")),
    ("M2", lambda: dataset(category=" "), False, ("category",)),
    ("M2", lambda: dataset(spatial=None), False, ("spatial coverage",)),
    ("M2", lambda: dataset(temporal_coverage={"start": None}), False, ("temporal coverage",)),
    ("M3", dataset, True, ("教育部統計處",)),
    ("M3", lambda: dataset(contact={"name": "王小明", "phone": "02-1234"}), True, ()),
    ("M3", lambda: dataset(publisher=None), False, ("publisher",)),
    ("M3", lambda: dataset(contact={"name": "王小明"}), False, ("contact point", "聯絡窗口")),
    ("M4", dataset, True, ("19",)),
    ("M4", lambda: dataset(description=""), False, ("no description", "沒有描述")),
    ("M4", lambda: dataset(description="國民小學名錄"), False, ("repeats the title",)),
    ("M4", lambda: dataset(description="  學校名錄。  "), False, ("5 characters",)),
    ("T1", dataset, True, ("2026-",)),
    ("T1", lambda: dataset(update_frequency="irregular"), True, ("irregular",)),
    ("T1", lambda: dataset(update_frequency="每月"), True, ()),
    (
        "T1",
        lambda: dataset(current_version_created=NOW - timedelta(days=60)),
        False,
        # 2025-12-31 09:00 + 31 days + 15.5 days of grace = 2026-02-15 21:00 -> due 02-15
        ("due by 2026-02-15", "14 day(s) overdue", "已逾期 14 天", "每月"),
    ),
    ("T1", lambda: dataset(update_frequency=None), False, ("daily, weekly, monthly",)),
    ("T1", lambda: dataset(update_frequency="hourly"), False, ("'hourly'",)),
    ("T1", lambda: dataset(current_version_created=None), False, ("no current version",)),
    ("G", dataset, True, ()),
    (
        "G",
        lambda: dataset(
            screening={"publishable": True, "legal_basis": "選罷法", "unresolved": ["姓名"]}
        ),
        False,
        ("選罷法", "姓名"),
    ),
    (
        "G",
        lambda: dataset(
            screening={
                "publishable": True,
                "legal_basis": "公職人員選舉罷免法第47條",
                "legal_basis_detail": {"columns": ["姓名"], "approved_by": "王科長"},
                "direct_identifiers": ["姓名", "電話"],
            }
        ),
        False,
        ("電話",),
    ),
    (
        "G",
        lambda: dataset(
            screening={
                "publishable": True,
                "legal_basis": "公職人員選舉罷免法第47條",
                "legal_basis_detail": {"columns": ["姓名"], "approved_by": "王科長"},
                "direct_identifiers": ["姓名"],
            }
        ),
        True,
        ("公職人員選舉罷免法第47條", "王科長"),
    ),
    ("G", lambda: dataset(screening=None), False, ("kaifang scan",)),
    (
        "G",
        lambda: dataset(
            screening={
                "publishable": False,
                "unresolved": [{"column": "身分證字號", "category": "TW_NATIONAL_ID"}],
            }
        ),
        False,
        ("身分證字號 (TW_NATIONAL_ID)", "legal basis"),
    ),
    ("G", lambda: dataset(screening={"publishable": False, "unresolved": []}), False, ("scan",)),
]


@pytest.mark.parametrize(
    ("code", "make", "should_pass", "fragments"),
    CASES,
    ids=[f"{c[0]}-{'pass' if c[2] else 'fail'}-{i}" for i, c in enumerate(CASES)],
)
def test_check(
    code: str, make: Callable[[], DatasetFacts], should_pass: bool, fragments: tuple[str, ...]
) -> None:
    result = score_dataset(make(), now=NOW).check(code)
    assert result.passed is should_pass
    assert result.points_lost == (0 if should_pass else result.points)
    said = " ".join(
        [result.reason.zh, result.reason.en]
        + ([result.fix.zh, result.fix.en] if result.fix is not None else [])
    )
    for fragment in fragments:
        assert fragment in said
    if should_pass:
        assert result.fix is None
    else:
        assert result.fix is not None and result.fix.zh and result.fix.en


def test_every_check_has_a_passing_and_a_failing_case() -> None:
    covered = {(code, passed) for code, _, passed, _ in CASES}
    assert covered == {(check.code, outcome) for check in RUBRIC for outcome in (True, False)}


def test_the_reference_dataset_passes_everything() -> None:
    scored = score_dataset(dataset(), now=NOW)
    assert scored.score == 100
    assert [c.code for c in scored.checks if not c.passed] == []


def test_a_failing_resource_fails_the_check_even_beside_a_good_one() -> None:
    facts = dataset(
        resources=(resource(), resource(id="r-map", name="分布圖", sniffed_format="pdf"))
    )
    result = score_dataset(facts, now=NOW).check("F1")
    assert not result.passed
    assert "分布圖 (pdf)" in result.reason.en
    assert "國小名錄" not in result.reason.en


def test_long_lists_are_cut_with_a_count() -> None:
    columns = tuple(ColumnFacts(f"c{i}", "string") for i in range(14))
    result = score_dataset(with_resource(columns=columns), now=NOW).check("M1")
    assert "and 4 more" in result.fix.en if result.fix else False
    assert "等 14 項" in result.reason.zh


def test_parses_cleanly_counts_problems_beyond_those_listed() -> None:
    only_first = resource(
        problems=({"row": 2, "column": "電話", "code": "type-error", "message": "not a number"},),
        problem_count=40,
    )
    result = score_dataset(dataset(resources=(only_first,)), now=NOW).check("F4")
    assert not result.passed
    assert "40 reading problem(s)" in result.reason.en
    clean = dataset(resources=(resource(problem_count=0),))
    assert score_dataset(clean, now=NOW).check("F4").passed


def test_a_title_alone_stays_in_bronze_and_a_full_description_reaches_gold() -> None:
    """Silver means documented and accountable (as the ODI certificate's Silver asks): a
    dataset published with a title alone (no description, contact, column descriptions,
    keywords, coverage or update frequency) does not reach it."""
    bare = dataset(
        description="",
        keywords=(),
        category=None,
        spatial=None,
        temporal_coverage=None,
        contact=None,
        update_frequency=None,
        resources=(resource(columns=(ColumnFacts("學校名稱", "string"),)),),
    )
    scored = score_dataset(bare, now=NOW)
    assert scored.band is not None and scored.band.slug == "bronze", scored.score
    assert scored.score < 75
    assert not scored.check("M4").passed  # a missing description costs points
    assert score_dataset(dataset(), now=NOW).band.slug == "gold"  # type: ignore[union-attr]
