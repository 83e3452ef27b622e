from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest

from kaifang.sources.elections.columns import FILES
from kaifang.sources.elections.generate import (
    ElectionsPlan,
    GeneratedElections,
    generate_elections,
)
from kaifang.sources.elections.parse import cec_code_sql, cec_level_sql
from kaifang.sources.sqltext import roc_compact_date_sql
from kaifang.sqlutil import quote_literal

PLAN = ElectionsPlan(scale=0.15, seed=3, zip_archive=True)
FOLDERS = {
    "2008立委/區域立委": ("2008", True),
    "2008立委/不分區政黨": ("2008", False),
    "2020總統立委/總統": ("2020", False),
    "2022-111年地方公職人員選舉/C1/prv": ("2022", False),
    "2024總統立委/區域立委": ("2020", True),
}
Generated = tuple[Path, GeneratedElections]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    out = tmp_path_factory.mktemp("elections")
    return out, generate_elections(out, PLAN)


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _stem(path: Path) -> str:
    return "elbase" if path.stem == "elbese" else path.stem


def test_folders_and_files(generated: Generated) -> None:
    out, result = generated
    assert [f.relative_to(out / "voteData").as_posix() for f in result.folders] == list(FOLDERS)
    base = out / "voteData"
    for folder in FOLDERS:
        names = {p.name for p in (base / folder).iterdir()}
        expected = {"elcand.csv", "elctks.csv", "elpaty.csv", "elprof.csv"}
        expected.add("elbese.csv" if folder.startswith("2024") else "elbase.csv")
        if folder.endswith("不分區政黨"):
            expected |= {"elrepm.csv", "elretks.csv"}
        assert names == expected


def test_every_file_has_the_format_documents_columns(generated: Generated) -> None:
    _, result = generated
    for path in result.files:
        widths = {len(row) for row in _rows(path)}
        assert widths == {len(FILES[_stem(path)])}, path


@pytest.mark.parametrize("folder", list(FOLDERS))
def test_era_spelling(generated: Generated, folder: str) -> None:
    out, _ = generated
    era, _ = FOLDERS[folder]
    for path in sorted((out / "voteData" / folder).iterdir()):
        data = path.read_bytes()
        text = data.decode("utf-8")
        first = text.splitlines()[0]
        crlf = b"\r\n" in data
        if era == "2008":
            assert all(cell.startswith('"') for cell in first.split(","))
            if _stem(path) in {"elbase", "elctks", "elprof"}:
                assert first.startswith("\"'") and crlf
            if path.stem == "elpaty":
                assert not crlf and "'" not in text
        elif era == "2020":
            assert first.startswith('"') and "'" not in text and not crlf
        else:
            assert '"' not in text and not crlf
        if path.stem == "elcand" and not folder.endswith("不分區政黨"):
            assert _rows(path)[0][-1] == " "


def _votes(path: Path, legislative: bool) -> list[tuple[str, tuple[str, ...], str, int]]:
    con = duckdb.connect()
    names = [c.name for c in FILES["elctks"]]
    columns = "{" + ", ".join(f"'{n}': 'VARCHAR'" for n in names) + "}"
    codes = [cec_code_sql(n) for n in names[:6]]
    level = cec_level_sql(*names[:6], constituency_level=legislative)
    rows = con.execute(
        f"SELECT {level}, {', '.join(codes)}, 候選人號次, 得票數::INTEGER "
        f"FROM read_csv({quote_literal(str(path))}, header=false, columns={columns}, quote='\"')"
    ).fetchall()
    return [(r[0], tuple(r[1:7]), r[7], r[8]) for r in rows]


@pytest.mark.parametrize("folder", list(FOLDERS))
def test_aggregates_add_up_at_every_level(generated: Generated, folder: str) -> None:
    out, _ = generated
    legislative = FOLDERS[folder][1]
    rows = _votes(out / "voteData" / folder / "elctks.csv", legislative)
    levels = {r[0] for r in rows}
    assert {"station", "village", "district"} <= levels
    totals: defaultdict[tuple[str, str], int] = defaultdict(int)
    for level, _, choice, votes in rows:
        totals[(level, choice)] += votes
    for (level, choice), total in totals.items():
        assert total == totals[("station", choice)], (level, choice)
    by_district: defaultdict[tuple[str, ...], int] = defaultdict(int)
    for level, codes, choice, votes in rows:
        if level == "station":
            by_district[(*codes[:4], choice)] += votes
    district_rows = {(*c[:4], ch): v for lv, c, ch, v in rows if lv == "district"}
    assert district_rows == dict(by_district)


def test_president_has_national_and_county_rows(generated: Generated) -> None:
    out, _ = generated
    rows = _votes(out / "voteData" / "2020總統立委/總統/elctks.csv", False)
    assert [r[0] for r in rows[:3]] == ["national"] * 3
    assert rows[0][1] == ("00", "000", "01", "000", "0000", "0000")
    assert "county" in {r[0] for r in rows}


def test_profile_counts_are_consistent(generated: Generated) -> None:
    out, _ = generated
    for folder in FOLDERS:
        for row in _rows(out / "voteData" / folder / "elprof.csv"):
            valid, invalid, ballots, electors = (int(v) for v in row[6:10])
            assert valid + invalid == ballots <= electors


def test_birth_dates_are_valid_roc_dates(generated: Generated) -> None:
    out, _ = generated
    births = [
        row[9].lstrip("'") for row in _rows(out / "voteData" / "2020總統立委/總統/elcand.csv")
    ]
    con = duckdb.connect()
    dates = con.execute(
        f"SELECT {roc_compact_date_sql('x')} FROM (SELECT unnest(?::VARCHAR[]) x)", [births]
    ).fetchall()
    assert all(d is not None and 1940 < d.year < 1995 for (d,) in dates)


def test_party_list_seats(generated: Generated) -> None:
    out, _ = generated
    folder = out / "voteData" / "2008立委/不分區政黨"
    seats = _rows(folder / "elretks.csv")
    assert sum(int(r[4]) for r in seats) == 34
    assert sum(float(r[2]) for r in seats) == pytest.approx(100, abs=0.01)
    elected = [r for r in _rows(folder / "elrepm.csv") if r[-1] == "*"]
    assert len(elected) == 34
    assert all(re.fullmatch(r"'\d{7}", r[4]) for r in _rows(folder / "elrepm.csv"))


def test_votedata_zip_has_big5_names_without_utf8_flag(generated: Generated) -> None:
    out, result = generated
    assert result.zip_path == out / "votedata.zip"
    with zipfile.ZipFile(result.zip_path) as archive:
        infos = archive.infolist()
        assert all(info.flag_bits & 0x800 == 0 for info in infos)
        names = [info.filename.encode("cp437").decode("big5") for info in infos]
        expected = [p.relative_to(out).as_posix() for p in result.files]
        assert names == expected
        for info, path in zip(infos, result.files, strict=True):
            assert archive.read(info) == path.read_bytes()
    assert "voteData/2024總統立委/區域立委/elbese.csv" in names


def _digest(folder: Path) -> str:
    sha = hashlib.sha256()
    for path in sorted(folder.rglob("*.csv")):
        sha.update(path.read_bytes())
    return sha.hexdigest()


def test_deterministic_for_a_seed(tmp_path: Path) -> None:
    plan = ElectionsPlan(scale=0.05, seed=5)
    generate_elections(tmp_path / "a", plan)
    generate_elections(tmp_path / "b", plan)
    generate_elections(tmp_path / "c", ElectionsPlan(scale=0.05, seed=6))
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b") != _digest(tmp_path / "c")


def test_files_read_with_csv_module_as_utf8(generated: Generated) -> None:
    _, result = generated
    for path in result.files:
        text = path.read_bytes().decode("utf-8")
        assert not text.startswith("\ufeff")
        assert list(csv.reader(io.StringIO(text)))
