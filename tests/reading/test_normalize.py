from __future__ import annotations

from collections.abc import Callable

from kaifang.reading import Table
from tests.reading.conftest import rows_of, types_of


def test_full_width_digits_in_a_numeric_column(read: Callable[..., Table]) -> None:
    table = read("name,count\n甲,１２\n乙,3\n丙,４５６\n")
    assert types_of(table)["count"] == "integer"
    assert [r[1] for r in rows_of(table)] == [12, 3, 456]
    assert any("full-width" in n for n in table.fields[1].notes)


def test_full_width_code_column_becomes_half_width(read: Callable[..., Table]) -> None:
    table = read("code,name\nＡ０１,甲\nB02,乙\n")
    assert [r[0] for r in rows_of(table)] == ["A01", "B02"]
    assert types_of(table)["code"] == "string"
    assert any("full-width" in n for n in table.fields[0].notes)


def test_full_width_text_is_left_alone(read: Callable[..., Table]) -> None:
    table = read("name\n第１案（甲）\n乙\n")
    assert rows_of(table)[0] == ("第１案（甲）",)


def test_trailing_whitespace_including_ideographic_space(read: Callable[..., Table]) -> None:
    table = read("name,n\n臺北市\u3000\u3000,1 \n高雄市  ,2\n新北市,3\n")
    assert rows_of(table) == [("臺北市", 1), ("高雄市", 2), ("新北市", 3)]
    assert any("trailing whitespace" in n for n in table.fields[0].notes)
    assert any(n.code == "trailing-whitespace" and n.column == "name" for n in table.notes)


def test_excel_apostrophe_codes(read: Callable[..., Table]) -> None:
    table = read('"\'01","\'000","1","宋楚瑜"\n"\'02","\'001","2","馬英九"\n')
    assert rows_of(table) == [("01", "000", 1, "宋楚瑜"), ("02", "001", 2, "馬英九")]
    assert any("apostrophe" in n for n in table.fields[0].notes)
    assert types_of(table)["column_1"] == "string"


def test_leading_zero_codes_stay_strings(read: Callable[..., Table]) -> None:
    table = read("學年度,代碼,區\n114,011601,09\n114,011602,10\n")
    assert types_of(table) == {"學年度": "integer", "代碼": "string", "區": "string"}
    assert rows_of(table)[0] == (114, "011601", "09")
    assert any("leading zeros" in n for n in table.fields[1].notes)


def test_empty_cells_are_null(read: Callable[..., Table]) -> None:
    table = read('a,b\n1,""\n2, \n')
    assert rows_of(table) == [(1, None), (2, None)]
