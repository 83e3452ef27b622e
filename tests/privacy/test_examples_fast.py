"""The screen takes its examples from the per-value hits :func:`column_stats` kept, without
running the detectors again: on generated tables they equal the reference (every detector's
``hit_sql`` and ``example_sql`` evaluated over the sampled rows, as the screen once did)."""

from __future__ import annotations

import random

import duckdb
import pyarrow as pa
import pytest

from kaifang.privacy import screen
from kaifang.privacy.classify import column_stats
from kaifang.privacy.decide import decide, primary_detector
from kaifang.privacy.detectors import DEFAULT_DETECTORS
from kaifang.privacy.normalize import normalized_sql
from kaifang.settings import Settings
from kaifang.sqlutil import quote_ident
from tests.privacy.conftest import national_ids

SURNAMES = "陳林黃張李王吳劉蔡楊"
GIVEN = "怡君志明淑芬家豪雅婷俊傑美玲建宏"
ROADS = ["中山路", "民生東路", "重慶南路一段", "文化路二段"]


def petitions(rows: int, seed: int) -> pa.Table:
    r = random.Random(seed)
    ids = national_ids(rows)

    def phone() -> str:
        d = "".join(r.choice("0123456789") for _ in range(8))
        return r.choice([f"09{d[:2]}-{d[2:5]}-{d[5:]}", f"09{d}", f"+886 9{d[:2]} {d[2:5]}"])

    return pa.table(
        {
            "案號": [f"1130{i:07d}" for i in range(rows)],
            "陳情人": [r.choice(SURNAMES) + "".join(r.sample(GIVEN, 2)) for _ in range(rows)],
            "身分證字號": ids,
            "聯絡電話": [phone() for _ in range(rows)],
            "電子郵件": [f"u{i}@example.com.tw" for i in range(rows)],
            "地址": [f"臺北市中正區{r.choice(ROADS)}{r.randint(1, 400)}號" for _ in range(rows)],
            "陳情內容": [
                f"路燈故障第{i}號，聯絡 {phone() if i % 50 == 0 else '不便提供'}，身分 "
                f"{ids[i] if i % 70 == 0 else '略'}"
                for i in range(rows)
            ],
            "受理日期": [f"11{r.randint(0, 3)}{r.randint(1, 12):02d}{r.randint(1, 28):02d}"] * rows,
        }
    )


def reference_examples(table: pa.Table) -> dict[str, list[str]]:
    """The examples as the screen computed them before: ``hit_sql`` then ``example_sql``
    over every sampled row, the first three distinct masked values in sorted order."""
    con = duckdb.connect()
    con.register("sample_rows", table)
    columns = table.column_names
    stats = column_stats(con, "sample_rows", columns, DEFAULT_DETECTORS)
    shown = "CASE WHEN regexp_matches(e, '^[a-z0-9*.-]+$') THEN upper(e) ELSE e END"
    out: dict[str, list[str]] = {}
    for name, column in zip(columns, stats, strict=True):
        report = decide(column, institutional=False, places_or_people=True, trips=False)
        primary = primary_detector(column, report)
        if primary is None or report.category == "none":
            continue
        det, ctx = primary.detector, primary.context
        row = con.execute(
            f"SELECT list(s ORDER BY s) FROM (SELECT DISTINCT {shown} AS s FROM "
            f"(SELECT {det.example_sql('v', context=ctx)} AS e FROM (SELECT "
            f"{normalized_sql(quote_ident(name))} AS v FROM sample_rows) "
            f"WHERE {det.hit_sql('v', context=ctx)}) WHERE e IS NOT NULL AND e <> '' "
            "ORDER BY s LIMIT 3)"
        ).fetchone()
        assert row is not None
        out[name] = list(row[0] or [])
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_examples_equal_the_reference(settings: Settings, seed: int) -> None:
    table = petitions(1500, seed)
    report = screen(duckdb.connect().from_arrow(table), settings=settings, table_name="t")
    found = {col.name: col.examples for col in report.columns if col.category != "none"}
    expected = reference_examples(table)
    assert found == {name: examples for name, examples in expected.items() if name in found}
    assert found["陳情內容"]
    assert set(found) >= {"陳情人", "身分證字號", "聯絡電話", "電子郵件", "地址", "陳情內容"}
