"""Facts that pass every check, and helpers to spoil one thing at a time."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any

from kaifang.openness import ColumnFacts, DatasetFacts, ResourceFacts

TAIPEI = timezone(timedelta(hours=8))
NOW = datetime(2026, 3, 1, 9, 0, tzinfo=TAIPEI)

SCHOOL_COLUMNS = (
    ColumnFacts("學校代碼", "string", "教育部學校代碼（6 碼）"),
    ColumnFacts("學校名稱", "string", "學校全名"),
    ColumnFacts("公/私立", "string", "公立或私立"),
    ColumnFacts("縣市名稱", "string", "學校所在縣市"),
    ColumnFacts("地址", "string", "學校地址"),
    ColumnFacts("電話", "string", "總機電話"),
)


def resource(**changes: Any) -> ResourceFacts:
    base = ResourceFacts(
        id="r-elementary",
        name="國小名錄",
        sniffed_format="csv",
        declared_format="CSV",
        source_encoding="utf-8",
        rows=2_630,
        columns=SCHOOL_COLUMNS,
        problems=(),
    )
    return replace(base, **changes)


def dataset(**changes: Any) -> DatasetFacts:
    base = DatasetFacts(
        id="moe-elementary",
        title="國民小學名錄",
        org_code="MOE",
        license="OGDL-Taiwan-1.0",
        description="全國公私立國民小學名錄，含地址與電話。",
        cost="免費",
        keywords=("學校", "國小"),
        category="教育",
        spatial="臺灣",
        temporal_coverage={"start": "2025-08-01", "end": "2026-07-31"},
        contact={"name": "統計處 王小明", "email": "data@moe.example.tw"},
        publisher="教育部統計處",
        update_frequency="monthly",
        grace_days=None,
        current_version_created=NOW - timedelta(days=10),
        resources=(resource(),),
        screening={"publishable": True, "legal_basis": None, "unresolved": []},
    )
    return replace(base, **changes)


def with_resource(**changes: Any) -> DatasetFacts:
    """The passing dataset whose only resource has ``changes``."""
    return dataset(resources=(resource(**changes),))
