from __future__ import annotations

import csv
import hashlib
import re
import tarfile
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import date
from pathlib import Path

import duckdb
import pytest

from kaifang.errors import ValidationError
from kaifang.sources.freeway.columns import DATASETS, GANTRY_TABLE_HEADER
from kaifang.sources.freeway.generate import FreewayPlan, GeneratedFreeway, generate_freeway
from kaifang.sources.freeway.network import build_network, build_pairs
from kaifang.sources.freeway.parse import gantry_id_sql, tdcs_timestamp_sql, trip_information_sql
from kaifang.sources.model import column_names
from kaifang.sqlutil import quote_literal
from tests.sources.freeway.conftest import SMALL

Day = tuple[Path, GeneratedFreeway]
GANTRIES = build_network(SMALL.scale)
PAIRS = build_pairs(GANTRIES)


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _all_rows(out: Path, code: str) -> list[list[str]]:
    return [row for path in sorted((out / code).rglob("*.csv")) for row in _rows(path)]


@pytest.mark.parametrize(
    ("code", "files"),
    [("M03A", 288), ("M04A", 288), ("M05A", 288), ("M06A", 24), ("M07A", 24), ("M08A", 288)],
)
def test_layout_and_file_names(small_day: Day, code: str, files: int) -> None:
    out, _ = small_day
    paths = sorted((out / code).rglob("*.csv"))
    assert len(paths) == files
    pattern = re.compile(rf"{code}/20240325/(\d\d)/TDCS_{code}_20240325_(\d\d)(\d\d)00\.csv$")
    for path in paths:
        match = pattern.search(path.as_posix())
        assert match and match[1] == match[2]
        assert len(path.stem) == 25
        data = path.read_bytes()
        assert b"\r" not in data and data.endswith(b"\n")
        width = len(DATASETS[code].columns)
        assert {len(r) for r in _rows(path)} <= {width}


def test_every_gantry_and_type_in_every_m03a_slot(small_day: Day) -> None:
    out, _ = small_day
    rows = _all_rows(out, "M03A")
    assert len(rows) == len(GANTRIES) * 5 * 288
    per_slot = Counter(r[0] for r in rows)
    assert set(per_slot.values()) == {len(GANTRIES) * 5}
    assert {r[3] for r in rows} == {"31", "32", "41", "42", "5"}
    assert re.fullmatch(r"2024-03-25 \d\d:\d\d", rows[0][0])
    assert any(r[4] == "0" for r in rows)


def test_3a_gantries_report_east_west(small_day: Day) -> None:
    out, _ = small_day
    directions = {(r[1][-1], r[2]) for r in _all_rows(out, "M03A") if r[1].startswith("03A")}
    assert directions == {("N", "W"), ("S", "E")}


def test_pairs_speeds_and_travel_times(small_day: Day) -> None:
    out, _ = small_day
    counts = {(r[0].replace("-", "/"), r[1], r[3]): int(r[4]) for r in _all_rows(out, "M03A")}
    speeds = _all_rows(out, "M05A")
    times = _all_rows(out, "M04A")
    assert len(speeds) == len(times) == len(PAIRS) * 5 * 288
    assert re.fullmatch(r"2024/03/25 \d\d:\d\d", speeds[0][0])
    for s, t in zip(speeds, times, strict=True):
        assert s[:4] == t[:4] and s[5] == t[5]
        volume = int(s[5])
        assert volume <= counts[(s[0], s[1], s[3])]
        if volume == 0:
            assert s[4] == "0" and t[4] == "0"
    ordinary = [s for s in speeds if s[1][:7] != s[2][:7] and int(s[5]) > 0]
    assert all(5 <= int(s[4]) <= 110 for s in ordinary)
    assert min(int(s[4]) for s in ordinary) < 60  # congestion happens
    u_turns = [s for s in speeds if s[1][:7] == s[2][:7] and int(s[5]) > 0]
    assert u_turns and {s[4] for s in u_turns} == {"0"}


def test_trips_follow_the_network(small_day: Day) -> None:
    out, _ = small_day
    trips = _all_rows(out, "M06A")
    assert len(trips) == SMALL.trips_per_day
    line_of = {g.gantry_id: (g.line, g.position) for g in GANTRIES}
    con = duckdb.connect()
    parsed = con.execute(
        f"SELECT {trip_information_sql('x')} FROM (SELECT unnest(?::VARCHAR[]) AS x)",
        [[t[7] for t in trips]],
    ).fetchall()
    for trip, (path,) in zip(trips, parsed, strict=True):
        assert trip[0] in {"31", "32", "41", "42", "5"} and trip[6] in {"Y", "N"}
        assert path[0]["gantry"] == trip[2] and path[-1]["gantry"] == trip[4]
        assert path[0]["time"].strftime("%Y-%m-%d %H:%M:%S") == trip[1]
        assert path[-1]["time"].strftime("%Y-%m-%d %H:%M:%S") == trip[3]
        stops = [line_of[p["gantry"]] for p in path]
        assert len({line for line, _ in stops}) == 1
        assert [pos for _, pos in stops] == list(range(stops[0][1], stops[0][1] + len(stops)))
        assert [p["time"] for p in path] == sorted(p["time"] for p in path)
        assert float(trip[5]) > 0


def test_trip_counts_agree_with_m07a_and_m08a(small_day: Day) -> None:
    out, _ = small_day
    trips = _all_rows(out, "M06A")
    by_hour_origin: Counter[tuple[str, str, str]] = Counter(
        (t[1][11:13], t[2], t[0]) for t in trips
    )
    lengths = _all_rows(out, "M07A")
    assert len(lengths) == 24 * len(GANTRIES) * 5
    for row in lengths:
        assert int(row[4]) == by_hour_origin[(row[0][11:13], row[1], row[2])]
        assert (row[3] == "0") == (row[4] == "0")
    od = _all_rows(out, "M08A")
    assert sum(int(r[4]) for r in od) == len(trips)
    groups: defaultdict[tuple[str, str, str], set[str]] = defaultdict(set)
    for r in od:
        groups[(r[0], r[1], r[2])].add(r[3])
    assert all(len(types) == 5 for types in groups.values())


def test_gantry_table_is_big5_with_multiline_header(small_day: Day) -> None:
    _, result = small_day
    assert result.gantry_table is not None
    assert result.gantry_table.name == "國道計費門架座標及里程牌價表113.03.25版.csv"
    raw = result.gantry_table.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    rows = list(csv.reader(raw.decode("cp950").splitlines(keepends=True)))
    assert tuple(rows[0]) == GANTRY_TABLE_HEADER
    assert len(rows) - 1 == len(GANTRIES)
    assert all(r[6] == "N" and r[8] == "E" for r in rows[1:])
    assert all(21.8 < float(r[7]) < 25.4 and 119.9 < float(r[9]) < 122.1 for r in rows[1:])
    con = duckdb.connect()
    codes = [r[1] for r in rows[1:]]
    ids = con.execute(
        f"SELECT {gantry_id_sql('x')} FROM (SELECT unnest(?::VARCHAR[]) AS x)", [codes]
    ).fetchall()
    assert [i for (i,) in ids] == [g.gantry_id for g in GANTRIES]


def test_files_read_with_manual_column_names(small_day: Day) -> None:
    out, _ = small_day
    names = column_names(DATASETS["M04A"].columns)
    path = out / "M04A/20240325/08/TDCS_M04A_20240325_081500.csv"
    con = duckdb.connect()
    columns = "{" + ", ".join(f"'{n}': 'VARCHAR'" for n in names) + "}"
    row = con.execute(
        f"SELECT count(*), count({tdcs_timestamp_sql('TimeInterval')}), min(TravelTime) "
        f"FROM read_csv({quote_literal(str(path))}, header=false, columns={columns})"
    ).fetchone()
    assert row is not None and row[0] == row[1] == len(PAIRS) * 5


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_same_seed_same_bytes_other_seed_other_data(tmp_path: Path) -> None:
    plan = FreewayPlan(scale=0.05, trips_per_day=2000, datasets=("M03A", "M06A"))
    generate_freeway(tmp_path / "a", plan)
    generate_freeway(tmp_path / "b", plan)
    generate_freeway(tmp_path / "c", replace(plan, seed=1))
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")


def test_archives_hold_the_same_files_under_the_dataset_root(tmp_path: Path) -> None:
    plan = FreewayPlan(scale=0.05, trips_per_day=500, datasets=("M03A", "M07A"), days=1)
    folders = generate_freeway(tmp_path / "folders", plan)
    archives = generate_freeway(tmp_path / "archives", replace(plan, archive=True))
    names = sorted(p.name for p in archives.files)
    assert names == ["M03A_20240325.tar.gz", "M07A_20240325.tar.gz"]
    assert folders.rows == archives.rows
    with tarfile.open(tmp_path / "archives" / "M03A_20240325.tar.gz") as tar:
        members = [m for m in tar.getmembers() if m.isfile()]
        assert all(m.name.startswith("M03A/20240325/") for m in members)
        assert len(members) == 288
        first = tar.extractfile(members[0])
        assert first is not None
        original = tmp_path / "folders" / members[0].name
        assert first.read() == original.read_bytes()
    again = generate_freeway(tmp_path / "again", replace(plan, archive=True))
    assert [p.read_bytes() for p in again.files] == [p.read_bytes() for p in archives.files]


def test_weekend_profile_differs(tmp_path: Path) -> None:
    generate_freeway(
        tmp_path, FreewayPlan(scale=0.05, datasets=("M03A",), days=2, start=date(2024, 3, 24))
    )
    pattern = quote_literal(str(tmp_path / "M03A" / "*" / "*" / "*.csv"))
    totals = dict(
        duckdb.connect()
        .execute(
            f"SELECT left(column0, 13), sum(column4::INTEGER) "
            f"FROM read_csv({pattern}, header=false, "
            "all_varchar=true) GROUP BY 1"
        )
        .fetchall()
    )
    monday_8 = totals["2024-03-25 08"] / totals["2024-03-25 03"]
    sunday_8 = totals["2024-03-24 08"] / totals["2024-03-24 03"]
    sunday_17 = totals["2024-03-24 17"] / totals["2024-03-24 03"]
    assert monday_8 > 8
    assert sunday_8 < monday_8 * 0.85
    assert sunday_17 > sunday_8


def test_full_network_size() -> None:
    gantries = build_network()
    assert len(gantries) == 339
    assert len({g.gantry_id for g in gantries}) == 339
    assert {g.gantry_id[:3] for g in gantries} >= {"01F", "01H", "03F", "03A", "05F"}
    assert all(re.fullmatch(r"\d\d[FHA]\d{4}[NSEW]", g.gantry_id) for g in gantries)


@pytest.mark.parametrize(
    ("plan", "message"),
    [
        (FreewayPlan(datasets=("M09A",)), "unknown TDCS dataset"),
        (FreewayPlan(days=0), "--days"),
        (FreewayPlan(scale=0), "--scale"),
    ],
)
def test_bad_plans_are_refused(tmp_path: Path, plan: FreewayPlan, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        generate_freeway(tmp_path, plan)
    assert not any(tmp_path.iterdir())
