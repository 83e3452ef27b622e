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
        moment = last_started.replace(second=0, microsecond=0) + timedelta(minutes=1)
        # At most one year of minutes is looked at; a yearly schedule is still found.
        for _ in range(min(int((now - moment).total_seconds() // 60) + 1, 366 * 24 * 60)):
            if moment > now:
                return False
            if self.matches(moment):
                return True
            moment += timedelta(minutes=1)
        return False
