"""The k-anonymity rules shared by the policy and the freeway trips: suppression of rare
classes, and coarsening step by step (local recoding) before suppressing."""

from __future__ import annotations

import duckdb
import pytest

from kaifang.privacy.suppress import coarsened_steps_sql, rare_rows_removed_sql, step_classes_sql

# (id, district, village, age): villages are rare, districts less so.
ROWS = [
    (1, "大安區", "龍坡里", 31),
    (2, "大安區", "龍坡里", 33),
    (3, "大安區", "龍坡里", 34),
    (4, "大安區", "錦安里", 36),
    (5, "大安區", "錦安里", 52),
    (6, "大安區", "古莊里", 38),
    (7, "中正區", "文北里", 35),
    (8, "中正區", "文北里", 61),
]
STEPS = [
    ["district", "village", "age // 10"],  # village, age decade
    ["district", "age // 20"],  # district, age in 20-year bands
    ["district"],  # district only
]


def _con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("CREATE TABLE people (id INT, district VARCHAR, village VARCHAR, age INT)")
    con.executemany("INSERT INTO people VALUES (?, ?, ?, ?)", ROWS)
    con.execute(f"CREATE TABLE classed AS {step_classes_sql('people', steps=STEPS)}")
    return con


@pytest.mark.parametrize(
    ("k", "steps", "placed"),
    [
        # k = 3: the three 龍坡里 thirty-year-olds at step 1; 4, 5 and 6 (大安區, the rest
        # of it) only at the district; 中正區's two stay two: suppressed.
        (3, 3, {1: 1, 2: 1, 3: 1, 4: 3, 5: 3, 6: 3, 7: 0, 8: 0}),
        # k = 2: 4 and 6 share 大安區 aged 20-39 at step 2; 5 is then alone in 大安區 and
        # suppressed; 中正區 is a class of two at the last step.
        (2, 3, {1: 1, 2: 1, 3: 1, 4: 2, 5: 0, 6: 2, 7: 3, 8: 3}),
        # One step only: the rare rows are suppressed at once (rare_rows_removed_sql).
        (3, 1, {1: 1, 2: 1, 3: 1, 4: 0, 5: 0, 6: 0, 7: 0, 8: 0}),
    ],
)
def test_each_row_gets_the_first_step_its_class_reaches_k(
    k: int, steps: int, placed: dict[int, int]
) -> None:
    con = _con()
    sql = coarsened_steps_sql("classed", steps=STEPS[:steps], k=k, select=["id"])
    assert dict(con.execute(sql).fetchall()) == placed
    if steps == 1:
        kept = rare_rows_removed_sql("people", group=STEPS[0], k=k, select=["id"])
        assert sorted(i for (i,) in con.execute(kept).fetchall()) == [
            i for i, step in placed.items() if step
        ]


def test_every_class_of_placed_rows_holds_k_at_its_step() -> None:
    con = _con()
    sql = coarsened_steps_sql("classed", steps=STEPS, k=3, select=["*"])
    con.execute(f"CREATE TABLE stepped AS {sql}")
    for number in (1, 2, 3):
        sizes = con.execute(
            f"SELECT count(*) FROM stepped WHERE _step = {number} GROUP BY "
            + ", ".join(f"_class{number}_{part}" for part in range(len(STEPS[number - 1])))
        ).fetchall()
        assert all(n >= 3 for (n,) in sizes)
