from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import duckdb
import pytest

from kaifang.sources.schools.columns import LEVELS
from kaifang.sources.schools.generate import GeneratedSchools, SchoolsPlan, generate_schools
from kaifang.sources.schools.parse import bracket_code_sql, bracket_name_sql, postal_code_sql

PLAN = SchoolsPlan(scale=0.2, seed=2)
Generated = tuple[Path, GeneratedSchools]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    out = tmp_path_factory.mktemp("schools")
    return out, generate_schools(out, PLAN)


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize(
    ("level", "width", "bom", "head"),
    [
        ("e1", 8, True, '"學年度","代碼","學校名稱","公/私立","縣市名稱","地址","電話","網址"'),
        ("j1", 7, True, '"代碼","學校名稱","公/私立","縣市名稱","地址","電話","網址"'),
        ("high", 9, True, "學年度,代碼,學校名稱,公/私立,縣市名稱,地址,電話,網址,備註"),
        ("u1", 7, False, "114學年度大專校院名錄,,,,,,\n,,,,,,\n代碼,學校名稱,縣市名稱,地址,電話"),
        ("k1", 9, True, '"學年度","代碼","學校名稱","公/私立","縣市名稱","鄉鎮市區名稱","地址"'),
        ("sp1", 8, True, '"學年度","代碼","學校名稱","公/私立","縣市名稱","地址","電話","網址"'),
    ],
)
def test_level_layout(generated: Generated, level: str, width: int, bom: bool, head: str) -> None:
    out, result = generated
    path = out / LEVELS[level].file
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") == bom
    assert b"\r" not in data
    assert data.decode("utf-8-sig").startswith(head)
    rows = _rows(path)
    assert {len(r) for r in rows} == {width}
    body = rows[3:] if level == "u1" else rows[1:]
    assert len(body) == result.rows[level]
    codes = [r[rows[2 if level == "u1" else 0].index("代碼")] for r in body]
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"\d{4}" if level == "u1" else r"\d{6}", c) for c in codes)
    assert any(c.startswith("0") for c in codes)


def test_values_follow_the_conventions(generated: Generated) -> None:
    out, _ = generated
    all_rows: list[dict[str, str]] = []
    for level in LEVELS.values():
        rows = _rows(out / level.file)
        header = rows[2] if level.title_rows else rows[0]
        body_rows = rows[3:] if level.title_rows else rows[1:]
        all_rows += [dict(zip(header, r, strict=True)) for r in body_rows]
    body = all_rows
    assert all(re.fullmatch(r"\[\d{2}\]\S+[市縣]", r["縣市名稱"]) for r in body)
    assert all(re.fullmatch(r"\(0\d{1,3}\) ?\d{5,8}(#\d+)? ?\u3000?", r["電話"]) for r in body)
    assert any(r["地址"].endswith(" ") for r in body)
    assert any(r["電話"].endswith("\u3000") or r["地址"].endswith("\u3000") for r in body)
    u1 = _rows(out / "u1_new.csv")[3:]
    assert {r[6] for r in u1} <= {"[1]一般", "[2]技職", "[3]師範"}
    assert {r[2] for r in u1 if "臺北市" in r[2]} <= {"[33]臺北市", "[38]臺北市", "[42]臺北市"}


def test_padded_values_are_quoted_in_the_file(generated: Generated) -> None:
    out, _ = generated
    text = (out / "e1_new.csv").read_text(encoding="utf-8-sig")
    padded = re.findall(r'"[^"]*[ \u3000]"', text)
    assert padded
    assert not re.search(r",[^,\"\n]*[ \u3000](,|\n)", text)


def test_parse_helpers_on_a_generated_file(generated: Generated) -> None:
    out, _ = generated
    rows = _rows(out / "k1_new.csv")[1:]
    con = duckdb.connect()
    con.execute("CREATE TABLE t (county VARCHAR, address VARCHAR)")
    con.executemany("INSERT INTO t VALUES (?, ?)", [(r[4], r[6]) for r in rows])
    parsed = con.execute(
        f"SELECT {bracket_code_sql('county')}, {bracket_name_sql('county')}, "
        f"{postal_code_sql('address')}, {bracket_name_sql('address')} FROM t"
    ).fetchall()
    assert all(re.fullmatch(r"\d{2}", p[0]) for p in parsed)
    assert all(p[3].startswith(p[1]) for p in parsed)
    assert all(re.fullmatch(r"\d{3}", p[2]) for p in parsed)
    assert all(p[3] == p[3].strip(" \u3000") for p in parsed)


def test_full_size_and_determinism(tmp_path: Path) -> None:
    a = generate_schools(tmp_path / "a", SchoolsPlan())
    assert a.rows == {"e1": 2608, "j1": 740, "high": 510, "u1": 160, "k1": 6500, "sp1": 28}
    b = generate_schools(tmp_path / "b", SchoolsPlan(scale=0.05))
    c = generate_schools(tmp_path / "c", SchoolsPlan(scale=0.05))
    assert [p.read_bytes() for p in b.files] == [p.read_bytes() for p in c.files]
