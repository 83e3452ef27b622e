from __future__ import annotations

from collections.abc import Callable

import pytest

from kaifang.reading import Table
from kaifang.reading.model import Problem
from tests.reading.conftest import rows_of, types_of


def test_a_stray_bad_cell_does_not_change_the_type(read: Callable[..., Table]) -> None:
    values = [str(i) for i in range(3000)]
    values.insert(1234, "K")
    table = read("id,n\n" + "".join(f"{i},{v}\n" for i, v in enumerate(values)))
    assert types_of(table)["n"] == "integer"
    assert table.rows == 3001
    assert table.problems == [
        Problem(
            row=1235,
            column="n",
            code="type-error",
            message="'K' is not a valid integer; read as empty",
        )
    ]
    assert rows_of(table)[1234] == (1234, None)
    assert any("1 value(s) are not integer" in n for n in table.fields[1].notes)


def test_small_columns_must_parse_completely(read: Callable[..., Table]) -> None:
    table = read("n\n1\n2\nK\n")
    assert types_of(table)["n"] == "string"
    assert table.problems == []


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["1", "-2", "+3"], "integer"),
        (["1.5", "2", "-3e2"], "number"),
        (["true", "FALSE"], "boolean"),
        (["abc", "1"], "string"),
        (["", ""], "string"),
        (["0", "0.5"], "number"),
        (["01.5", "2.5"], "string"),
    ],
)
def test_inferred_types(read: Callable[..., Table], values: list[str], expected: str) -> None:
    table = read("id,v\n" + "".join(f"{i},{v}\n" for i, v in enumerate(values)))
    assert types_of(table)["v"] == expected


def test_problem_row_numbers_count_data_rows_after_a_preamble(
    read: Callable[..., Table],
) -> None:
    body = "".join(f"{i}\n" for i in range(200)).replace("150\n", "x\n")
    table = read("title,,\n,,\n" + "n,a,b\n" + body.replace("\n", ",1,2\n"))
    assert table.header_row == 3
    assert [(p.row, p.column) for p in table.problems] == [(151, "n")]
