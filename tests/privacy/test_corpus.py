"""The labeled privacy corpus (benchmarks/privacy_corpus.py), issue 16's cases included:
every direct-identifier column is found and no plain column blocks a publish."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import duckdb
import pyarrow as pa
import pytest

from kaifang.privacy import ScreeningReport, gate, screen
from kaifang.privacy.legal_basis import choose_basis, covered_columns
from kaifang.settings import Settings

CORPUS = Path(__file__).resolve().parents[2] / "benchmarks" / "privacy_corpus.py"


def load_corpus() -> ModuleType:
    spec = importlib.util.spec_from_file_location("privacy_corpus", CORPUS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def reports() -> dict[str, ScreeningReport]:
    """Each corpus table's screening report, by table name."""
    from kaifang.settings import load_settings

    settings: Settings = load_settings({})
    con = duckdb.connect()
    out: dict[str, ScreeningReport] = {}
    for table in load_corpus().corpus(rows=600):
        rel = con.from_arrow(pa.table({c.name: c.values for c in table.columns}))
        out[table.name] = screen(rel, settings=settings, table_name=table.name)
    return out


@pytest.fixture(scope="module")
def predictions(reports: dict[str, ScreeningReport]) -> dict[str, tuple[str, str, bool]]:
    """``table.column`` → (labeled category, predicted category, blocks)."""
    out: dict[str, tuple[str, str, bool]] = {}
    for table in load_corpus().corpus(rows=600):
        report = reports[table.name]
        blocking = {f.column for f in gate(report, None)}
        for labeled in table.columns:
            col = report.column(labeled.name)
            blocks = col.name in blocking or col.category == "direct_identifier"
            out[f"{table.name}.{col.name}"] = (labeled.category, col.category, blocks)
    return out


def test_every_direct_identifier_is_found(
    predictions: dict[str, tuple[str, str, bool]],
) -> None:
    missed = [k for k, (label, got, _) in predictions.items() if label == "direct_identifier"
              and got != "direct_identifier"]  # fmt: skip
    assert missed == []
    assert "medical_records.病歷號碼" in predictions and "student_roster.學號" in predictions


def test_no_plain_column_blocks(predictions: dict[str, tuple[str, str, bool]]) -> None:
    assert [k for k, (label, _, blocks) in predictions.items() if label == "none" and blocks] == []


@pytest.mark.parametrize(
    "key",
    [
        "etc_trips_headerless.column_2",
        "etc_trips_headerless.column_3",
        "etc_trips_headerless.column_5",
        "gantry_monthly.門架代碼",
        "medical_records.病歷號碼",
        "record_numbers.健保卡號",
        "record_numbers.社福個案編號",
        "record_numbers.收容人編號",
        "record_numbers.學生證號",
        "generalized_people.地址區段",
        "generalized_people.出生年區間",
        "gantry_locations.門架編號",
        "m06a_headerless.column_3",
        "m06a_headerless.column_8",
    ],
)
def test_issue16_cases_get_their_label(
    predictions: dict[str, tuple[str, str, bool]], key: str
) -> None:
    label, got, _ = predictions[key]
    assert got == label


def test_a_legal_basis_covers_only_the_columns_it_names(
    reports: dict[str, ScreeningReport],
) -> None:
    """Legal-basis coverage: under each case's basis, exactly the identifier columns it does
    not name still block (an ID number under the election law, for one)."""
    for case in load_corpus().BASIS_CASES:
        report = reports[case.table]
        identifiers = {
            c.name: c.detectors for c in report.columns if c.category == "direct_identifier"
        }
        basis = choose_basis(case.label, columns=case.columns, may_cite=False)
        assert basis is not None
        basis = covered_columns(basis, identifiers, columns=[c.name for c in report.columns])
        blocking = [f.column for f in gate(report, None, allow_personal_data=basis)]
        assert sorted(c for c in blocking if c) == sorted(case.still_blocking), case.table
