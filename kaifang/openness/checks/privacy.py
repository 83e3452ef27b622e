"""G privacy gate: the current version was screened for personal data and nothing is left
unresolved, unless a legal basis for publishing it is recorded (PDPA exceptions, e.g. the
Election and Recall Act for candidates). A dataset that fails the gate loses the points and
gets no band, whatever its score."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from kaifang.openness.checks.base import Check, Outcome, Text, failed, listing, passed
from kaifang.openness.facts import DatasetFacts


def _unresolved_label(item: Any) -> str:
    if isinstance(item, Mapping):
        column = item.get("column") or item.get("name") or "?"
        category = item.get("category") or item.get("entity")
        return f"{column} ({category})" if category else str(column)
    return str(item)


def _privacy_gate(facts: DatasetFacts, now: datetime) -> Outcome:
    screening = facts.screening
    if screening is None:
        return failed(
            Text(
                "現行版本未經個人資料檢測。",
                "The current version was never screened for personal data.",
            ),
            Text(
                "請以 kaifang scan 檢測現行版本，再重新發布。",
                "Screen the current version with kaifang scan and publish it again.",
            ),
        )
    legal_basis = (screening.get("legal_basis") or "").strip()
    unresolved = [_unresolved_label(item) for item in screening.get("unresolved") or []]
    if unresolved and not legal_basis:
        return failed(
            Text(
                f"欄位{listing(unresolved, zh=True)}仍含未處理的個人資料。",
                f"Column(s) {listing(unresolved)} still hold unresolved personal data.",
            ),
            Text(
                f"請刪除或去識別化欄位{listing(unresolved, zh=True)}，"
                "或記錄公開的法律依據後重新發布。",
                f"Drop or de-identify {listing(unresolved)}, or record the legal basis for "
                "publishing them, then publish again.",
            ),
        )
    if not screening.get("publishable", False):
        return failed(
            Text("個人資料檢測未通過（不可發布）。", "The personal-data screening did not pass."),
            Text(
                "請依 kaifang scan 報告處理每個標示的欄位（刪除、去識別化或聚合），再重新發布。",
                "Resolve every column the kaifang scan report flags (drop, de-identify or "
                "aggregate), then publish again.",
            ),
        )
    if unresolved:
        return passed(
            f"個人資料欄位{listing(unresolved, zh=True)}依法律依據公開：{legal_basis}。",
            f"Personal data in {listing(unresolved)} is published under a legal basis: "
            f"{legal_basis}.",
        )
    return passed(
        "現行版本已通過個人資料檢測。", "The current version passed the personal-data screening."
    )


PRIVACY_GATE = Check("G", "privacy-gate", Text("個人資料把關", "Privacy gate"), 5, _privacy_gate)
