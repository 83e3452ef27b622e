from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from kaifang.errors import ValidationError
from kaifang.reading import Table
from tests.reading.conftest import rows_of, types_of

FREEWAY = "2024-03-25 00:00,01F0005S,S,31,12\n2024-03-25 00:05,01F0005S,S,32,3\n"
NAMES = ["TimeInterval", "GantryID", "Direction", "VehicleType", "Volume"]


def test_column_names_for_a_headerless_source(read: Callable[..., Table]) -> None:
    table = read(FREEWAY, column_names=NAMES, header=False)
    assert [f.name for f in table.fields] == NAMES
    assert table.rows == 2
    assert rows_of(table)[1] == (dt.datetime(2024, 3, 25, 0, 5), "01F0005S", "S", 32, 3)


def test_column_names_replace_a_detected_header(read: Callable[..., Table]) -> None:
    table = read("a,b\n1,2\n", column_names=["x", "y"])
    assert table.header_row == 1
    assert [f.name for f in table.fields] == ["x", "y"]
    assert rows_of(table) == [(1, 2)]


def test_header_true_takes_the_first_row(read: Callable[..., Table]) -> None:
    table = read("2024,2025\n1,2\n", header=True)
    assert [f.name for f in table.fields] == ["2024", "2025"]
    assert table.rows == 1


def test_header_false_keeps_the_first_row_as_data(read: Callable[..., Table]) -> None:
    table = read("a,b\nc,d\n", header=False)
    assert table.rows == 2
    assert table.header_row is None


def test_column_types_force_types(read: Callable[..., Table]) -> None:
    table = read(
        FREEWAY,
        column_names=NAMES,
        column_types={"VehicleType": "string", "Volume": "number"},
    )
    assert types_of(table)["VehicleType"] == "string"
    assert types_of(table)["Volume"] == "number"
    assert rows_of(table)[0][3:] == ("31", 12.0)


def test_forced_type_failures_are_problems(read: Callable[..., Table]) -> None:
    table = read("a\nx\n2\n", column_types={"a": "integer"})
    assert [(p.row, p.code) for p in table.problems] == [(1, "type-error")]


def test_unknown_type_is_refused(read: Callable[..., Table]) -> None:
    with pytest.raises(ValidationError, match="not a Table Schema type"):
        read("a\n1\n", column_types={"a": "int"})


def test_unknown_column_is_refused(read: Callable[..., Table]) -> None:
    with pytest.raises(ValidationError, match="unknown column"):
        read("a\n1\n", column_types={"b": "integer"})


def test_forced_encoding_and_delimiter(read: Callable[..., Table]) -> None:
    data = "名稱;數量\n臺北;1\n".encode("big5")
    table = read(data, encoding="big5", delimiter=";")
    assert (table.encoding, table.delimiter) == ("cp950", ";")
    assert rows_of(table) == [("臺北", 1)]


def test_batches_and_table_schema(read: Callable[..., Table]) -> None:
    table = read("id,day\n1,1040101\n2,1040102\n3,1040103\n")
    reader = table.batches(2)
    batches = list(reader)
    assert [b.num_rows for b in batches] == [2, 1]
    assert reader.schema.names == ["id", "day"]
    assert table.table_schema() == {
        "fields": [{"name": "id", "type": "integer"}, {"name": "day", "type": "date"}]
    }


def test_close_removes_staged_files(read: Callable[..., Table]) -> None:
    table = read("a\n1\n")
    workdir = table._workdir
    assert workdir is not None and workdir.exists()
    table.close()
    assert not workdir.exists()
