from __future__ import annotations

import codecs
from collections.abc import Callable

import pytest

from kaifang.reading import Table
from tests.reading.conftest import rows_of

TEXT = "編號,案類,發生地點\n1,住宅竊盜,臺北市中正區\n2,機車竊盜,臺北市大安區\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("cp950"), "cp950"),
        (TEXT.encode("big5"), "cp950"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
        (TEXT.replace("\n", "\r\n").encode("cp950"), "cp950"),
    ],
)
def test_encodings_decode_to_the_same_table(
    read: Callable[..., Table], data: bytes, encoding: str
) -> None:
    table = read(data)
    assert table.encoding == encoding
    assert [f.name for f in table.fields] == ["編號", "案類", "發生地點"]
    assert rows_of(table) == [(1, "住宅竊盜", "臺北市中正區"), (2, "機車竊盜", "臺北市大安區")]
    assert table.problems == []


def test_bom_is_not_left_in_the_first_column_name(read: Callable[..., Table]) -> None:
    table = read(codecs.BOM_UTF8 + b"code,name\n01,a\n")
    assert table.fields[0].name == "code"
    assert any(n.code == "bom-removed" for n in table.notes)


def test_cp950_only_characters_decode(read: Callable[..., Table]) -> None:
    # 碁 and 銹 are in CP950 but not in strict Big5.
    table = read("名稱,數量\n碁銹,1\n".encode("cp950"))
    assert rows_of(table) == [("碁銹", 1)]


def test_undecodable_bytes_are_problems_with_rows(read: Callable[..., Table]) -> None:
    good = "名稱,數量\n臺北,1\n高雄,2\n".encode("cp950")
    table = read(good + b"\x80\xff,3\n" + "臺中,4\n".encode("cp950"))
    assert table.encoding == "cp950"
    bad = [p for p in table.problems if p.code == "undecodable-bytes"]
    assert [(p.row, p.column) for p in bad] == [(3, "名稱")]
    note = next(n for n in table.notes if n.code == "undecodable-bytes")
    assert note.count == 2
    assert "U+FFFD" in note.message
    assert rows_of(table)[2] == ("\ufffd\ufffd", 3)


def test_invalid_utf8_after_the_sample_is_reported(read: Callable[..., Table]) -> None:
    body = "".join(f"{i},值{i}\n" for i in range(60_000))  # > the 512 KB sample
    table = read("id,value\n" + body + "60000,")
    assert table.problems == []
    data = ("id,value\n" + body).encode("utf-8") + b"60000,\xff\xfe\n"
    table = read(data, name="bad.csv")
    assert table.rows == 60_001
    assert [(p.row, p.code) for p in table.problems] == [(60_001, "undecodable-bytes")]


def test_bom_before_headerless_data(read: Callable[..., Table]) -> None:
    table = read(codecs.BOM_UTF8 + b"2024-03-25 00:00,01F0005S,31\n2024-03-25 00:05,01F0005S,32\n")
    assert table.header_row is None
    assert [f.type for f in table.fields] == ["datetime", "string", "integer"]
    assert rows_of(table)[0][1:] == ("01F0005S", 31)
