"""Verification after transforms, and the publish gate."""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from kaifang.privacy import (
    ColumnPolicy,
    Policy,
    ScreeningReport,
    apply_policy,
    gate,
    propose_policy,
    screen,
    verify,
)
from kaifang.settings import Settings
from tests.privacy.conftest import national_ids

MakeRelation = Callable[[dict[str, list[object]]], duckdb.DuckDBPyRelation]


def clinic(n: int = 200) -> dict[str, list[object]]:
    return {
        "身分證字號": national_ids(n),
        "出生日期": [f"{1950 + i % 4}-{1 + i % 12:02d}-{1 + i % 28:02d}" for i in range(n)],
        "性別": ["男", "女"] * (n // 2),
        "診斷": ["E11.9", "J45", "I10", "C50.9", "F32"] * (n // 5),
    }


def test_pipeline_screen_policy_verify_gate(
    make_relation: MakeRelation, settings: Settings
) -> None:
    rel = make_relation(clinic())
    report = screen(rel, settings=settings)
    assert [f.code for f in gate(report, None)][:1] == ["direct_identifier"]
    out = apply_policy(rel, propose_policy(report), settings)
    after = screen(out, settings=settings)
    verification = verify(out, propose_policy(report), settings)
    assert verification.k_anonymity.threshold == 11  # a special category is present
    assert verification.k_anonymity.k is not None and verification.k_anonymity.k >= 11
    assert verification.l_diversity["診斷"] >= 2
    assert verification.passed
    assert gate(after, verification) == []


def test_gate_lists_each_failure_with_its_fix(
    make_relation: MakeRelation, settings: Settings
) -> None:
    rel = make_relation(clinic())
    report = screen(rel, settings=settings)
    failures = gate(report, verify(rel, report, settings))
    by_code = {(f.code, f.column): f for f in failures}
    assert ("direct_identifier", "身分證字號") in by_code
    assert "action: drop" in by_code[("direct_identifier", "身分證字號")].fix
    assert any(code == "k_anonymity" for code, _ in by_code)


def candidates(n: int = 60) -> dict[str, list[object]]:
    surnames, given = "陳林黃張李王吳劉", ["志明", "美玲", "建宏", "雅婷", "家豪", "淑芬"]
    return {
        "姓名": [f"{surnames[i % 8]}{given[i % 6]}" for i in range(n)],
        "出生日期": [f"{1950 + i % 30}-{1 + i % 12:02d}-{1 + i % 28:02d}" for i in range(n)],
        "身分證字號": national_ids(n),
    }


def test_l_diversity_fails_when_a_class_shares_one_diagnosis(
    make_relation: MakeRelation, settings: Settings
) -> None:
    rel = make_relation({"性別": ["男"] * 12 + ["女"] * 12, "診斷": ["E11.9"] * 12 + ["J45"] * 12})
    report = screen(rel, settings=settings)
    verification = verify(rel, report, settings)
    assert verification.l_diversity == {"診斷": 1}
    assert [c.code for c in verification.checks if not c.passed] == ["l_diversity"]


def test_suppression_budget(make_relation: MakeRelation, settings: Settings) -> None:
    rel = make_relation({"村里": ["龍門里"] * 90 + [f"{c}里" for c in "甲乙丙丁戊己庚辛壬癸"]})
    report = screen(rel, settings=settings)
    out = apply_policy(rel, Policy(columns={"村里": ColumnPolicy("suppress")}), settings)
    verification = verify(out, report, settings)
    assert verification.rows == 90
    assert verification.suppressed_share == 0.1
    assert [c.code for c in verification.checks if not c.passed] == ["suppression"]


def test_report_from_policy_or_report_agree(
    make_relation: MakeRelation, settings: Settings
) -> None:
    rel = make_relation(clinic())
    report: ScreeningReport = screen(rel, settings=settings)
    assert (
        verify(rel, report, settings).to_dict()
        == verify(rel, propose_policy(report), settings).to_dict()
    )


def residents(n: int = 200) -> dict[str, list[object]]:
    """Addresses on many streets, births over 40 years, sex: few rows share a class."""
    streets = ["忠孝東路", "仁愛路", "信義路", "和平東路", "復興南路", "敦化南路", "光復南路"]
    return {
        "住址": [f"臺北市大安區{streets[i % 7]}{1 + (i * 37) % 300}號" for i in range(n)],
        "出生日期": [f"{1950 + (i * 7) % 40}-{1 + i % 12:02d}-{1 + i % 28:02d}" for i in range(n)],
        "性別": ["男", "女"] * (n // 2),
    }


def test_verification_counts_generalized_columns_the_policy_does_not_list(
    make_relation: MakeRelation, settings: Settings
) -> None:
    """Issue 16 hole 2: addresses to 30-number ranges, births to 5-year bands, sex kept, and
    a policy listing only birth and sex as quasi-identifiers. The coarsened address is
    still a place: counted, it leaves most rows in classes below k, and the gate refuses."""
    rel = make_relation(residents())
    policy = Policy(
        columns={
            "住址": ColumnPolicy("generalize", to="range30"),
            "出生日期": ColumnPolicy("generalize", to="year5"),
            "性別": ColumnPolicy("keep"),
        },
        quasi_identifiers=["出生日期", "性別"],
        rows=200,
    )
    out = apply_policy(rel, policy, settings)
    after = screen(out, settings=settings)
    assert "住址" in after.quasi_identifiers
    narrow = verify(out, policy, settings)
    assert narrow.k_anonymity.passes  # the old verdict: the address was not counted
    verification = verify(out, policy, settings, rescreened=after)
    assert set(verification.quasi_identifiers) == {"住址", "出生日期", "性別"}
    assert not verification.k_anonymity.passes
    assert verification.k_anonymity.violating_rows > 100
    report = verification.to_dict()
    assert report["k_anonymity"]["violating_rows"] == verification.k_anonymity.violating_rows
    assert "l_diversity" in report
    assert [f.code for f in gate(after, verification)] == ["k_anonymity"]
