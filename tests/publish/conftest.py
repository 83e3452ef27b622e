"""Fixtures for publishing: an organization in a fresh catalog, and CSV files."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from kaifang.catalog import create_organization, open_catalog
from kaifang.catalog.models import Dataset, Resource, Version
from kaifang.settings import Settings

ORG = "379130000E"
WriteCsv = Callable[..., Path]


@pytest.fixture
def org_settings(catalog_settings: Settings) -> Settings:
    """Catalog settings (SQLite and PostgreSQL) with organization 379130000E created."""
    with open_catalog(catalog_settings) as catalog:
        create_organization(catalog, ORG, name="臺北市政府警察局", name_en="Taipei City Police")
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


THEFT_HEADER = ("編號", "案類", "發生日期", "發生地點")
THEFT_ROWS = [
    (3, "住宅竊盜", "2023-01-03", "臺北市中山區"),
    (1, "住宅竊盜", "2023-01-01", "臺北市大安區"),
    (2, "汽車竊盜", "2023-01-02", "臺北市信義區"),
]


def catalog_counts(settings: Settings) -> tuple[int, int, int]:
    """(datasets, resources, versions) in the catalog."""
    with open_catalog(settings) as catalog, catalog.read() as session:
        return (
            session.scalar(select(func.count()).select_from(Dataset)) or 0,
            session.scalar(select(func.count()).select_from(Resource)) or 0,
            session.scalar(select(func.count()).select_from(Version)) or 0,
        )


def stored_files(settings: Settings) -> list[Path]:
    tables = settings.data_dir / "tables"
    return sorted(p for p in tables.rglob("*") if p.is_file()) if tables.exists() else []
