"""/api/analyses/freeway/*: each answer checked against Python over the generated CSV rows."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kaifang.app import create_app
from kaifang.sources.freeway.generate import FreewayPlan, generate_freeway
from kaifang.sources.freeway.importer import import_freeway
from tests.catalogs import Catalogs

DAY1, DAY2 = "20240325", "20240326"


@pytest.fixture(scope="module")
def tdcs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tdcs")
    plan = FreewayPlan(
        start=date(2024, 3, 25),
        days=2,
        scale=0.02,
        trips_per_day=4000,
        seed=11,
        datasets=("M03A", "M04A", "M05A", "M07A", "M08A"),
    )
    generate_freeway(out, plan)
    return out


@pytest.fixture(scope="module")
def client(
    tdcs: Path, tmp_path_factory: pytest.TempPathFactory, catalogs: Catalogs
) -> Iterator[TestClient]:
    settings = catalogs.settings(tmp_path_factory.mktemp("data"), rate_limit=0)
    import_freeway(settings, tdcs)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def _rows(tdcs: Path, code: str, day: str) -> list[list[str]]:
    rows: list[list[str]] = []
    for file in sorted((tdcs / code / day).rglob("*.csv")):
        with file.open(encoding="utf-8", newline="") as handle:
            rows.extend(csv.reader(handle))
    return rows


def _time(text: str) -> datetime:
    return datetime.strptime(text.replace("/", "-"), "%Y-%m-%d %H:%M")


def _get(client: TestClient, path: str, **params: Any) -> dict[str, Any]:
    response = client.get(f"/api/analyses/freeway/{path}", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_volume_by_gantry_hour_and_type(client: TestClient, tdcs: Path) -> None:
    start, end = datetime(2024, 3, 25, 7), datetime(2024, 3, 25, 9)
    gantry = _rows(tdcs, "M03A", DAY1)[0][1]
    expected: dict[tuple[str, str], int] = defaultdict(int)
    for time, gid, _direction, kind, volume in _rows(tdcs, "M03A", DAY1):
        if gid == gantry and start <= _time(time) < end:
            expected[(_time(time).replace(minute=0).isoformat(), kind)] += int(volume)
    body = _get(
        client, "volume", gantry=gantry, **{"from": start.isoformat(), "to": end.isoformat()}
    )
    got = {(r["hour"], r["VehicleType"]): r["volume"] for r in body["rows"]}
    assert got == dict(expected)
    assert len(got) == 2 * 5
    assert body["files_read"] == 1  # one day's partition, not the two days stored


def _weighted(values: list[tuple[int, int]]) -> float | None:
    total = sum(volume for _, volume in values)
    return round(sum(v * volume for v, volume in values) / total, 2) if total else None


def test_travel_time_speed_and_congestion(client: TestClient, tdcs: Path) -> None:
    start, end = datetime(2024, 3, 25, 7), datetime(2024, 3, 25, 10)
    speeds = _rows(tdcs, "M05A", DAY1)
    pair = next((r[1], r[2]) for r in speeds if int(r[5]) > 0 and r[1] != r[2])
    times = {(r[0], r[3]): int(r[4]) for r in _rows(tdcs, "M04A", DAY1) if (r[1], r[2]) == pair}
    slots: dict[datetime, list[tuple[int, int, int]]] = defaultdict(list)
    for time, src, dst, kind, speed, volume in speeds:
        if (src, dst) == pair and start <= _time(time) < end:
            slots[_time(time)].append((int(speed), times[(time, kind)], int(volume)))
    body = _get(
        client,
        "travel",
        gantry_from=pair[0],
        gantry_to=pair[1],
        congestion_kmh=70,
        **{"from": start.isoformat(), "to": end.isoformat()},
    )
    assert len(body["rows"]) == len(slots) == 36
    for row in body["rows"]:
        entries = slots[datetime.fromisoformat(row["time"])]
        speed = _weighted([(s, v) for s, _, v in entries])
        assert row["speed_kmh"] == speed
        assert row["travel_time_s"] == _weighted([(t, v) for _, t, v in entries])
        assert row["volume"] == sum(v for _, _, v in entries)
        assert row["congested"] == (speed is not None and speed < 70)
    assert body["congested_intervals"] == sum(r["congested"] for r in body["rows"])


def test_busiest_sections_of_a_day(client: TestClient, tdcs: Path) -> None:
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for _time_text, src, dst, _kind, _speed, volume in _rows(tdcs, "M05A", DAY2):
        totals[(src, dst)] += int(volume)
    expected = sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:5]
    body = _get(client, "busiest", day="2024-03-26", limit=5)
    assert [((r["GantryFrom"], r["GantryTo"]), r["volume"]) for r in body["rows"]] == expected
    assert body["files_read"] == 1


def test_origin_destination_matrix(client: TestClient, tdcs: Path) -> None:
    start, end = datetime(2024, 3, 26, 8), datetime(2024, 3, 26, 9)
    expected: dict[tuple[str, str], int] = defaultdict(int)
    for time, src, dst, _kind, volume in _rows(tdcs, "M08A", DAY2):
        if start <= _time(time) < end:
            expected[(src, dst)] += int(volume)
    body = _get(client, "od", **{"from": start.isoformat(), "to": end.isoformat()})
    got = {(r["origin"], r["destination"]): r["trips"] for r in body["rows"]}
    assert got == {k: v for k, v in expected.items() if v > 0}


def test_average_trip_length(client: TestClient, tdcs: Path) -> None:
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for _time_text, _src, kind, length, volume in _rows(tdcs, "M07A", DAY1):
        for key in (kind, "all"):
            sums[key][0] += float(length) * int(volume)
            sums[key][1] += int(volume)
    body = _get(client, "trip-length", **{"from": "2024-03-25T00:00", "to": "2024-03-26T00:00"})
    got = {r["vehicle_type"]: (r["trips"], r["avg_trip_km"]) for r in body["rows"]}
    assert got == {
        k: (int(n), round(total / n, 3) if n else None) for k, (total, n) in sums.items()
    }


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("volume", {"from": "2024-03-25T09:00", "to": "2024-03-25T08:00"}, 400),
        ("volume", {"from": "2024-03-01T00:00", "to": "2024-04-15T00:00"}, 400),
        ("od", {"from": "2024-03-25T00:00", "to": "2024-03-26T00:00", "vehicle_type": "9"}, 400),
        ("busiest", {"day": "not-a-day"}, 422),
    ],
)
def test_bad_parameters_get_the_error_envelope(
    client: TestClient, path: str, params: dict[str, str], status: int
) -> None:
    response = client.get(f"/api/analyses/freeway/{path}", params=params)
    assert response.status_code == status
    assert "message" in response.json()["error"]


def test_a_day_with_no_data_is_empty(client: TestClient) -> None:
    body = _get(client, "volume", **{"from": "2024-05-01T00:00", "to": "2024-05-02T00:00"})
    assert (body["rows"], body["files_read"]) == ([], 0)
