"""tune_policy climbs generalization ladders until k holds within the suppression budget."""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from kaifang.privacy import (
    ColumnPolicy,
    Policy,
    apply_policy,
    propose_policy,
    screen,
    tune_policy,
    verify,
)
from kaifang.privacy.tuning import next_level
from kaifang.settings import Settings

MakeRelation = Callable[[dict[str, list[object]]], duckdb.DuckDBPyRelation]


def test_ladders() -> None:
    assert next_level(ColumnPolicy("generalize", to="month")) == "quarter"
    assert next_level(ColumnPolicy("generalize", to="village")) == "district"
    assert next_level(ColumnPolicy("generalize", to="county")) is None
    assert next_level(ColumnPolicy("keep")) is None


def test_tuning_reaches_k_within_budget(make_relation: MakeRelation, settings: Settings) -> None:
    n = 400
    rel = make_relation(
        {
            "出生日期": [f"{1940 + i % 80}-{1 + i % 12:02d}-{1 + i % 28:02d}" for i in range(n)],
            "性別": ["男" if i % 3 else "女" for i in range(n)],
        }
    )
    report = screen(rel, settings=settings)
    proposed = propose_policy(report)
    assert proposed.columns["出生日期"].to == "year"
    tuned = tune_policy(rel, proposed, settings)
    assert tuned.columns["出生日期"].to in ("year5", "year10")
    out = apply_policy(rel, tuned, settings)
    assert verify(out, tuned, settings).passed


def test_tuning_leaves_a_passing_policy_alone(
    make_relation: MakeRelation, settings: Settings
) -> None:
    rel = make_relation({"性別": ["男", "女"] * 20})
    policy = Policy(columns={"性別": ColumnPolicy("keep")}, quasi_identifiers=["性別"])
    assert tune_policy(rel, policy, settings) == policy
