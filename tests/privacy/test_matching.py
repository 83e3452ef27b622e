"""The shortcuts of the screen's scan (:mod:`kaifang.privacy.matching`, the normalization's
fast paths, :meth:`Detector.hit_token_sql`) give exactly what the plain way gives: every
detector's guard and pattern on every fully folded value, the first valid token extracted."""

from __future__ import annotations

import random

import duckdb
import pyarrow as pa
import pytest

from kaifang.privacy.classify import column_stats
from kaifang.privacy.detectors import DEFAULT_DETECTORS, Detector
from kaifang.privacy.matching import HINT_ROWS
from kaifang.privacy.normalize import fold_sql, normalized_sql
from kaifang.sqlutil import quote_ident
from tests.privacy.conftest import national_ids

TRICKY = [
    "a123456789",
    "A123456789",
    "Ａ１２３４５６７８９",
    " 0912-345-678",
    "0912-345-678 ",
    "\u3000王小明",
    "王小明\u3000",
    "王 小明",
    "\t0912345678\n",
    "路燈故障，聯絡 0912-345-678（王先生）",
    "路燈故障，聯絡０９１２３４５６７８",
    "ÉCOLE",
    "ΣΟΦΙΑ",
    "Ⓐⅻ",
    "\u00a0nbsp\u00a0",
    "",
    "   ",
    "臺北市中正區重慶南路一段122號",
    "wang@EXAMPLE.com.tw",
    "25.0330，121.5654",
]


def test_normalized_fast_paths_equal_the_full_fold() -> None:
    con = duckdb.connect()
    con.register("t", pa.table({"x": TRICKY}))
    rows = con.execute(
        f"SELECT x, {normalized_sql('x')}, lower(trim({fold_sql('x')})) FROM t"
    ).fetchall()
    for value, fast, full in rows:
        assert fast == full, value


def _text_rows(n: int, seed: int) -> dict[str, list[str | None]]:
    r = random.Random(seed)
    ids = national_ids(n)
    full = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})

    def phone() -> str:
        d = "".join(r.choice("0123456789") for _ in range(8))
        return r.choice([f"09{d[:2]}-{d[2:5]}-{d[5:]}", f"(02){d[:4]}-{d[4:]}#1", f"+886 9{d[:8]}"])

    prose: list[str | None] = []
    for i in range(n):
        # Identifiers only after the rows the hint reads: the hint misses them.
        late = i > HINT_ROWS
        parts = ["路燈故障，請派員處理"]
        if late and i % 7 == 0:
            parts.append(f"聯絡 {phone()}")
        if late and i % 11 == 0:
            parts.append(f"身分證{ids[i]}")  # glued to CJK: still a token
        if late and i % 13 == 0:
            parts.append(f"x{ids[i]}")  # glued to a letter: not a token
        if late and i % 17 == 0:
            parts.append(ids[i].translate(full))
        if late and i % 19 == 0:
            parts.append(f"mail wang{i}@example.com.tw，地址臺北市中正區重慶南路一段{i}號5樓")
        prose.append("，".join(parts) if i % 23 else None)
    return {
        "陳情內容": prose,
        "聯絡電話": [phone() if i % 5 else ids[i] for i in range(n)],
        "身分證字號": [ids[i] if i % 3 else ids[i].translate(full) for i in range(n)],
        "備註": [r.choice(["", " ", "無", "A123456789 ", "0912345678"]) for _ in range(n)],
    }


def _plain_counts(
    con: duckdb.DuckDBPyConnection, columns: list[str], detectors: tuple[Detector, ...]
) -> dict[tuple[str, str], tuple[int, int]]:
    """Every active detector's guard and pattern (then checksum) on every fully folded value."""
    out: dict[tuple[str, str], tuple[int, int]] = {}
    for name in columns:
        for det in detectors:
            ctx = det.has_keyword(name)
            if det.needs_context and not ctx:
                continue
            value = f"lower(trim({fold_sql(quote_ident(name))}))"
            guard = det.guard_sql("v", flags=None)
            row = con.execute(
                f"SELECT count(*) FILTER (WHERE CASE WHEN {guard} THEN "
                f"{det.hit_sql('v', context=ctx)} ELSE false END), count(*) FILTER (WHERE CASE "
                f"WHEN {guard} THEN {det.candidate_sql('v', context=ctx)} ELSE false END) "
                f"FROM (SELECT {value} AS v FROM t WHERE {quote_ident(name)} IS NOT NULL)"
            ).fetchone()
            assert row is not None
            out[name, det.name] = (int(row[0]), int(row[1]))
    return out


@pytest.mark.parametrize("seed", [1, 2])
def test_counts_equal_every_detector_on_every_value(seed: int) -> None:
    table = pa.table(_text_rows(1200, seed))
    con = duckdb.connect()
    con.register("t", table)
    stats = column_stats(con, "t", table.column_names, DEFAULT_DETECTORS)
    found = {(c.name, s.detector.name): (s.hits, s.candidates) for c in stats for s in c.detectors}
    assert found == _plain_counts(con, table.column_names, DEFAULT_DETECTORS)
    assert found["陳情內容", "phone"][0] > 0  # identifiers the hint did not see are counted
    assert found["陳情內容", "tw_national_id"][0] > 0


def test_a_union_re2_rejects_falls_back_to_each_detector() -> None:
    """Two third-party patterns naming the same group are each valid, their union is not."""
    shared = [
        Detector(
            name=name,
            category="direct_identifier",
            label=name,
            pattern=pattern,
            action="drop",
            reason=name,
            strong=True,
        )
        for name, pattern in [("staff", "(?P<n>s[0-9]{5})"), ("badge", "(?P<n>b[0-9]{4})")]
    ]
    detectors = (*DEFAULT_DETECTORS, *shared)
    table = pa.table({"備註": [f"員工 s{i:05d} 證 b{i:04d}" for i in range(300)] + ["無"] * 100})
    con = duckdb.connect()
    con.register("t", table)
    stats = column_stats(con, "t", table.column_names, detectors)
    found = {(c.name, s.detector.name): (s.hits, s.candidates) for c in stats for s in c.detectors}
    assert found == _plain_counts(con, table.column_names, detectors)
    assert found["備註", "staff"] == (300, 300)


@pytest.mark.parametrize(
    "det", [d for d in DEFAULT_DETECTORS if not d.whole_cell], ids=lambda d: d.name
)
def test_hit_token_is_the_first_valid_token(det: Detector) -> None:
    ids = national_ids(4)
    values = [
        *ids,
        f"身分證{ids[0]}，{ids[1]}",
        f"x{ids[2]} {ids[3]}",
        "0912-345-678",
        "(0912345678)",
        "0912-345-678-",
        "(02)2345-6789#12",
        "電話 02-2345-6789、0912345678",
        "wang@example.com.tw",
        "a@b.cc.dd",
        "a@b.cc.dd-",
        "臺北市中正區重慶南路一段122號",
        "臺北市中正區重慶南路一段122號5樓",
        "臺北市中正區重慶南路一段122號之1號",
        "192.168.0.1",
        "140.112.8.116.",
        "4111-1111-1111-1111",
        "25.03301,121.56541",
        "abc-1234",
        "糖尿病",
        "2024-03-25 08:00:01+03f0017n",
    ]
    con = duckdb.connect()
    con.register("t", pa.table({"v": [v.lower() for v in values]}))
    for context in (False, True):
        rows = con.execute(
            f"SELECT v, {det.hit_token_sql('v', context=context)}, "
            f"{det.first_token_sql('v', context=context)} FROM t "
            f"WHERE {det.hit_sql('v', context=context)}"
        ).fetchall()
        for value, fast, plain in rows:
            assert fast == plain, (det.name, value)
