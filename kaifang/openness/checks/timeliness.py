"""T1 up to date: the current version's date against the declared update frequency.

A frequency's period is the *longest* calendar period of its kind (a month is 31 days, a
quarter 92, a year 366), so a publisher who updates on a fixed calendar day is never late
even with no grace. The grace is the stated ``grace_days``, or half the period when none is
stated (the proposal's ×1.5). ``irregular`` always passes, with a note.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from kaifang.openness.checks.base import Check, Outcome, Text, failed, passed
from kaifang.openness.facts import DatasetFacts

PERIODS: dict[str, timedelta] = {
    "daily": timedelta(days=1),
    "weekly": timedelta(days=7),
    "monthly": timedelta(days=31),
    "quarterly": timedelta(days=92),
    "semiannual": timedelta(days=184),
    "yearly": timedelta(days=366),
}
IRREGULAR = "irregular"
FREQUENCIES = (*PERIODS, IRREGULAR)
# The national metadata standard's accrualPeriodicity spellings -> ours.
FREQUENCY_ALIASES: dict[str, str] = {
    "每日": "daily",
    "每1日": "daily",
    "day": "daily",
    "每週": "weekly",
    "每周": "weekly",
    "每1週": "weekly",
    "week": "weekly",
    "每月": "monthly",
    "每1月": "monthly",
    "month": "monthly",
    "每季": "quarterly",
    "每3月": "quarterly",
    "quarter": "quarterly",
    "每半年": "semiannual",
    "每6月": "semiannual",
    "semiannually": "semiannual",
    "每年": "yearly",
    "每1年": "yearly",
    "annual": "yearly",
    "annually": "yearly",
    "year": "yearly",
    "不定期": "irregular",
    "不定期更新": "irregular",
}
FREQUENCY_ZH = {
    "daily": "每日",
    "weekly": "每週",
    "monthly": "每月",
    "quarterly": "每季",
    "semiannual": "每半年",
    "yearly": "每年",
    "irregular": "不定期",
}
ZH_FREQUENCIES = "／".join(FREQUENCY_ZH.values())
DEFAULT_GRACE_FACTOR = 0.5
# Due dates and days overdue are counted in Taiwan calendar days (UTC+8, no daylight saving).
TAIWAN = timezone(timedelta(hours=8), "Asia/Taipei")


def normalize_frequency(value: str | None) -> str | None:
    """Our frequency slug for ``value`` (English slug or the national spec's wording), or
    ``None`` when it is missing or unknown."""
    key = "".join(unicodedata.normalize("NFKC", value or "").casefold().split())
    key = FREQUENCY_ALIASES.get(key, key)
    return key if key in FREQUENCIES else None


@dataclass(frozen=True)
class Timeliness:
    """When the next version is due: ``due`` is the last Taiwan calendar day on which it is
    on time, ``None`` for irregular updates or when the frequency or the current version's
    date is unknown (``problem`` says which). ``days_overdue`` counts days after ``due``."""

    frequency: str | None
    updated: datetime | None
    due: date | None
    days_overdue: int
    problem: str | None = None

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0


def timeliness(facts: DatasetFacts, now: datetime) -> Timeliness:
    frequency = normalize_frequency(facts.update_frequency)
    updated = facts.current_version_created
    if frequency is None:
        problem = "unknown-frequency" if facts.update_frequency else "no-frequency"
        return Timeliness(None, updated, None, 0, problem)
    if frequency == IRREGULAR:
        return Timeliness(frequency, updated, None, 0)
    if updated is None:
        return Timeliness(frequency, None, None, 0, "no-current-version")
    period = PERIODS[frequency]
    grace = (
        timedelta(days=facts.grace_days)
        if facts.grace_days is not None
        else period * DEFAULT_GRACE_FACTOR
    )
    due = taiwan_day(updated + period + grace)
    return Timeliness(frequency, updated, due, max(0, (taiwan_day(now) - due).days))


def taiwan_day(moment: datetime) -> date:
    """The calendar day in Taiwan of an aware datetime (a naive one is taken as Taiwan time)."""
    return moment.astimezone(TAIWAN).date() if moment.tzinfo is not None else moment.date()


def _up_to_date(facts: DatasetFacts, now: datetime) -> Outcome:
    state = timeliness(facts, now)
    valid = ", ".join(FREQUENCIES)
    if state.problem == "no-frequency":
        return failed(
            Text("未標示更新頻率。", "No update frequency is declared."),
            Text(
                f"請標示更新頻率（{valid} 之一；中文「{ZH_FREQUENCIES}」）。",
                f"Declare the update frequency: one of {valid}.",
            ),
        )
    if state.problem == "unknown-frequency":
        return failed(
            Text(
                f"無法辨識更新頻率「{facts.update_frequency}」。",
                f"The update frequency '{facts.update_frequency}' is not recognized.",
            ),
            Text(
                f"請將更新頻率改為 {valid} 之一（或「{ZH_FREQUENCIES}」）。",
                f"Set the update frequency to one of {valid}.",
            ),
        )
    if state.frequency == IRREGULAR:
        return passed(
            "更新頻率為不定期，不檢查逾期；若有固定週期，請改標示以便使用者預期更新。",
            "The update frequency is irregular, so no due date applies; declare a fixed "
            "frequency if there is one, so users know when to expect updates.",
        )
    if state.updated is None or state.due is None:
        return failed(
            Text("資料集沒有現行版本，無法判斷是否更新。", "The dataset has no current version."),
            Text("請發布第一個版本。", "Publish a first version of the data."),
        )
    updated = taiwan_day(state.updated).isoformat()
    due = state.due.isoformat()
    zh_frequency = FREQUENCY_ZH[state.frequency or ""]
    if not state.overdue:
        return passed(
            f"依更新頻率（{zh_frequency}）下次應於 {due} 前更新，目前未逾期。",
            f"Per its {state.frequency} update frequency the next version is due by {due}; "
            "not overdue.",
        )
    return failed(
        Text(
            f"依更新頻率（{zh_frequency}）應於 {due} 前更新，已逾期 {state.days_overdue} 天"
            f"（最近更新 {updated}）。",
            f"Per its {state.frequency} update frequency the next version was due by {due}; "
            f"it is {state.days_overdue} day(s) overdue (last updated {updated}).",
        ),
        Text(
            "請發布最新資料；若資料已不再更新，請將更新頻率改為「不定期」並於說明中註明。",
            "Publish the latest data; if the data is no longer updated, set the update "
            "frequency to irregular and say so in the description.",
        ),
    )


UP_TO_DATE = Check("T1", "up-to-date", Text("即時更新", "Up to date"), 10, _up_to_date)
