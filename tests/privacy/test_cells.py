"""Small-cell suppression: hidden counts cannot be recovered from row or column totals."""

from __future__ import annotations

from collections.abc import Callable
from itertools import product

import duckdb
import pytest

from kaifang.privacy import suppress_small_cells
from kaifang.settings import Settings

MakeRelation = Callable[[dict[str, list[object]]], duckdb.DuckDBPyRelation]

DISTRICTS = ["中正區", "大安區", "信義區", "松山區"]
AGES = ["0-19", "20-39", "40-59", "60+"]
COUNTS = [12, 1, 30, 8, 25, 14, 2, 9, 40, 33, 21, 17, 5, 6, 11, 2]


def table(make_relation: MakeRelation) -> duckdb.DuckDBPyRelation:
    cells = list(product(DISTRICTS, AGES))
    return make_relation(
        {"區": [d for d, _ in cells], "年齡層": [a for _, a in cells], "人數": COUNTS}
    )


def test_no_hidden_cell_can_be_recovered_by_subtraction(
    make_relation: MakeRelation, settings: Settings
) -> None:
    out = suppress_small_cells(table(make_relation), "人數", ["區", "年齡層"], settings)
    rows = out.fetchall()
    hidden = [(d, a) for d, a, n in rows if n is None]
    # every primary small cell is hidden
    assert {
        (d, a) for (d, a), n in zip(product(DISTRICTS, AGES), COUNTS, strict=True) if n < 3
    } <= set(hidden)
    # every row and column that hides a cell hides at least two: total minus the visible
    # cells gives only their sum
    for d, a in hidden:
        assert sum(1 for d2, _ in hidden if d2 == d) >= 2
        assert sum(1 for _, a2 in hidden if a2 == a) >= 2
    assert all(n is None or n >= 3 for _, _, n in rows)


def test_one_dimension(make_relation: MakeRelation, settings: Settings) -> None:
    rel = make_relation({"區": DISTRICTS, "件數": [1, 10, 20, 30]})
    out = dict(suppress_small_cells(rel, "件數", ["區"], settings).fetchall())
    assert out == {"中正區": None, "大安區": None, "信義區": 20, "松山區": 30}


def test_unknown_column(make_relation: MakeRelation, settings: Settings) -> None:
    from kaifang.errors import ValidationError

    with pytest.raises(ValidationError, match="'人口'"):
        suppress_small_cells(table(make_relation), "人口", ["區"], settings)
