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

from kaifang.privacy import gate, screen
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
def predictions() -> dict[str, tuple[str, str, bool]]:
    """``table.column`` → (labeled category, predicted category, blocks)."""
    from kaifang.settings import load_settings

    settings: Settings = load_settings({})
    con = duckdb.connect()
    out: dict[str, tuple[str, str, bool]] = {}
    for table in load_corpus().corpus(rows=600):
        rel = con.from_arrow(pa.table({c.name: c.values for c in table.columns}))
        report = screen(rel, settings=settings, table_name=table.name)
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
    ],
)
def test_issue16_cases_get_their_label(
    predictions: dict[str, tuple[str, str, bool]], key: str
) -> None:
    label, got, _ = predictions[key]
    assert got == label
