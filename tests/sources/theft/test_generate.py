from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import duckdb
import pytest

from kaifang.sources.sqltext import roc_compact_date_sql
from kaifang.sources.theft.columns import CATEGORIES, COLUMNS, file_name
from kaifang.sources.theft.generate import GeneratedTheft, TheftPlan, generate_theft
from kaifang.sources.theft.parse import (
    address_county_sql,
    address_district_sql,
    hour_band_end_sql,
    hour_band_start_sql,
)

PLAN = TheftPlan(year=2023, seed=1)
TAIPEI_DISTRICTS = {
    "中正區", "大同區", "中山區", "松山區", "大安區", "萬華區",
    "信義區", "士林區", "北投區", "內湖區", "南港區", "文山區",
}  # fmt: skip
Generated = tuple[Path, GeneratedTheft]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    out = tmp_path_factory.mktemp("theft")
    return out, generate_theft(out, PLAN)


def _read(path: Path, encoding: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode(encoding), newline="")))


@pytest.mark.parametrize("category", list(CATEGORIES))
def test_both_encodings_parse_to_the_same_table(generated: Generated, category: str) -> None:
    out, result = generated
    big5 = out / file_name(category, utf8_bom=False)
    bom = out / file_name(category, utf8_bom=True)
    assert bom.read_bytes().startswith(b"\xef\xbb\xbf")
    assert b"\r" not in big5.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        big5.read_bytes().decode("utf-8")
    big5_rows, bom_rows = _read(big5, "cp950"), _read(bom, "utf-8-sig")
    assert big5_rows[0] == bom_rows[0] == [c.name for c in COLUMNS]
    assert len(big5_rows) == len(bom_rows) == result.rows[category] + 1
    differing = [(a, b) for a, b in zip(big5_rows, bom_rows, strict=True) if a != b]
    for a, b in differing:  # only characters Big5 lacks become "?"
        assert a[:4] == b[:4] and "?" in a[4] and "?" not in b[4]
    assert [int(r[0]) for r in bom_rows[1:]] == list(range(1, len(bom_rows)))
    assert {r[1] for r in bom_rows[1:]} == {CATEGORIES[category]}


def _parsed(path: Path) -> list[tuple[object, ...]]:
    rows = _read(path, "utf-8-sig")[1:]
    con = duckdb.connect()
    con.execute("CREATE TABLE t (d VARCHAR, band VARCHAR, place VARCHAR)")
    con.executemany("INSERT INTO t VALUES (?, ?, ?)", [(r[2], r[3], r[4]) for r in rows])
    return con.execute(
        f"SELECT {roc_compact_date_sql('d')}, {hour_band_start_sql('band')}, "
        f"{hour_band_end_sql('band')}, {address_county_sql('place')}, "
        f"{address_district_sql('place')}, band, place FROM t"
    ).fetchall()


@pytest.mark.parametrize("category", list(CATEGORIES))
def test_values_parse(generated: Generated, category: str) -> None:
    out, _ = generated
    parsed = _parsed(out / file_name(category, utf8_bom=True))
    assert all(p[0] is not None and p[0].year == PLAN.year for p in parsed)
    assert all(p[1] is not None and p[2] is not None for p in parsed)
    assert {p[3] for p in parsed} == {"臺北市"}
    assert {p[4] for p in parsed} <= TAIPEI_DISTRICTS
    assert all(re.search(r"(\d+~\d+號|口|\))", str(p[6])) for p in parsed if '"' not in str(p[6]))
    dates = [p[0] for p in parsed]
    assert dates == sorted(dates)


def test_quirks_are_present(generated: Generated) -> None:
    out, _ = generated
    bands: set[str] = set()
    places: list[str] = []
    for category in CATEGORIES:
        rows = _read(out / file_name(category, utf8_bom=True), "utf-8-sig")[1:]
        bands |= {r[3] for r in rows}
        places += [r[4] for r in rows]
    assert {"00~02", "21~24"} <= bands
    assert any(b.startswith(" ") for b in bands)
    assert bands & {"23~01", "11~13", "12~15", "11~03"}
    assert any(p.startswith("台北市") for p in places)
    assert any("鄰" in p for p in places) and any("與" in p for p in places)
    car = [r[4] for r in _read(out / file_name("car", utf8_bom=True), "utf-8-sig")[1:]]
    assert sum(p.startswith("台北市") for p in car) > sum(p.startswith("臺北市") for p in car)


def test_hot_spots_follow_hours(generated: Generated) -> None:
    out, _ = generated
    cars = _parsed(out / file_name("car", utf8_bom=True))
    night = sum(1 for p in cars if p[1] is not None and (p[1] >= 21 or p[1] < 5))
    midday = sum(1 for p in cars if p[1] is not None and 10 <= p[1] < 15)
    assert night > 2 * midday


def test_deterministic(tmp_path: Path) -> None:
    a = generate_theft(tmp_path / "a", TheftPlan(scale=0.1))
    b = generate_theft(tmp_path / "b", TheftPlan(scale=0.1))
    c = generate_theft(tmp_path / "c", TheftPlan(scale=0.1, seed=9))
    assert [p.read_bytes() for p in a.files] == [p.read_bytes() for p in b.files]
    assert [p.read_bytes() for p in a.files] != [p.read_bytes() for p in c.files]
