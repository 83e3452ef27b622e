from __future__ import annotations

import pyarrow as pa
import pytest

from kaifang.publish.clustering import cluster_columns, is_code_like
from kaifang.publish.ordering import OutOfOrder, in_order
from kaifang.reading import Field


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("GantryID_O", True),
        ("station_code", True),
        ("StopNo", True),
        ("id", True),
        ("村里代碼", True),
        ("編號", True),
        ("VehicleType", False),
        ("Video", False),
        ("Notes", False),
        ("發生地點", False),
    ],
)
def test_code_like_names(name: str, expected: bool) -> None:
    assert is_code_like(name) is expected


@pytest.mark.parametrize(
    ("fields", "order"),
    [
        (
            [
                ("VehicleType", "integer"),
                ("DetectionTime_O", "datetime"),
                ("GantryID_O", "string"),
                ("DetectionTime_D", "datetime"),
                ("GantryID_D", "string"),
            ],
            ["DetectionTime_O", "GantryID_O"],
        ),
        ([("發生日期", "date"), ("案類", "string")], ["發生日期"]),
        ([("amount", "number"), ("station_id", "integer")], ["station_id"]),
        ([("a", "string")], []),
    ],
)
def test_cluster_by_first_time_then_first_key(
    fields: list[tuple[str, str]], order: list[str]
) -> None:
    assert cluster_columns([Field(name=n, type=t) for n, t in fields]) == order


# -- keeping a file's own order (kaifang.publish.ordering) ------------------------------------


def _batches(*chunks: list[int | None]) -> pa.RecordBatchReader:
    schema = pa.schema([("t", pa.int64())])
    batches = [pa.record_batch([pa.array(c, pa.int64())], schema=schema) for c in chunks]
    return pa.RecordBatchReader.from_batches(schema, batches)


@pytest.mark.parametrize(
    ("chunks", "ordered"),
    [
        ([[1, 2, 2, 3], [3, 4]], True),
        ([[1, 2], [3, None], [None]], True),  # nulls last, as ORDER BY ... NULLS LAST
        ([[None, None]], True),
        ([[2, 1]], False),  # within a batch
        ([[1, 5], [4, 6]], False),  # across batches
        ([[1, None], [2]], False),  # a value after a null
        ([[None, 1]], False),  # a null before a value
    ],
)
def test_in_order_lets_ordered_batches_through(
    chunks: list[list[int | None]], ordered: bool
) -> None:
    checked = in_order(_batches(*chunks), "t")
    if ordered:
        assert [v for b in checked for v in b.column(0).to_pylist()] == [
            v for c in chunks for v in c
        ]
    else:
        with pytest.raises(OutOfOrder):
            list(checked)
