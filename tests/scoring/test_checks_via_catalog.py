"""Every rubric check, passing and failing, on data that went through a real publish: the
facts come from the catalog rows, the version summaries and the store."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import select

from kaifang.catalog import open_catalog
from kaifang.catalog.models import Dataset, Version
from kaifang.publish import publish_file
from kaifang.scoring import dataset_openness
from kaifang.settings import Settings
from kaifang.storage import VersionStore
from tests.scoring.conftest import (
    ORG,
    SCHOOL_HEADER,
    SCHOOL_ROWS,
    SCREENED,
    Publish,
    metadata,
    set_screening,
)

FAR_FUTURE = datetime.now(UTC) + timedelta(days=400)
PERSON = {"name": "電話", "category": "direct_identifier", "detectors": ["tw_phone"]}


@dataclass(frozen=True)
class Case:
    code: str
    passed: bool
    fragments: tuple[str, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)
    screening: dict[str, Any] | None = None
    options: dict[str, Any] = field(default_factory=dict)
    file_name: str = "schools.csv"
    rows: tuple[tuple[Any, ...], ...] = tuple(SCHOOL_ROWS)
    header: tuple[str, ...] = SCHOOL_HEADER
    at_future: bool = False


NUMBERED_HEADER = ("學校代碼", "學生數")
NUMBERED_ROWS = tuple((f"0{i:05d}", 100 + i) for i in range(150))
BAD_CELL_ROWS = (*NUMBERED_ROWS[:40], ("000999", "約三百"), *NUMBERED_ROWS[40:])
NUMBERED_FIELDS = {"fields": {"學校代碼": "代碼", "學生數": "學生人數"}}

CASES = [
    Case("L1", True, ("OGDL-Taiwan-1.0",)),
    Case("L1", False, ("other",), {"license": "other", "license_url": "https://x.example/l"}),
    Case("L2", True),
    Case("L2", False, ("僅供研究",), {"description": "本資料僅供研究使用"}),
    Case("A1", True),
    Case("A2", True),
    Case("A3", True),
    Case("A3", False, ("paid",), {"cost": "paid"}),
    Case("F1", True),
    Case("F2", True),
    Case("F3", True),
    Case("F3", False, ("TXT", "CSV"), file_name="schools.txt"),
    Case("F4", True, meta=NUMBERED_FIELDS, header=NUMBERED_HEADER, rows=NUMBERED_ROWS),
    Case(
        "F4",
        False,
        ("row 41", "學生數", "1 reading problem"),
        meta=NUMBERED_FIELDS,
        header=NUMBERED_HEADER,
        rows=BAD_CELL_ROWS,
    ),
    Case("M1", True, ("4",)),
    Case("M1", False, ("電話", "縣市"), {"fields": {"學校代碼": "代碼", "學校名稱": "名稱"}}),
    Case("M2", True),
    Case("M2", False, ("keyword",), {"keywords": None}),
    Case("M3", True, ("教育部",)),
    Case("M3", False, ("contact",), {"contact": None}),
    Case("T1", True, ("monthly",)),
    Case("T1", False, ("overdue", "due by"), at_future=True),
    Case("T1", False, ("frequency",), {"update_frequency": None}),
    Case("T1", True, ("irregular",), {"update_frequency": "never"}),
    Case("G", True, ("passed",)),
    Case("G", False, ("電話",), screening={**SCREENED, "publishable": False, "columns": [PERSON]}),
    Case(  # free text, or a basis that does not cover the phone column, is no basis
        "G",
        False,
        ("公職人員選舉罷免法", "電話"),
        screening={
            **SCREENED,
            "publishable": False,
            "legal_basis": "公職人員選舉罷免法",
            "columns": [PERSON],
            "direct_identifiers": ["電話"],
        },
    ),
    Case(
        "G",
        True,
        ("律師法第136條", "電話"),
        screening={
            **SCREENED,
            "legal_basis": "律師法第136條",
            "legal_basis_detail": {"columns": ["電話"], "approved_by": "steward"},
            "columns": [PERSON],
            "direct_identifiers": ["電話"],
        },
    ),
    Case(  # a basis covering the name but not the phone published beside it
        "G",
        False,
        ("公職人員選舉罷免法第47條", "電話"),
        screening={
            **SCREENED,
            "legal_basis": "公職人員選舉罷免法第47條",
            "legal_basis_detail": {"columns": ["姓名"], "approved_by": "steward"},
            "columns": [PERSON],
            "direct_identifiers": ["姓名", "電話"],
        },
    ),
    Case("G", False, ("never screened",), screening={"status": "not_screened"}),
]


@pytest.mark.parametrize(
    "case",
    CASES,
    ids=[f"{c.code}-{'pass' if c.passed else 'fail'}-{i}" for i, c in enumerate(CASES)],
)
def test_check_through_the_catalog(org_settings: Settings, publish: Publish, case: Case) -> None:
    result = publish(
        org_settings,
        case.file_name,
        header=case.header,
        rows=case.rows,
        meta=metadata(**case.meta),
        screening=case.screening or SCREENED,
        **case.options,
    )
    now = FAR_FUTURE if case.at_future else datetime.now(UTC)
    with open_catalog(org_settings) as catalog:
        score = dataset_openness(catalog, VersionStore(org_settings), result.dataset, now=now)
    check = score.check(case.code)
    text = f"{check.reason.en} {check.reason.zh} {check.fix.en if check.fix else ''}"
    assert check.passed is case.passed, text
    for fragment in case.fragments:
        assert fragment in text
    assert score.score + sum(c.points_lost for c in score.checks) == 100


def test_up_to_date_fails_with_the_due_date_after_the_period_and_grace(
    org_settings: Settings, publish: Publish
) -> None:
    result = publish(org_settings, "schools.csv", meta=metadata(update_frequency="weekly"))
    with open_catalog(org_settings) as catalog:
        store = VersionStore(org_settings)
        with catalog.read() as session:
            created = session.query(Version).one().created.replace(tzinfo=UTC)
        on_time = dataset_openness(catalog, store, result.dataset, now=created + timedelta(days=9))
        late = dataset_openness(catalog, store, result.dataset, now=created + timedelta(days=30))
    assert on_time.check("T1").passed
    due = (created + timedelta(days=7, hours=84 + 8)).date().isoformat()  # Taiwan day, +3.5 d
    assert not late.check("T1").passed
    assert f"due by {due}" in late.check("T1").reason.en


def test_missing_files_fail_current_version_readable(
    org_settings: Settings, publish: Publish
) -> None:
    result = publish(org_settings, "schools.csv")
    shutil.rmtree(org_settings.data_dir / "tables" / result.resource)
    with open_catalog(org_settings) as catalog:
        score = dataset_openness(
            catalog, VersionStore(org_settings), result.dataset, now=datetime.now(UTC)
        )
    assert not score.check("A1").passed
    assert "missing" in score.check("A1").reason.en


def _write_xlsx(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in (SCHOOL_HEADER, *SCHOOL_ROWS):
        sheet.append(list(row))
    workbook.save(path)
    return path


def test_an_xlsx_source_is_machine_readable_but_not_open(
    org_settings: Settings, tmp_path: Path
) -> None:
    result = publish_file(
        org_settings,
        _write_xlsx(tmp_path / "schools.xlsx"),
        org=ORG,
        title="國小名錄",
        metadata=metadata(),
    )
    set_screening(org_settings, result.resource, SCREENED)
    with open_catalog(org_settings) as catalog:
        score = dataset_openness(
            catalog, VersionStore(org_settings), result.dataset, now=datetime.now(UTC)
        )
    assert [score.check(c).passed for c in ("F1", "F2", "F3")] == [True, False, True]
    assert "xlsx" in score.check("F2").reason.en
    assert score.stars.level == 2


def test_a_perfect_publish_is_gold(org_settings: Settings, publish: Publish) -> None:
    result = publish(org_settings, "schools.csv")
    with open_catalog(org_settings) as catalog:
        score = dataset_openness(
            catalog, VersionStore(org_settings), result.dataset_identifier, now=datetime.now(UTC)
        )
    assert (score.score, score.band is not None and score.band.slug) == (100, "gold")
    assert score.stars.level == 5  # 學校代碼 links to the school register


def _set_extras(settings: Settings, dataset: str, **extras: Any) -> None:
    with open_catalog(settings) as catalog, catalog.write() as session:
        found = session.scalar(select(Dataset).where(Dataset.slug == dataset))
        assert found is not None
        found.extras = {**found.extras, **extras}


def test_a_stated_grace_and_a_declared_format_come_from_the_extras(
    org_settings: Settings, publish: Publish
) -> None:
    result = publish(org_settings, "schools.csv", meta=metadata(update_frequency="weekly"))
    _set_extras(org_settings, result.dataset, grace_days=0, formats={result.resource: "XLSX"})
    with open_catalog(org_settings) as catalog:
        with catalog.read() as session:
            created = session.scalars(select(Version)).one().created.replace(tzinfo=UTC)
        score = dataset_openness(
            catalog, VersionStore(org_settings), result.dataset, now=created + timedelta(days=9)
        )
    due = (created + timedelta(days=7, hours=8)).date().isoformat()  # no grace: 7 days
    assert not score.check("T1").passed
    assert f"due by {due}" in score.check("T1").reason.en
    assert not score.check("F3").passed
    assert "declared as XLSX but is CSV" in score.check("F3").reason.en
