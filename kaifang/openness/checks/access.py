"""Access: A1 current version readable, A2 bulk download without login, A3 free of charge.

kaifang hosts the files itself, so the proposal's "resource link reachable" (A1) becomes
"the current version of every resource is readable": its files are in the store and it has
at least one row.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime

from kaifang.openness.checks.base import (
    Check,
    Outcome,
    Text,
    failed,
    listing,
    no_resources,
    passed,
    resource_label,
    sentence,
)
from kaifang.openness.facts import DatasetFacts

# ``cost`` values that mean "no charge" (NFKC, case-folded, spaces removed).
FREE_COSTS = frozenset({"", "0", "0元", "free", "免費", "無", "none", "無償"})


def _readable(facts: DatasetFacts, now: datetime) -> Outcome:
    if not facts.resources:
        return no_resources()
    missing = [resource_label(r) for r in facts.resources if not r.files_present]
    empty = [resource_label(r) for r in facts.resources if r.files_present and r.rows <= 0]
    if not missing and not empty:
        return passed(
            f"全部 {len(facts.resources)} 個資料資源的現行版本皆可讀取且有資料列。",
            f"The current version of all {len(facts.resources)} resource(s) is readable "
            "and has rows.",
        )
    zh_parts, en_parts = [], []
    if missing:
        zh_parts.append(f"{listing(missing, zh=True)}的現行版本檔案遺失")
        en_parts.append(f"the files of the current version of {listing(missing)} are missing")
    if empty:
        zh_parts.append(f"{listing(empty, zh=True)}的現行版本沒有任何資料列")
        en_parts.append(f"the current version of {listing(empty)} has no rows")
    return failed(
        Text("；".join(zh_parts) + "。", sentence("; ".join(en_parts))),
        Text(
            f"請重新發布{listing(missing + empty, zh=True)}的完整檔案（至少一列資料）。",
            f"Publish {listing(missing + empty)} again from the complete file "
            "(at least one data row).",
        ),
    )


def _bulk_without_login(facts: DatasetFacts, now: datetime) -> Outcome:
    if not facts.resources:
        return no_resources()
    no_bulk = [resource_label(r) for r in facts.resources if not r.bulk_download]
    if not no_bulk and not facts.requires_login:
        return passed(
            "每個資料資源都能不需登入、一次完整下載。",
            "Every resource can be downloaded whole, in one file, without logging in.",
        )
    if facts.requires_login:
        return failed(
            Text("下載資料需要登入或註冊。", "Downloading the data requires a login or a key."),
            Text(
                "請取消下載的登入／註冊要求，讓任何人都能直接下載完整檔案。",
                "Remove the login/registration requirement so that anyone can download the "
                "complete files directly.",
            ),
        )
    return failed(
        Text(
            f"{listing(no_bulk, zh=True)}僅能透過 API 分頁取得，無法整批下載。",
            f"{listing(no_bulk)} can only be fetched page by page through the API, "
            "not downloaded whole.",
        ),
        Text(
            f"請為{listing(no_bulk, zh=True)}提供完整檔案（CSV 或 ZIP）下載。",
            f"Offer {listing(no_bulk)} as a complete file download (CSV or ZIP).",
        ),
    )


def is_free(cost: str | None) -> bool:
    key = "".join(unicodedata.normalize("NFKC", cost or "").casefold().split())
    return key in FREE_COSTS


def _free(facts: DatasetFacts, now: datetime) -> Outcome:
    if is_free(facts.cost):
        return passed("資料免費提供。", "The data is free of charge.")
    return failed(
        Text(f"資料收費：「{facts.cost}」。", f"The data has a charge: '{facts.cost}'."),
        Text(
            "開放資料應免費提供：請將收費欄位改為「免費」並移除付費程序。",
            "Open data must be free: set the cost to 'free' (免費) and remove the payment step.",
        ),
    )


CURRENT_VERSION_READABLE = Check(
    "A1",
    "current-version-readable",
    Text("現行版本可讀取", "Current version readable"),
    4,
    _readable,
)
BULK_WITHOUT_LOGIN = Check(
    "A2",
    "bulk-without-login",
    Text("可整批下載且免登入", "Bulk download without login"),
    5,
    _bulk_without_login,
)
FREE_OF_CHARGE = Check("A3", "free", Text("免費", "Free of charge"), 3, _free)
