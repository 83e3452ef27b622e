"""Ragged rows (more or fewer cells than the header) are problems, never silent: the extra
values are kept in the problem, a short row names its first missing column."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kaifang.reading import Table
from kaifang.reading.ragged import MAX_RAGGED_PROBLEMS
from tests.reading.conftest import rows_of


def ragged(table: Table) -> list[dict[str, object]]:
    return [p.to_dict() for p in table.problems if p.code in ("extra-cells", "missing-cells")]


@pytest.mark.parametrize(
    ("encoding", "newline"), [("utf-8", "\n"), ("cp950", "\r\n"), ("utf-8", "\r\n")]
)
def test_extra_and_missing_cells_are_problems(
    read: Callable[..., Table], encoding: str, newline: str
) -> None:
    text = newline.join(["a,b,c", "1,2,3", "4,5", "6,7,8,9", "10,11,12"]) + newline
    table = read(text.encode(encoding))
    assert rows_of(table) == [(1, 2, 3), (4, 5, None), (6, 7, 8), (10, 11, 12)]
    found = ragged(table)
    assert [(p["row"], p["code"], p["column"]) for p in found] == [
        (2, "missing-cells", "c"),
        (3, "extra-cells", None),
    ]
    assert found[1]["values"] == ["9"]
    assert "'9'" in str(found[1]["message"])
    assert table.ragged_rows == 2
    report = table.report()
    assert report["ragged_rows"] == 2 and report["problem_count"] == 2


def test_row_numbers_count_records_not_lines(read: Callable[..., Table]) -> None:
    table = read('a,b,c\n"x\ny",2,3\n4,5,6,"seven, with a comma"\n')
    [problem] = ragged(table)
    assert (problem["row"], problem["values"]) == (2, ["seven, with a comma"])


def test_a_title_row_before_the_header_keeps_row_numbers(read: Callable[..., Table]) -> None:
    table = read("臺北市資料\n\na,b,c\n1,2,3\n4,5,6,7\n")
    assert [(p["row"], p["values"]) for p in ragged(table)] == [(2, ["7"])]


def test_clean_files_have_no_ragged_rows(read: Callable[..., Table]) -> None:
    table = read("a,b,c\n1,2,3\n4,5,6\n")
    assert (table.ragged_rows, table.problems, table.problem_count) == (0, [], 0)


def test_many_ragged_rows_are_counted_past_the_listed_ones(read: Callable[..., Table]) -> None:
    many = MAX_RAGGED_PROBLEMS + 50
    rows = [f"{i},{i},{i}" + (f",{i}" if i % 2 else "") for i in range(2 * many + 1)]
    table = read("a,b,c\n" + "\n".join(rows) + "\n")
    assert table.ragged_rows == many
    assert len(ragged(table)) == MAX_RAGGED_PROBLEMS
    assert table.problem_count == many
