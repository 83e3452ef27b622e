"""Trip tables from their values alone (issue 16, holes 7 and 8): a headerless M06A file gets
the verdict of the same rows with their header, and gantry codes in a table that is not
about trips (counts per gantry and interval or month) are infrastructure codes."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from kaifang.cli.scan_cmd import scan_file
from kaifang.errors import PublishRefusedError
from kaifang.publish import publish_file
from kaifang.settings import Settings
from tests.publishing import ORG

M06A_HEADER = (
    "VehicleType,DetectionTime_O,GantryID_O,DetectionTime_D,GantryID_D,TripLength,TripEnd,"
    "TripInformation"
)
GANTRIES = ["01F0005N", "01F0017N", "03F0150S", "03A0056S", "05FR143N", "10F0330E"]


def m06a_lines(n: int = 400) -> list[str]:
    """M06A-shaped trips: times to the second, gantry pairs, a trip path."""
    rng = random.Random(7)
    lines = []
    for _ in range(n):
        start = rng.randrange(0, 86_000 - 3_600)
        end = start + rng.randrange(60, 3_600)
        o, d = rng.sample(GANTRIES, 2)
        t_o = f"2024-03-25 {start // 3600:02d}:{start // 60 % 60:02d}:{start % 60:02d}"
        t_d = f"2024-03-25 {end // 3600:02d}:{end // 60 % 60:02d}:{end % 60:02d}"
        km = rng.randrange(10, 900) / 10
        lines.append(
            f"{rng.choice([31, 32, 41, 42, 5])},{t_o},{o},{t_d},{d},{km},Y,{t_o}+{o}; {t_d}+{d}"
        )
    return lines


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_headerless_m06a_file_gets_the_verdict_of_the_same_rows_with_header(
    tmp_path: Path, settings: Settings
) -> None:
    rows = m06a_lines()
    named = scan_file(write(tmp_path / "named.csv", [M06A_HEADER, *rows]), settings)
    bare = scan_file(write(tmp_path / "TDCS_M06A_20240325_080000.csv", rows), settings)
    assert named.quasi_identifiers == [
        "DetectionTime_O",
        "GantryID_O",
        "DetectionTime_D",
        "GantryID_D",
        "TripInformation",  # the trip path, time at each gantry (trip_path)
    ]
    positions = {c.name: i for i, c in enumerate(bare.columns)}
    assert [positions[q] for q in bare.quasi_identifiers] == [1, 2, 3, 4, 7]
    assert "trip_path" in bare.columns[7].detectors
    assert (bare.publishable, bare.k_anonymity.k) == (named.publishable, named.k_anonymity.k)
    assert bare.publishable is False and bare.k_anonymity.k == 1
    assert "gantry_code" in bare.columns[2].detectors


def test_a_headerless_m06a_file_is_not_published_unprotected(
    tmp_path: Path, org_settings: Settings
) -> None:
    file = write(tmp_path / "TDCS_M06A_20240325_080000.csv", m06a_lines())
    with pytest.raises(PublishRefusedError, match="k = 1"):
        publish_file(org_settings, file, org=ORG, title="M06A")


@pytest.mark.parametrize(
    ("header", "line"),
    [
        (None, "2024-03-25 08:05,{g},N,31,{n}"),  # headerless M03A: counts per 5 minutes
        ("TimeInterval,GantryID,Direction,VehicleType,Volume", "2024-03-25 08:05,{g},N,31,{n}"),
        ("月份,門架代碼,累計車次", "2024-{m:02d},{g},{n}"),  # cumulative counts per month
        ("門架代碼,里程,方向", "{g},{n}.5,N"),  # a gantry location list
    ],
)
def test_gantry_codes_in_tables_that_are_not_trips_are_not_trip_places(
    tmp_path: Path, settings: Settings, header: str | None, line: str
) -> None:
    body = [
        line.format(g=g, n=7 + i * 13 + j, m=1 + j % 12)
        for i, g in enumerate(GANTRIES)
        for j in range(12)
    ]
    report = scan_file(
        write(tmp_path / "gantries.csv", [header, *body] if header else body), settings
    )
    assert report.quasi_identifiers == []
    assert report.publishable
