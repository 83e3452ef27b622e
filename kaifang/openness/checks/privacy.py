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
    identifiers = [str(c) for c in screening.get("direct_identifiers") or []] or unresolved
    if identifiers and legal_basis:
        return _covered_by_basis(screening, identifiers, legal_basis)
    return passed(
        "現行版本已通過個人資料檢測。", "The current version passed the personal-data screening."
    )


def _covered_by_basis(
    screening: Mapping[str, Any], identifiers: list[str], legal_basis: str
) -> Outcome:
    """Passes only when the recorded structured basis covers every identifier column
    published (free text, or a basis naming fewer columns, does not)."""
    detail = screening.get("legal_basis_detail") or {}
    covered = {str(c) for c in detail.get("columns") or []}
    uncovered = [c for c in identifiers if c.split(" (")[0] not in covered]
    if uncovered:
        return failed(
            Text(
                f"法律依據「{legal_basis}」未涵蓋欄位{listing(uncovered, zh=True)}。",
                f"The legal basis {legal_basis!r} does not cover {listing(uncovered)}.",
            ),
            Text(
                "請以法條（法律與條次）記錄依據及其涵蓋的欄位，並刪除或去識別化其餘欄位後重新發布。",
                "Record the basis as a law and article with the columns it covers, drop or "
                "de-identify the other columns, and publish again.",
            ),
        )
    approver = detail.get("approved_by") or "?"
    return passed(
        f"個人資料欄位{listing(identifiers, zh=True)}依「{legal_basis}」公開（核可：{approver}）。",
        f"Personal data in {listing(identifiers)} is published under {legal_basis} "
        f"(approved by {approver}).",
    )


PRIVACY_GATE = Check("G", "privacy-gate", Text("個人資料把關", "Privacy gate"), 5, _privacy_gate)
