"""Numbers of a person's record are direct identifiers whatever the domain (issue 16, hole 6):
a medical-record number is not a "sensitive category, keep", it points at the patient."""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import pytest

from kaifang.privacy import gate, screen
from kaifang.settings import Settings

MakeRelation = Callable[[dict[str, list[object]]], duckdb.DuckDBPyRelation]
N = 300


@pytest.mark.parametrize(
    ("name", "values"),
    [
        ("病歷號碼", [f"MR{100000 + i * 7}" for i in range(N)]),
        ("健保卡號", [f"H{20000000 + i}" for i in range(N)]),  # not the 12-digit form
        ("個案編號", [f"SW-113-{i:04d}" for i in range(N)]),
        ("受刑人編號", [str(20000 + i) for i in range(N)]),
        ("學號", [f"1{10000 + i}" for i in range(N)]),
        ("patient_id", [f"P{i:06d}" for i in range(N)]),
    ],
)
def test_a_record_number_in_a_sensitive_table_is_a_direct_identifier(
    make_relation: MakeRelation, settings: Settings, name: str, values: list[object]
) -> None:
    rel = make_relation({name: values, "診斷": ["E11.9", "J45", "I10"] * (N // 3)})
    report = screen(rel, settings=settings)
    column = report.column(name)
    assert (column.category, column.detectors[0]) == ("direct_identifier", "record_number")
    assert column.action in ("drop", "pseudonymize")
    assert report.column("診斷").category == "sensitive"
    assert ("direct_identifier", name) in {(f.code, f.column) for f in gate(report, None)}


@pytest.mark.parametrize(
    ("name", "values"),
    [
        ("學號", [f"{i % 3}" * 5 for i in range(N)]),  # repeats: a code, not one per person
        ("案號", [f"11300{i:05d}" for i in range(N)]),  # a petition's number, no person's file
        ("班級", [f"{i % 6 + 1}年{i % 3 + 1}班" for i in range(N)]),
    ],
)
def test_repeating_codes_and_other_numbers_are_not_record_numbers(
    make_relation: MakeRelation, settings: Settings, name: str, values: list[object]
) -> None:
    report = screen(make_relation({name: values}), settings=settings)
    assert "record_number" not in report.column(name).detectors
    assert report.column(name).category != "direct_identifier"
