"""Helpers for tests that publish: the test organization, sample rows, catalog counts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select

from kaifang.catalog import open_catalog
from kaifang.catalog.models import Dataset, Resource, Version
from kaifang.privacy.legal_basis import LegalBasis, choose_basis
from kaifang.settings import Settings

ORG = "379130000E"
WriteCsv = Callable[..., Path]

THEFT_HEADER = ("編號", "案類", "發生日期", "發生地點")
THEFT_ROWS = [
    (3, "住宅竊盜", "2023-01-03", "中山分局"),
    (1, "住宅竊盜", "2023-01-01", "大安分局"),
    (2, "汽車竊盜", "2023-01-02", "信義分局"),
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


def cited(*columns: str, law: str = "個人資料保護法", article: str = "第16條") -> LegalBasis:
    """An admin's citation covering ``columns`` (the CLI's operator may cite)."""
    basis = choose_basis(
        law=law, article=article, columns=columns, may_cite=True, approved_by="tester"
    )
    assert basis is not None
    return basis


def listed(label: str, *columns: str) -> LegalBasis:
    """A listed basis, by its label, covering ``columns``."""
    basis = choose_basis(label, columns=columns, may_cite=False, approved_by="tester")
    assert basis is not None
    return basis
