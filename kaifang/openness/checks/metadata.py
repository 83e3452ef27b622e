"""Understandable and findable: M1 columns documented, M2 findable, M3 accountable, M4 described."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from kaifang.openness.checks.base import (
    Check,
    Outcome,
    Text,
    failed,
    listing,
    no_resources,
    passed,
    resource_label,
)
from kaifang.openness.facts import DatasetFacts

# A description shorter than this (in characters, after trimming) says too little to tell what
# the data is (ten Chinese characters make a short sentence).
MIN_DESCRIPTION = 10

# Keys of ``contact`` that reach a person (the national spec's ContactEmail / ContactPhone).
CONTACT_CHANNELS = ("email", "phone", "telephone", "url")


def undocumented_columns(facts: DatasetFacts) -> list[str]:
    """``resource: column`` for every column without a description (blank counts as none)."""
    return [
        f"{resource_label(r)}: {c.name}"
        for r in facts.resources
        for c in r.columns
        if not (c.description or "").strip()
    ]


def _columns_documented(facts: DatasetFacts, now: datetime) -> Outcome:
    if not facts.resources:
        return no_resources()
    columns = sum(len(r.columns) for r in facts.resources)
    if columns == 0:
        return failed(
            Text("資料資源沒有任何欄位定義。", "The resources define no columns."),
            Text(
                "請發布含標題列的表格，並為每個欄位撰寫說明。",
                "Publish a table with a header row and describe every column.",
            ),
        )
    missing = undocumented_columns(facts)
    if not missing:
        return passed(
            f"全部 {columns} 個欄位都有說明。", f"All {columns} column(s) have a description."
        )
    return failed(
        Text(
            f"{columns} 個欄位中有 {len(missing)} 個缺少說明："
            f"{listing(missing, limit=10, zh=True)}。",
            f"{len(missing)} of {columns} column(s) have no description: "
            f"{listing(missing, limit=10)}.",
        ),
        Text(
            f"請為欄位{listing(missing, limit=10, zh=True)}撰寫說明（意義、單位、代碼表）。",
            f"Write a description (meaning, unit, code list) for {listing(missing, limit=10)}.",
        ),
    )


def _present(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, Mapping):
        return any(_present(v) for v in value.values())
    try:
        return any(_present(v) for v in value)
    except TypeError:
        return True


def _findable(facts: DatasetFacts, now: datetime) -> Outcome:
    fields = (
        ("keywords", "關鍵字", facts.keywords),
        ("category", "服務分類", facts.category),
        ("spatial coverage", "空間範圍", facts.spatial),
        ("temporal coverage", "時間範圍", facts.temporal_coverage),
    )
    missing = [(en, zh) for en, zh, value in fields if not _present(value)]
    if not missing:
        return passed(
            "已標示關鍵字、分類、空間與時間範圍。",
            "Keywords, category, spatial and temporal coverage are all given.",
        )
    zh = "、".join(z for _, z in missing)
    en = ", ".join(e for e, _ in missing)
    return failed(
        Text(f"詮釋資料缺少：{zh}。", f"The metadata lacks: {en}."),
        Text(
            f"請補上{zh}（例如關鍵字「學校」、空間範圍「臺灣」、"
            "時間範圍「2024-01-01 至 2024-12-31」）。",
            f"Add the {en} (e.g. keyword 'schools', spatial 'Taiwan', temporal "
            "'2024-01-01/2024-12-31').",
        ),
    )


def _reachable_contact(contact: Mapping[str, Any] | None) -> bool:
    if not contact:
        return False
    return any(_present(contact.get(key)) for key in CONTACT_CHANNELS)


def _accountable(facts: DatasetFacts, now: datetime) -> Outcome:
    has_publisher = _present(facts.publisher)
    has_contact = _reachable_contact(facts.contact)
    if has_publisher and has_contact:
        return passed(
            f"提供機關「{facts.publisher}」並有聯絡窗口。",
            f"The publisher '{facts.publisher}' and a contact point are given.",
        )
    missing_zh = [
        t
        for t, ok in (("提供機關", has_publisher), ("聯絡窗口（電子郵件或電話）", has_contact))
        if not ok
    ]
    missing_en = [
        t
        for t, ok in (
            ("publisher", has_publisher),
            ("contact point (e-mail or phone)", has_contact),
        )
        if not ok
    ]
    return failed(
        Text(
            f"詮釋資料缺少：{'、'.join(missing_zh)}。",
            f"The metadata lacks: {', '.join(missing_en)}.",
        ),
        Text(
            f"請補上{'與'.join(missing_zh)}，讓使用者能回報問題。",
            f"Add the {' and '.join(missing_en)} so that users can report problems.",
        ),
    )


def _described(facts: DatasetFacts, now: datetime) -> Outcome:
    text = " ".join((facts.description or "").split())
    if not text:
        return failed(
            Text("資料集沒有描述。", "The dataset has no description."),
            Text(
                "請撰寫描述：資料內容、來源、涵蓋範圍與限制。",
                "Write a description: what the data holds, its source, what it covers and its "
                "limits.",
            ),
        )
    if text == " ".join((facts.title or "").split()) or len(text) < MIN_DESCRIPTION:
        return failed(
            Text(
                f"描述只有 {len(text)} 個字，或只重複名稱。",
                f"The description has {len(text)} characters, or only repeats the title.",
            ),
            Text(
                f"請寫成至少 {MIN_DESCRIPTION} 個字的完整說明：資料內容、來源、涵蓋範圍與限制。",
                f"Write at least {MIN_DESCRIPTION} characters: what the data holds, its source, "
                "what it covers and its limits.",
            ),
        )
    return passed(f"描述共 {len(text)} 個字。", f"The description has {len(text)} characters.")


COLUMNS_DOCUMENTED = Check(
    "M1",
    "columns-documented",
    Text("欄位皆有說明", "Columns documented"),
    12,
    _columns_documented,
)
FINDABLE = Check("M2", "findable", Text("可被找到", "Findable"), 8, _findable)
ACCOUNTABLE = Check("M3", "accountable", Text("有負責窗口", "Accountable"), 7, _accountable)
DESCRIBED = Check("M4", "described", Text("有完整描述", "Described"), 7, _described)
