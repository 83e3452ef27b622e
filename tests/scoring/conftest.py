"""Fixtures for scoring through the catalog: an organization, CSV files with full metadata,
a publish helper, and a helper that records a version's privacy screening as the privacy
layer would (the publish step's screening summary)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from kaifang.catalog import create_organization, open_catalog
from kaifang.catalog.models import Resource
from kaifang.publish import PublishResult, publish_file
from kaifang.settings import Settings

ORG = "315000000H"
ORG_NAME = "教育部"
OTHER_ORG = "379130000E"

SCHOOL_HEADER = ("學校代碼", "學校名稱", "縣市", "電話")
SCHOOL_ROWS = [
    ("013601", "國立臺北國小", "臺北市", "02-2311-0001"),
    ("013602", "國立新竹國小", "新竹市", "03-521-0002"),
    ("013603", "國立臺南國小", "臺南市", "06-213-0003"),
]
FULL_METADATA: dict[str, Any] = {
    "description": "全國學校名錄，含地址與電話。",
    "keywords": ["學校", "名錄"],
    "category": "E00",
    "update_frequency": "monthly",
    "spatial": "臺灣",
    "temporal_coverage": {"from": "2025-08-01", "to": "2026-07-31"},
    "contact": {"name": "統計處", "email": "data@moe.example.tw"},
    "fields": {
        "學校代碼": "教育部學校代碼（6 碼）",
        "學校名稱": "學校全名",
        "縣市": "所在縣市",
        "電話": "總機電話",
    },
}
SCREENED = {"status": "screened", "publishable": True, "legal_basis": None, "columns": []}

WriteCsv = Callable[..., Path]
Publish = Callable[..., PublishResult]


@pytest.fixture
def org_settings(settings: Settings) -> Settings:
    with open_catalog(settings) as catalog:
        create_organization(catalog, ORG, name=ORG_NAME, name_en="Ministry of Education")
        create_organization(catalog, OTHER_ORG, name="臺北市政府警察局")
    return settings


@pytest.fixture
def backend_settings(catalog_settings: Settings) -> Settings:
    """Like ``org_settings`` on SQLite and on PostgreSQL."""
    with open_catalog(catalog_settings) as catalog:
        create_organization(catalog, ORG, name=ORG_NAME)
        create_organization(catalog, OTHER_ORG, name="臺北市政府警察局")
    return catalog_settings


@pytest.fixture
def write_csv(tmp_path: Path) -> WriteCsv:
    def write(name: str, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> Path:
        path = tmp_path / "files" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = [",".join(header)] + [",".join(str(v) for v in row) for row in rows]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    return write


def metadata(**changes: Any) -> dict[str, Any]:
    """Full metadata with some keys changed; a key set to None is left out."""
    merged = {**FULL_METADATA, **changes}
    return {k: v for k, v in merged.items() if v is not None}


def set_screening(settings: Settings, resource: str, screening: Mapping[str, Any]) -> None:
    """Store ``screening`` as the current version's screening summary, as the privacy step
    of a publish does (the placeholder step records ``not_screened``)."""
    with open_catalog(settings) as catalog, catalog.write() as session:
        found = session.scalar(select(Resource).where(Resource.slug == resource))
        assert found is not None
        current = next(v for v in found.versions if v.number == found.current_version)
        current.summary = {**current.summary, "screening": dict(screening)}


@pytest.fixture
def publish(write_csv: WriteCsv) -> Callable[..., PublishResult]:
    """Publish a school list (or ``rows``) with full metadata and mark it screened."""

    def run(
        settings: Settings,
        name: str,
        *,
        title: str = "國小名錄",
        org: str = ORG,
        header: Sequence[str] = SCHOOL_HEADER,
        rows: Sequence[Sequence[Any]] = SCHOOL_ROWS,
        meta: Mapping[str, Any] | None = None,
        screening: Mapping[str, Any] | None = SCREENED,
        **options: Any,
    ) -> PublishResult:
        result = publish_file(
            settings,
            write_csv(name, header, rows),
            org=org,
            title=title,
            metadata=dict(meta if meta is not None else metadata()),
            **options,
        )
        if screening is not None:
            set_screening(settings, result.resource, screening)
        return result

    return run
