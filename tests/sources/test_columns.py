from __future__ import annotations

import pytest

from kaifang.reading.model import FIELD_TYPES
from kaifang.sources.elections.columns import FILES
from kaifang.sources.freeway.columns import DATASETS, GANTRY_TABLE_COLUMNS, GANTRY_TABLE_HEADER
from kaifang.sources.model import SourceColumn, column_names
from kaifang.sources.schools.columns import LEVELS
from kaifang.sources.theft.columns import COLUMNS as THEFT_COLUMNS


@pytest.mark.parametrize(
    ("code", "names"),
    [
        ("M03A", "TimeInterval, GantryID, Direction, VehicleType, Volume"),
        ("M04A", "TimeInterval, GantryFrom, GantryTo, VehicleType, TravelTime, Volume"),
        ("M05A", "TimeInterval, GantryFrom, GantryTo, VehicleType, SpaceMeanSpeed, Volume"),
        (
            "M06A",
            "VehicleType, DetectionTime_O, GantryID_O, DetectionTime_D, GantryID_D, TripLength, "
            "TripEnd, TripInformation",
        ),
        ("M07A", "TimeInterval, GantryFrom, VehicleType, TripLength, Volume"),
        ("M08A", "TimeInterval, GantryFrom, GantryTo, VehicleType, Volume"),
    ],
)
def test_tdcs_columns_are_the_manuals(code: str, names: str) -> None:
    assert column_names(DATASETS[code].columns) == names.split(", ")


@pytest.mark.parametrize(
    ("file", "width"),
    [("elbase", 6), ("elcand", 16), ("elpaty", 2), ("elprof", 20), ("elctks", 10),
     ("elrepm", 10), ("elretks", 5)],
)  # fmt: skip
def test_cec_files_have_the_format_documents_widths(file: str, width: int) -> None:
    assert len(FILES[file]) == width


@pytest.mark.parametrize("file", ["elbase", "elcand", "elctks", "elprof"])
def test_cec_area_files_start_with_the_five_codes(file: str) -> None:
    assert column_names(FILES[file])[:5] == ["省市", "縣市", "選區", "鄉鎮市區", "村里"]


def _all_columns() -> list[SourceColumn]:
    columns = [c for d in DATASETS.values() for c in d.columns]
    columns += [c for cols in FILES.values() for c in cols]
    columns += [c for level in LEVELS.values() for c in level.columns]
    return columns + list(THEFT_COLUMNS) + list(GANTRY_TABLE_COLUMNS)


def test_every_column_is_described_and_typed() -> None:
    for column in _all_columns():
        assert column.type in FIELD_TYPES, column
        assert column.title and column.description, column


def test_to_field_carries_title_and_unit() -> None:
    speed = DATASETS["M05A"].columns[4].to_field()
    assert speed.to_schema() == {
        "name": "SpaceMeanSpeed",
        "type": "integer",
        "title": "行駛車速",
        "description": "站間中位數空間平均車速；無車時為 0（單位：km/h）",
    }


def test_gantry_table_columns_match_its_header() -> None:
    assert len(GANTRY_TABLE_COLUMNS) == len(GANTRY_TABLE_HEADER) == 10
