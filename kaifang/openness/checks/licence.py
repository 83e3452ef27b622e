"""Legal openness: L1 open licence, L2 no contradicting terms (Open Definition 2.1 §1.1)."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

from kaifang.openness.checks.base import Check, Outcome, Text, failed, listing, passed
from kaifang.openness.facts import DatasetFacts

# Open Definition conformant licences (SPDX ids), plus OGDL-Taiwan-1.0 which NDC declares
# compatible with CC BY 4.0 (its §4.2): canonical id -> the spellings met in metadata.
OPEN_LICENCES: dict[str, tuple[str, ...]] = {
    "OGDL-Taiwan-1.0": (
        "政府資料開放授權條款-第1版",
        "政府資料開放授權條款第1版",
        "Open Government Data License, version 1.0",
    ),
    "CC0-1.0": ("CC0",),
    "CC-BY-4.0": ("CC BY 4.0",),
    "CC-BY-SA-4.0": ("CC BY-SA 4.0",),
    "ODC-By-1.0": ("ODC-BY",),
    "ODbL-1.0": ("ODbL",),
    "PDDL-1.0": ("PDDL",),
}


def _licence_key(text: str) -> str:
    return re.sub(r"[\s\-_,]+", "", unicodedata.normalize("NFKC", text).casefold())


_OPEN_LICENCE_KEYS: dict[str, str] = {
    _licence_key(spelling): canonical
    for canonical, spellings in OPEN_LICENCES.items()
    for spelling in (canonical, *spellings)
}

# Phrases that take back what an open licence grants. Matched on NFKC, case-folded text.
CONTRADICTING_TERMS: tuple[tuple[str, str], ...] = (
    ("非商業", "non-commercial only"),
    ("非營利", "non-profit only"),
    ("不得商業", "no commercial use"),
    ("禁止商業", "no commercial use"),
    ("僅供研究", "research only"),
    ("僅供學術", "academic use only"),
    ("僅限學術", "academic use only"),
    ("須申請", "application required"),
    ("需申請", "application required"),
    ("須經同意", "permission required"),
    ("未經同意不得", "permission required"),
    ("不得轉載", "no redistribution"),
    ("禁止轉載", "no redistribution"),
    ("不得重製", "no reproduction"),
    ("non-commercial", "non-commercial only"),
    ("noncommercial", "non-commercial only"),
    ("research only", "research only"),
    ("research purposes only", "research only"),
    ("no redistribution", "no redistribution"),
    ("may not be redistributed", "no redistribution"),
)


def canonical_licence(licence: str) -> str | None:
    """The canonical id of an open licence, or ``None`` when ``licence`` is not open."""
    return _OPEN_LICENCE_KEYS.get(_licence_key(licence))


def _open_licence(facts: DatasetFacts, now: datetime) -> Outcome:
    canonical = canonical_licence(facts.license or "")
    if canonical is not None:
        return passed(
            f"授權條款 {canonical} 符合開放定義。",
            f"The licence {canonical} is an open licence (Open Definition).",
        )
    shown = facts.license or "（未標示）"
    shown_en = facts.license or "(none)"
    return failed(
        Text(
            f"授權條款「{shown}」不符開放定義。",
            f"The licence '{shown_en}' is not an open licence.",
        ),
        Text(
            "請改採「政府資料開放授權條款第1版」（OGDL-Taiwan-1.0）或 CC BY 4.0（CC-BY-4.0）。",
            "Change the licence to OGDL-Taiwan-1.0 (Open Government Data License, Taiwan, "
            "version 1.0) or CC-BY-4.0.",
        ),
    )


def find_contradicting_terms(*texts: str | None) -> list[tuple[str, str]]:
    """Each contradicting phrase found in ``texts``, as ``(phrase, meaning)``."""
    haystack = " ".join(unicodedata.normalize("NFKC", t).casefold() for t in texts if t)
    return [(phrase, meaning) for phrase, meaning in CONTRADICTING_TERMS if phrase in haystack]


def _no_contradicting_terms(facts: DatasetFacts, now: datetime) -> Outcome:
    found = find_contradicting_terms(facts.title, facts.description, facts.cost)
    if not found:
        return passed(
            "說明中沒有與開放授權矛盾的限制。",
            "The description states no terms that contradict the open licence.",
        )
    phrases = [phrase for phrase, _ in found]
    meanings = sorted({meaning for _, meaning in found})
    return failed(
        Text(
            f"說明中的{listing(phrases, zh=True)}限制與開放授權矛盾。",
            f"The description contains {listing(phrases)} ({', '.join(meanings)}), "
            "which contradicts the open licence.",
        ),
        Text(
            f"請自資料集說明中刪除{listing(phrases, zh=True)}；若資料確實不能開放，"
            "請改為依申請提供，不列為開放資料。",
            f"Remove {listing(phrases)} from the dataset description; if the data truly "
            "cannot be open, offer it on request instead of as open data.",
        ),
    )


OPEN_LICENCE = Check(
    "L1",
    "open-licence",
    Text("開放授權", "Open licence"),
    15,
    _open_licence,
)
NO_CONTRADICTING_TERMS = Check(
    "L2",
    "no-contradicting-terms",
    Text("無矛盾的使用限制", "No contradicting terms"),
    3,
    _no_contradicting_terms,
)
