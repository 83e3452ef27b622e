from __future__ import annotations

from collections.abc import Callable

import pytest

from kaifang.reading import Table
from tests.reading.conftest import rows_of


@pytest.mark.parametrize("delimiter", [",", "\t", ";", "|"])
def test_delimiters(read: Callable[..., Table], delimiter: str) -> None:
    lines = [["name", "count", "note"], ["甲", "1", "x y"], ["乙", "2", ""]]
    table = read("\n".join(delimiter.join(cells) for cells in lines) + "\n")
    assert table.delimiter == delimiter
    assert rows_of(table) == [("甲", 1, "x y"), ("乙", 2, None)]


def test_quoted_fields_with_newlines_commas_and_doubled_quotes(
    read: Callable[..., Table],
) -> None:
    table = read('id,text\n1,"line one\nline two"\n2,"a, b"\n3,"say ""hi"""\n')
    assert rows_of(table) == [(1, "line one\nline two"), (2, "a, b"), (3, 'say "hi"')]


@pytest.mark.parametrize(
    "newline_sequence",
    [["\n"] * 4, ["\r\n"] * 4, ["\r\n", "\n", "\r\n", "\n"]],
    ids=["lf", "crlf", "mixed"],
)
def test_line_endings(read: Callable[..., Table], newline_sequence: list[str]) -> None:
    lines = ["a,b", "1,x", "2,y", "3,z"]
    table = read("".join(line + end for line, end in zip(lines, newline_sequence, strict=True)))
    assert rows_of(table) == [(1, "x"), (2, "y"), (3, "z")]


def test_trailing_empty_field(read: Callable[..., Table]) -> None:
    table = read("a,b,c\n1,2,\n3,4,\n")
    assert [f.name for f in table.fields] == ["a", "b", "c"]
    assert rows_of(table) == [(1, 2, None), (3, 4, None)]


def test_short_rows_are_padded(read: Callable[..., Table]) -> None:
    table = read('a,b,c\n1,"x\ny",3\n2\n')
    assert rows_of(table) == [(1, "x\ny", 3), (2, None, None)]
