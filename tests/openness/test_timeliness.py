"""Due dates: frequency periods, the stated or default grace, Taiwan calendar days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from kaifang.openness.checks.timeliness import normalize_frequency, timeliness
from tests.openness.factories import NOW, TAIPEI, dataset

UPDATED = datetime(2026, 1, 10, 10, 0, tzinfo=TAIPEI)


@pytest.mark.parametrize(
    ("frequency", "grace_days", "due"),
    [
        ("daily", None, date(2026, 1, 11)),  # 1 day + 12 h grace -> 01-11 22:00
        ("daily", 0, date(2026, 1, 11)),
        ("weekly", None, date(2026, 1, 20)),  # 7 + 3.5 days -> 01-20 22:00
        ("weekly", 2, date(2026, 1, 19)),
        ("monthly", None, date(2026, 2, 25)),  # 31 + 15.5 days -> 02-25 22:00
        ("monthly", 0, date(2026, 2, 10)),
        ("quarterly", None, date(2026, 5, 28)),  # 92 + 46 days = 138
        ("semiannual", None, date(2026, 10, 13)),  # 184 + 92 days = 276
        ("semiannual", 0, date(2026, 7, 13)),
        ("yearly", None, date(2027, 7, 13)),  # 366 + 183 days = 549
        ("yearly", 30, date(2027, 2, 10)),
    ],
)
def test_due_dates(frequency: str, grace_days: int | None, due: date) -> None:
    facts = dataset(
        update_frequency=frequency, grace_days=grace_days, current_version_created=UPDATED
    )
    assert timeliness(facts, NOW).due == due


@pytest.mark.parametrize(
    ("now", "days_overdue"),
    [
        (datetime(2026, 2, 10, 23, 59, tzinfo=TAIPEI), 0),  # the due day itself is on time
        (datetime(2026, 2, 11, 0, 0, tzinfo=TAIPEI), 1),
        (datetime(2026, 2, 10, 16, 30, tzinfo=UTC), 1),  # 00:30 on 02-11 in Taipei
        (datetime(2026, 3, 12, 8, 0, tzinfo=TAIPEI), 30),
    ],
)
def test_days_overdue_count_taiwan_calendar_days(now: datetime, days_overdue: int) -> None:
    facts = dataset(update_frequency="monthly", grace_days=0, current_version_created=UPDATED)
    state = timeliness(facts, now)
    assert state.days_overdue == days_overdue
    assert state.overdue is (days_overdue > 0)


def test_irregular_never_falls_due() -> None:
    facts = dataset(update_frequency="不定期", current_version_created=NOW - timedelta(days=3650))
    state = timeliness(facts, NOW)
    assert (state.frequency, state.due, state.overdue) == ("irregular", None, False)


@pytest.mark.parametrize(
    ("value", "slug"),
    [
        ("daily", "daily"),
        ("Monthly", "monthly"),
        ("每 1 日", "daily"),
        ("每週", "weekly"),
        ("每季", "quarterly"),
        ("每半年", "semiannual"),
        ("每年", "yearly"),
        ("annually", "yearly"),
        ("不定期", "irregular"),
        ("hourly", None),
        ("", None),
        (None, None),
    ],
)
def test_frequency_spellings(value: str | None, slug: str | None) -> None:
    assert normalize_frequency(value) == slug
