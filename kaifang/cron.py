"""Schedules (for harvests and scheduled imports): ``hourly``, ``daily`` (at 03:00 UTC), ``manual``
(never by itself), or a five-field cron expression (minute hour day-of-month month
day-of-week, with ``*``, lists, ranges and ``/`` steps), evaluated in UTC."""

from __future__ import annotations

from datetime import datetime, timedelta

from kaifang.errors import ValidationError

NAMED = {"hourly": "0 * * * *", "daily": "0 3 * * *"}
FIELDS = (("minute", 0, 59), ("hour", 0, 23), ("day of month", 1, 31), ("month", 1, 12),
          ("day of week", 0, 6))  # fmt: skip


def _field(text: str, name: str, low: int, high: int) -> frozenset[int]:
    values: set[int] = set()
    for part in text.split(","):
        body, _, step_text = part.partition("/")
        step = int(step_text) if step_text.isdigit() and int(step_text) > 0 else None
        if step_text and step is None:
            raise ValidationError(f"cron {name}: bad step {part!r}")
        if body == "*":
            start, end = low, high
        elif "-" in body:
            a, _, b = body.partition("-")
            if not (a.isdigit() and b.isdigit()):
                raise ValidationError(f"cron {name}: bad range {part!r}")
            start, end = int(a), int(b)
        elif body.isdigit():
            start = int(body)
            end = high if step else start
        else:
            raise ValidationError(f"cron {name}: {part!r} is not a number, range or *")
        if not (low <= start <= end <= high):
            raise ValidationError(f"cron {name}: {part!r} is outside {low}-{high}")
        values.update(range(start, end + 1, step or 1))
    return frozenset(values)


class Schedule:
    def __init__(self, text: str) -> None:
        self.text = text.strip()
        self.manual = self.text == "manual"
        expr = NAMED.get(self.text, self.text)
        parts = expr.split()
        if not self.manual and len(parts) != 5:
            raise ValidationError(
                f"schedule {text!r} is not hourly, daily, manual or a 5-field cron expression",
                hint="For example --schedule '*/30 * * * *' (every 30 minutes).",
            )
        self.sets = (
            []
            if self.manual
            else [_field(p, n, lo, hi) for p, (n, lo, hi) in zip(parts, FIELDS, strict=True)]
        )

    def matches(self, moment: datetime) -> bool:
        if self.manual:
            return False
        minute, hour, day, month, weekday = self.sets
        cron_weekday = (moment.weekday() + 1) % 7  # cron counts Sunday as 0
        return (
            moment.minute in minute
            and moment.hour in hour
            and moment.day in day
            and moment.month in month
            and cron_weekday in weekday
        )

    def due(self, last_started: datetime | None, now: datetime) -> bool:
        """Whether a scheduled minute has passed since ``last_started`` (a source never run
        is due at once)."""
        if self.manual:
            return False
        if last_started is None:
            return True
        start = last_started.replace(second=0, microsecond=0) + timedelta(minutes=1)
        return self.next_after(start, now) is not None

    def next_after(self, moment: datetime, until: datetime) -> datetime | None:
        """The first scheduled minute from ``moment`` to ``until``, if any. A month, day or
        hour that cannot match is skipped whole, so a worker's tick costs a few steps per
        source, not one per minute since its last run."""
        if self.manual:
            return None
        minute, hour, day, month, weekday = self.sets
        while moment <= until:
            if moment.month not in month:
                first = moment.replace(day=1, hour=0, minute=0)
                moment = (first + timedelta(days=32)).replace(day=1)
            elif moment.day not in day or (moment.weekday() + 1) % 7 not in weekday:
                moment = moment.replace(hour=0, minute=0) + timedelta(days=1)
            elif moment.hour not in hour:
                moment = moment.replace(minute=0) + timedelta(hours=1)
            elif moment.minute not in minute:
                moment += timedelta(minutes=1)
            else:
                return moment
        return None
