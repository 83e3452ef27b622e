from __future__ import annotations

from collections.abc import Callable

import pytest

from kaifang.reading import Table
from tests.reading.conftest import rows_of, types_of

FREEWAY = "2024-03-25 00:00,01F0005S,S,31,12\n2024-03-25 00:00,01F0005S,S,32,3\n"
ELECTION = '"\'01","\'000","1","宋楚瑜"\n"\'01","\'000","2","馬英九"\n'
MOE_103 = (
    "103學年度大專校院名錄,,,,,,\n"
    ",,,,,,\n"
    "代碼,學校名稱,縣市名稱,地址,電話,網址,體系別\n"
    "0001,國立政治大學,[38]臺北市,[116]臺北市文山區指南路二段64號,(02)29393091,http://www.nccu.edu.tw,[1]一般\n"
    "0002,國立清華大學,[18]新竹市,[300]新竹市光復路二段101號,(03)5715131,http://www.nthu.edu.tw,[1]一般\n"
)
GANTRY = (
    '方向,編號,"收費區\n設定里程",小車牌價,交流道(起),交流道(迄),,緯度(北緯),,經度(東經)\n'
    "S,01F-000.5S,1.1,1.3,基隆端,基隆,N,25.11878611,E,121.7317639\n"
    "N,01F-000.5N,1.1,1.3,基隆,基隆端,N,25.11878611,E,121.7317639\n"
)


@pytest.mark.parametrize(
    ("data", "names"),
    [
        (FREEWAY, [f"column_{i}" for i in range(1, 6)]),
        (ELECTION, [f"column_{i}" for i in range(1, 5)]),
    ],
    ids=["freeway", "election"],
)
def test_headerless_files_get_numbered_columns(
    read: Callable[..., Table], data: str, names: list[str]
) -> None:
    table = read(data)
    assert table.header_row is None
    assert [f.name for f in table.fields] == names
    assert table.rows == 2
    assert any(n.code == "no-header" for n in table.notes)


def test_headerless_freeway_types(read: Callable[..., Table]) -> None:
    table = read(FREEWAY)
    assert list(types_of(table).values()) == ["datetime", "string", "string", "integer", "integer"]


def test_title_and_blank_rows_before_the_header(read: Callable[..., Table]) -> None:
    table = read(MOE_103)
    assert table.header_row == 3
    assert [f.name for f in table.fields][:3] == ["代碼", "學校名稱", "縣市名稱"]
    assert table.rows == 2
    assert rows_of(table)[0][0] == "0001"
    assert any(n.code == "preamble-skipped" and n.count == 2 for n in table.notes)


def test_multiline_and_empty_header_cells(read: Callable[..., Table]) -> None:
    table = read(GANTRY)
    names = [f.name for f in table.fields]
    assert names == [
        "方向",
        "編號",
        "收費區設定里程",
        "小車牌價",
        "交流道(起)",
        "交流道(迄)",
        "column_7",
        "緯度(北緯)",
        "column_9",
        "經度(東經)",
    ]
    notes = {f.name: f.notes for f in table.fields}
    assert any("line breaks" in n for n in notes["收費區設定里程"])
    assert any("empty" in n for n in notes["column_7"])
    assert table.header_row == 1
    assert table.rows == 2
    assert types_of(table)["收費區設定里程"] == "number"
    assert rows_of(table)[0][:3] == ("S", "01F-000.5S", 1.1)


def test_duplicate_header_names_are_made_unique(read: Callable[..., Table]) -> None:
    table = read("名稱,名稱,x\na,b,c\n")
    assert [f.name for f in table.fields] == ["名稱", "名稱_2", "x"]


def test_header_only_file_has_no_rows(read: Callable[..., Table]) -> None:
    table = read("a,b\n")
    assert [f.name for f in table.fields] == ["a", "b"]
    assert table.rows == 0


def test_all_text_headerless_rows_are_detected_by_repeats(read: Callable[..., Table]) -> None:
    table = read("N,是\nN,否\nY,是\n")
    assert table.header_row is None
    assert table.rows == 3
