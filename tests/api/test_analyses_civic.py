"""The civic analyses endpoints, each checked against plain Python over the generated files."""

from __future__ import annotations

import csv
import re
import time
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from kaifang.api.routes import analyses_civic
from kaifang.app import create_app
from kaifang.settings import Settings
from kaifang.sources.elections.generate import ElectionsPlan, generate_elections
from kaifang.sources.elections.importer import import_elections
from kaifang.sources.theft.columns import CATEGORIES
from kaifang.sources.theft.generate import TheftPlan, generate_theft
from kaifang.sources.theft.importer import import_theft
from tests.catalogs import Catalogs

ELECTION = "voteData/2022-111年地方公職人員選舉/C1/prv"
KEYS = {label: key for key, label in CATEGORIES.items()}


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("civic")
    generate_elections(out / "cec", ElectionsPlan(seed=4, scale=0.05))
    generate_theft(out / "theft", TheftPlan(year=2023, seed=4, scale=0.15))
    return out


@pytest.fixture(scope="module")
def loaded(
    files: Path, tmp_path_factory: pytest.TempPathFactory, catalogs: Catalogs
) -> tuple[Settings, str]:
    settings = catalogs.settings(tmp_path_factory.mktemp("data"))
    result = import_elections(settings, files / "cec" / ELECTION)
    import_theft(settings, files / "theft")
    return settings, result.datasets[0].dataset


@pytest.fixture(scope="module")
def client(loaded: tuple[Settings, str]) -> Iterator[TestClient]:
    with TestClient(create_app(loaded[0])) as test_client:
        yield test_client


def _get(client: TestClient, url: str) -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _cec(files: Path, stem: str) -> list[list[str]]:
    text = (files / "cec" / ELECTION / f"{stem}.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    return [[cell.strip().strip('"').lstrip("'") for cell in line.split(",")] for line in lines]


def _zero(code: str) -> bool:
    return code.strip("0") == ""


def test_county_results_match_the_files(
    client: TestClient, loaded: tuple[Settings, str], files: Path
) -> None:
    names = {tuple(r[:5]): r[5] for r in _cec(files, "elbase")}
    parties = dict(_cec(files, "elpaty"))
    candidates = {(r[0], r[1], int(r[5])): (r[6], r[7]) for r in _cec(files, "elcand")}
    profile = {tuple(r[:6]): r for r in _cec(files, "elprof")}
    expected = []
    for row in _cec(files, "elctks"):
        codes = row[:5]
        is_county = not (_zero(codes[0]) and _zero(codes[1])) and all(map(_zero, row[3:6]))
        if not is_county:
            continue
        prof = profile[tuple(row[:6])]
        valid, cast, electors = int(prof[6]), int(prof[8]), int(prof[9])
        name, party = candidates[(codes[0], codes[1], int(row[6]))]
        expected.append(
            (names[tuple(codes)], name, parties[party], int(row[7]),
             round(100 * int(row[7]) / valid, 2), round(100 * cast / electors, 2))
        )  # fmt: skip
    dataset = loaded[1]
    body = _get(client, f"/api/analyses/elections/{dataset}/results?level=county&limit=10000")
    got = [
        (r["名稱"], r["名字"], r["政黨名稱"], r["得票數"], r["vote_share"], r["turnout"])
        for r in body["rows"]
    ]
    assert sorted(got) == sorted(expected)
    assert len(got) > 0


def test_winners_match_the_files(
    client: TestClient, loaded: tuple[Settings, str], files: Path
) -> None:
    parties = dict(_cec(files, "elpaty"))
    expected = sorted(
        (r[6], parties[r[7]]) for r in _cec(files, "elcand") if r[14] in "*!" and r[14]
    )
    body = _get(client, f"/api/analyses/elections/{loaded[1]}/winners")
    assert sorted((w["名字"], w["政黨名稱"]) for w in body["winners"]) == expected


def _theft(files: Path) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for file in sorted((files / "theft").glob("*-UTF8-BOM.csv")):
        with file.open(encoding="utf-8-sig", newline="") as handle:
            rows.extend(csv.DictReader(handle))
    return rows


def _day(roc: str) -> date:
    return date(int(roc[:-4]) + 1911, int(roc[-4:-2]), int(roc[-2:]))


def test_hotspots_match_a_plain_count(client: TestClient, files: Path) -> None:
    counts: Counter[tuple[Any, ...]] = Counter()
    for row in _theft(files):
        if KEYS[row["案類"]] != "motorcycle":
            continue
        district = re.match(r"^[台臺]北市(\S{1,3}?區)", row["發生地點"].strip())
        start, end = (int(part) for part in row["發生時段"].strip().split("~"))
        weekday = _day(row["發生日期"]).isoweekday()
        counts[(district.group(1) if district else None, start, end, weekday)] += 1
    body = _get(client, "/api/analyses/theft/hotspots?category=motorcycle&limit=10000")
    got = {(r["district"], r["start_hour"], r["end_hour"], r["weekday"]): r["cases"]
           for r in body["rows"]}  # fmt: skip
    assert got == dict(counts)
    assert [r["cases"] for r in body["rows"]] == sorted(counts.values(), reverse=True)


def test_trend_matches_a_plain_count(client: TestClient, files: Path) -> None:
    counts = Counter(
        (_day(r["發生日期"]).strftime("%Y-%m"), KEYS[r["案類"]]) for r in _theft(files)
    )
    body = _get(client, "/api/analyses/theft/trend")
    assert {(r["month"], r["category"]): r["cases"] for r in body["rows"]} == dict(counts)
    assert len({r["month"] for r in body["rows"]}) == 12


def test_top_roads_match_a_plain_count(client: TestClient, files: Path) -> None:
    place = re.compile(
        r"^[台臺]北市(\S{1,3}?區)(?:[^0-9路街道巷段號]{1,4}?里)?(?:[0-9]+鄰)?"
        r"([^0-9()與]+?(?:路|街|大道))([0-9一二三四五六七八九十]+段)?"
    )
    counts: Counter[tuple[str, str]] = Counter()
    for row in _theft(files):
        found = place.match(row["發生地點"].strip().replace("台", "臺"))
        if found:
            counts[(found.group(1), found.group(2) + (found.group(3) or ""))] += 1
    body = _get(client, "/api/analyses/theft/roads?limit=5")
    top = [((r["district"], r["road"]), r["cases"]) for r in body["rows"]]
    assert len(top) == 5
    assert all(counts[key] == cases for key, cases in top)
    assert top[0][1] == max(counts.values())


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/analyses/theft/hotspots?category=boat", 400),
        ("/api/analyses/theft/roads?limit=0", 400),
        ("/api/analyses/elections/{dataset}/results?level=planet", 400),
        ("/api/analyses/elections/no_such_dataset/winners", 404),
    ],
)
def test_bad_requests_say_what_to_send(
    client: TestClient, loaded: tuple[Settings, str], url: str, status: int
) -> None:
    response = client.get(url.format(dataset=loaded[1]))
    assert response.status_code == status
    assert response.json()["error"]["message"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/analyses/elections/{dataset}/results?level=village",
        "/api/analyses/elections/{dataset}/winners",
        "/api/analyses/theft/hotspots",
        "/api/analyses/theft/trend",
        "/api/analyses/theft/roads",
    ],
)
def test_each_analysis_answers_within_a_second(
    client: TestClient, loaded: tuple[Settings, str], url: str
) -> None:
    _get(client, url.format(dataset=loaded[1]))  # warm the engine's caches
    started = time.perf_counter()
    _get(client, url.format(dataset=loaded[1]))
    assert time.perf_counter() - started < 1.0


def test_every_civic_analysis_is_documented() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text(encoding="utf-8")
    paths = [r.path for r in analyses_civic.router.routes if isinstance(r, APIRoute)]
    assert len(paths) == 5
    assert [p for p in paths if f"`GET {p}`" not in doc] == []
