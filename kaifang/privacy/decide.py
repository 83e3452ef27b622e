"""From detector statistics to a column's category, action and reason, with the table-level
rules: an institution's own contact columns are not personal data, and event times are
quasi-identifiers only next to a place or person attributes."""

from __future__ import annotations

import re

from kaifang.privacy.classify import ColumnStats, DetectorStats, fires
from kaifang.privacy.model import CATEGORY_RANK
from kaifang.privacy.normalize import fold_text
from kaifang.privacy.report import ColumnReport

INSTITUTION_KEYWORDS = (
    "學校名稱", "校名", "學校", "機關", "機構", "公司名稱", "公司", "統一編號", "單位名稱",
    "醫院名稱", "醫療院所", "商號", "school", "agency", "company", "organization", "institution",
)  # fmt: skip
COUNT_KEYWORDS = (
    "數量", "件數", "人數", "次數", "交通量", "筆數", "總計", "合計", "count", "volume", "total",
)  # fmt: skip
PERSON_DETECTORS = frozenset({"person_name", "romanized_name"})
PERSON_ATTRIBUTES = frozenset({"birth_date", "age", "sex", "occupation"})
TRIP_PLACES = frozenset({"trip_place", "gantry_code", "trip_path"})
PLACES = frozenset({"coarse_address", "coordinates", "address"}) | TRIP_PLACES
RECORD_NUMBER_DISTINCT = 0.3  # a person's record number: mostly distinct per row
PASSAGE_SHARE = 0.2  # times off the whole minute in this share of rows: single passages
MIXED_RATE = 0.5  # below this share the identifiers sit among other content: mask them
GENERALIZE_TO = {
    "address": "range30",
    "coarse_address": "range30",  # ranges stay as they are; tune_policy may climb further
    "birth_date": "year",
    "age": "band10",
    "event_time": "hour",
    "coordinates": "grid3",
}


def names_keyword(name: str, keywords: tuple[str, ...]) -> bool:
    """Whether the column ``name`` holds one of ``keywords``: a CJK keyword anywhere (CJK
    names have no word breaks), a Latin keyword only as a whole word, so ``vote_count``,
    ``VoteCount`` and ``count`` name a count but ``county`` and ``account`` do not."""
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)  # split camelCase before folding
    folded = fold_text(words)
    latin = set(re.findall(r"[a-z]+", folded))
    return any(word in latin if word.isascii() else word in folded for word in keywords)


def fired(column: ColumnStats) -> list[DetectorStats]:
    return [s for s in column.detectors if fires(column, s)]


def is_institutional(columns: list[ColumnStats]) -> bool:
    """The table describes institutions, not people: an institution-name or company-id
    column, and no person name, person attribute or special category anywhere."""
    found = {s.detector.name for c in columns for s in fired(c)}
    has_institution = "company_tax_id" in found or any(
        names_keyword(c.name, INSTITUTION_KEYWORDS) for c in columns
    )
    people = found & (PERSON_DETECTORS | PERSON_ATTRIBUTES | {"special_category"})
    return has_institution and not people


def is_trip_table(columns: list[ColumnStats], passage_times: bool) -> bool:
    """Whether a row is one vehicle's passage or trip: two trip-place columns (origin and
    destination), or one next to times to the second (``passage_times``: most times do not
    fall on a whole minute), and no count column. Gantry codes in a table of counts per
    gantry and month or 5-minute interval describe the road, not a trip."""
    if count_column(columns) is not None:
        return False
    places = [c for c in columns if any(s.detector.name in TRIP_PLACES for s in fired(c))]
    return len(places) >= 2 or (len(places) == 1 and passage_times)


def count_column(columns: list[ColumnStats]) -> str | None:
    """The count column of an aggregate table (件數, 人數, count...), if any."""
    for col in columns:
        if names_keyword(col.name, COUNT_KEYWORDS):
            return col.name
    return None


def decide(
    column: ColumnStats, *, institutional: bool, places_or_people: bool, trips: bool = True
) -> ColumnReport:
    hits = fired(column)
    if not trips:  # infrastructure codes in a table that is not about trips
        hits = [s for s in hits if s.detector.name not in TRIP_PLACES]
    if column.non_empty and column.distinct / column.non_empty < RECORD_NUMBER_DISTINCT:
        hits = [s for s in hits if s.detector.name != "record_number"]  # a category code
    if (
        institutional
        and hits
        and all(s.detector.contact or s.detector.category == "none" for s in hits)
    ):
        return ColumnReport(
            column.name,
            "none",
            [s.detector.name for s in hits],
            max(column.rate(s) for s in hits),
            [],
            "keep",
            "機關、學校或公司的聯絡資料，非個人資料 / an institution's contact data, not personal",
            column.free_text,
        )
    listed = [s.detector.name for s in hits]
    if not places_or_people:  # times alone locate nobody: listed, but not a category
        hits = [s for s in hits if s.detector.name != "event_time"]
    if not hits:
        return ColumnReport(
            column.name,
            "none",
            listed,
            0.0,
            [],
            "keep",
            "未發現個人資料 / no personal data found",
            column.free_text,
        )
    top = max(CATEGORY_RANK[s.detector.category] for s in hits)
    primary = next(s for s in hits if CATEGORY_RANK[s.detector.category] == top)
    det = primary.detector
    rate = column.rate(primary)
    action = det.action
    reason = det.reason
    if det.name == "event_time" and column.avg_length <= 5:
        action, reason = "keep", "時段已粗化，納入 k 匿名檢查 / a time band: kept, checked by k"
    free_text = column.free_text
    if det.category == "direct_identifier" and (free_text or rate < MIXED_RATE):
        free_text = True
        action = "mask"
        reason = (
            f"內容中含{det.label.split(' ')[0]}（{rate:.1%} 列），請遮蔽 / free text holds "
            f"{det.label.split(' ', 1)[-1]} in {rate:.1%} of rows: mask them"
        )
    return ColumnReport(
        column.name,
        det.category,
        [det.name] + [s.detector.name for s in hits if s is not primary],
        rate,
        [],
        action,
        reason,
        free_text,
        _generalize_to(det.name, column) if action == "generalize" else None,
    )


def primary_detector(column: ColumnStats, report: ColumnReport) -> DetectorStats | None:
    """The detector whose hits illustrate ``report`` (for masked examples)."""
    for stats in column.detectors:
        if report.detectors and stats.detector.name == report.detectors[0]:
            return stats
    return None


def _generalize_to(detector: str, column: ColumnStats) -> str | None:
    """Event times: hour for timestamps, month for dates (hour bands such as 18~21 are
    kept by :func:`decide`)."""
    if detector == "event_time":
        return "hour" if column.avg_length > 10 else "month"
    return GENERALIZE_TO.get(detector)
