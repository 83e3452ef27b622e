from __future__ import annotations

import pytest

from kaifang.publish.clustering import cluster_columns, is_code_like
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
