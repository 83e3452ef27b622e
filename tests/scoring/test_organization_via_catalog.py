"""The organization view and the ranking from the catalog: split groups (school lists split
by level), overdue datasets, open requests, the trend of recorded scores; ranking order and
its CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from kaifang.catalog import create_organization, open_catalog
from kaifang.catalog.requests import answer_request, create_request
from kaifang.errors import ValidationError
from kaifang.scoring import (
    openness_ranking,
    openness_ranking_csv,
    organization_openness,
    rescore_all,
)
from kaifang.settings import Settings
from kaifang.storage import VersionStore
from tests.scoring.conftest import ORG, ORG_NAME, OTHER_ORG, SCHOOL_ROWS, Publish, metadata

JUNIOR_ROWS = [("213601", "市立大同國中", "臺北市", "02-2500-0001"), *SCHOOL_ROWS[1:]]


def test_school_lists_split_by_level_count_once(org_settings: Settings, publish: Publish) -> None:
    elementary = publish(org_settings, "elementary.csv", title="國小名錄")
    junior = publish(org_settings, "junior.csv", title="國中名錄", rows=JUNIOR_ROWS)
    budget = publish(
        org_settings,
        "budget.csv",
        title="教育經費",
        header=("年度", "項目", "金額"),
        rows=[(2025, "人事費", 100), (2025, "業務費", 50)],
        meta=metadata(fields={"年度": "年度", "項目": "項目", "金額": "新臺幣元"}),
    )
    with open_catalog(org_settings) as catalog:
        view = organization_openness(
            catalog, VersionStore(org_settings), ORG, now=datetime.now(UTC)
        ).to_dict()
    assert (view["organization"], view["name"]) == (ORG, ORG_NAME)
    assert (view["datasets"], view["counted_datasets"]) == (3, 2)
    [group] = view["split_groups"]
    assert sorted(group["datasets"]) == sorted([elementary.dataset, junior.dataset])
    assert budget.dataset not in group["datasets"]
    assert group["rule"] == "identical"
    assert "國小名錄" in group["suggestion"]["zh"] and "國中名錄" in group["suggestion"]["zh"]
    assert sorted(len(u["datasets"]) for u in view["units"]) == [1, 2]
    assert sum(view["distribution"].values()) == 2


def test_overdue_datasets_and_open_requests(org_settings: Settings, publish: Publish) -> None:
    daily = publish(
        org_settings, "daily.csv", title="每日名錄", meta=metadata(update_frequency="daily")
    )
    publish(org_settings, "yearly.csv", title="年度名錄", meta=metadata(update_frequency="yearly"))
    now = datetime.now(UTC) + timedelta(days=10)
    with open_catalog(org_settings) as catalog:
        create_request(catalog, ORG, title="學校營養午餐菜單", at=now - timedelta(days=40))
        done = create_request(catalog, ORG, title="學生數", at=now - timedelta(days=50))
        answer_request(catalog, done.id, status="fulfilled", response="已發布")
        create_request(catalog, OTHER_ORG, title="竊盜點位", at=now - timedelta(days=5))
        view = organization_openness(catalog, VersionStore(org_settings), ORG, now=now).to_dict()
    [late] = view["overdue"]
    assert (late["dataset"], late["update_frequency"]) == (daily.dataset, "daily")
    assert late["days_overdue"] >= 8
    assert [(r["title"], r["age_days"]) for r in view["requests"]] == [("學校營養午餐菜單", 40)]


def test_the_trend_follows_recorded_scores(org_settings: Settings, publish: Publish) -> None:
    publish(org_settings, "schools.csv")
    store = VersionStore(org_settings)
    now = datetime.now(UTC)
    with open_catalog(org_settings) as catalog:
        rescore_all(catalog, store, now=now)  # the screening lifts 95 to 100
        view = organization_openness(catalog, store, ORG, now=now).to_dict()
    month = now.strftime("%Y-%m")
    assert view["trend"] == [{"month": month, "mean": 100.0, "counted_datasets": 1}]


def test_ranking_by_mean_and_gold_with_an_escaped_csv(
    org_settings: Settings, publish: Publish
) -> None:
    with open_catalog(org_settings) as catalog:
        create_organization(catalog, "A12345678B", name='=HYPERLINK("x")')
    publish(org_settings, "schools.csv", title="國小名錄")
    publish(org_settings, "other.csv", title="國中名錄", rows=JUNIOR_ROWS)
    publish(
        org_settings,
        "theft.csv",
        title="竊盜點位",
        org=OTHER_ORG,
        header=("編號", "案類", "地點"),
        rows=[(1, "住宅竊盜", "中山分局"), (2, "汽車竊盜", "大安分局")],
        meta=metadata(fields=None, keywords=None, contact=None),
    )
    store = VersionStore(org_settings)
    now = datetime.now(UTC)
    with open_catalog(org_settings) as catalog:
        rows = openness_ranking(catalog, store, now=now)
        text = openness_ranking_csv(catalog, store, now=now)
    assert [(r["organization"], r["rank_by_mean"], r["rank_by_gold"]) for r in rows] == [
        (ORG, 1, 1),
        (OTHER_ORG, 2, 2),
        ("A12345678B", 3, 2),
    ]
    moe = rows[0]
    assert (moe["gold"], moe["datasets"], moe["counted_datasets"], moe["split_groups"]) == (
        1,
        2,
        1,
        1,
    )
    assert rows[1]["mean"] is not None and rows[1]["mean"] < 90
    assert rows[2]["mean"] is None
    assert text.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert table[0][:4] == ["rank_by_mean", "rank_by_gold", "organization", "name"]
    assert table[3][3] == '\'=HYPERLINK("x")'
    assert "\r\n" in text


def test_ranking_by_gold_count_differs_from_by_mean(
    org_settings: Settings, publish: Publish
) -> None:
    budget = metadata(fields={"年度": "年度", "項目": "項目", "金額": "新臺幣元"})
    publish(org_settings, "schools.csv", title="國小名錄")  # MOE: two gold and one 70
    publish(
        org_settings,
        "budget.csv",
        title="教育經費",
        header=("年度", "項目", "金額"),
        rows=[(2025, "人事費", 100)],
        meta=budget,
    )
    publish(
        org_settings,
        "raw.csv",
        title="原始資料",
        header=("甲", "乙"),
        rows=[("a", "b")],
        meta=metadata(fields=None, keywords=None, contact=None, update_frequency=None),
    )
    publish(org_settings, "theft.csv", title="竊盜點位", org=OTHER_ORG)  # police: one gold
    store = VersionStore(org_settings)
    with open_catalog(org_settings) as catalog:
        by_mean = openness_ranking(catalog, store, now=datetime.now(UTC))
        by_gold = openness_ranking(catalog, store, now=datetime.now(UTC), by="gold")
        with pytest.raises(ValidationError, match="by 'stars'"):
            openness_ranking(catalog, store, now=datetime.now(UTC), by="stars")
    assert [(r["organization"], r["gold"]) for r in by_mean] == [(OTHER_ORG, 1), (ORG, 2)]
    assert [r["organization"] for r in by_gold] == [ORG, OTHER_ORG]
    assert [(r["rank_by_mean"], r["rank_by_gold"]) for r in by_gold] == [(2, 1), (1, 2)]


def test_the_ranking_is_one_query_that_agrees_with_the_organization_view(
    backend_settings: Settings, publish: Publish
) -> None:
    publish(backend_settings, "schools.csv", title="國小名錄")
    publish(backend_settings, "other.csv", title="國中名錄", rows=JUNIOR_ROWS)
    store = VersionStore(backend_settings)
    now = datetime.now(UTC)
    statements: list[str] = []
    with open_catalog(backend_settings) as catalog:
        view = organization_openness(catalog, store, ORG, now=now)

        def count(_conn: object, _cursor: object, sql: str, *_args: object) -> None:
            statements.append(sql)

        event.listen(catalog.engine, "before_cursor_execute", count)
        try:
            rows = openness_ranking(catalog, store, now=now + timedelta(days=800))
        finally:
            event.remove(catalog.engine, "before_cursor_execute", count)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1
    moe = next(r for r in rows if r["organization"] == ORG)
    assert (moe["mean"], moe["gold"], moe["counted_datasets"], moe["split_groups"]) == (
        view.mean,
        view.gold_count,
        len(view.units),
        len(view.split_groups),
    )
    assert moe["overdue"] == 2  # as of the day asked: both lists are long overdue by then


def test_rescore_all_scores_only_what_changed(backend_settings: Settings, publish: Publish) -> None:
    publish(backend_settings, "schools.csv", title="國小名錄")
    budget = metadata(fields={"年度": "年度", "項目": "項目", "金額": "新臺幣元"})
    publish(backend_settings, "budget.csv", title="教育經費", header=("年度", "項目", "金額"),
            rows=[(2025, "人事費", 100)], meta=budget)  # fmt: skip
    store = VersionStore(backend_settings)
    now = datetime.now(UTC)
    with open_catalog(backend_settings) as catalog:
        quiet = rescore_all(catalog, store, now=now)
        publish(backend_settings, "schools.csv", title="國小名錄", rows=JUNIOR_ROWS)  # a change
        after = rescore_all(catalog, store, now=now + timedelta(seconds=5))
        later = rescore_all(catalog, store, now=now + timedelta(days=800))
    assert (quiet.scored, quiet.skipped) == (0, 2)
    assert after.scored == 0  # the publish scored its own version
    # 800 days on, the datasets with a due day are past it: those are scored again
    assert later.scored >= 1
    assert later.scored + later.skipped == after.scored + after.skipped
