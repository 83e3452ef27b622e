"""What part of a day a set of TDCS files covers, and the next version built from it.

A file replaces only the intervals it covers; the current version's other rows of the same
day are kept. What a file covers, by its own name and content:

* a file from a daily archive (``M03A_20240325.tar.gz``): the whole day;
* a file named ``TDCS_M03A_20240325_083000.csv``: the interval its name starts, five minutes
  for M03A, M04A, M05A and M08A and one hour for M06A and M07A, plus the interval of every
  row it holds (a row outside the name's interval is not left to duplicate an older one);
* any other name: every whole day its rows fall on.

A day whose every interval is covered (288 five-minute files, or the daily archive) is
replaced whole and the current version is not read at all; only the days covered in part
read their current rows (one partition each) to keep the intervals no file covers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from kaifang.settings import Settings
from kaifang.sources.common.previous import CurrentVersion, register_current
from kaifang.sources.freeway.columns import DATASETS
from kaifang.sources.freeway.load import DATE_COLUMN, time_column
from kaifang.sqlutil import quote_ident, quote_literal

PERIOD_MINUTES = {"M03A": 5, "M04A": 5, "M05A": 5, "M06A": 60, "M07A": 60, "M08A": 5}
"""How long the interval one upstream file covers is (TDCS layout: one file per slot)."""
_TIMED_NAME = re.compile(r"TDCS_M0[3-8]A_(\d{8})_(\d{6})", re.IGNORECASE)
_ARCHIVE_DAY = re.compile(r"^M0[3-8]A_(\d{8})$", re.IGNORECASE)


@dataclass
class Merge:
    """What the next version took from the current one (the report's ``changes``)."""

    previous_version: int | None = None
    days_replaced: list[str] = field(default_factory=list)
    days_partly_replaced: dict[str, dict[str, int]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "previous_version": self.previous_version,
            "days_replaced": self.days_replaced,
            "days_partly_replaced": self.days_partly_replaced,
        }


def _named_interval(file: Path, minutes: int) -> tuple[str, datetime, datetime] | None:
    """``(kind, start, stop)`` from the file's path; None when it names no time."""
    for part in file.parts[:-1]:
        day = _ARCHIVE_DAY.match(part)
        if day:
            start = datetime.strptime(day.group(1), "%Y%m%d")
            return "day", start, start + timedelta(days=1)
    timed = _TIMED_NAME.search(file.name)
    if timed is None:
        return None
    try:
        start = datetime.strptime(timed.group(1) + timed.group(2), "%Y%m%d%H%M%S")
    except ValueError:
        return None  # a name with an impossible time: its content says what it covers
    return "slot", start, start + timedelta(minutes=minutes)


def build_coverage(con: duckdb.DuckDBPyConnection, code: str) -> str:
    """Table ``coverage_<code>(start, stop)`` of the intervals the loaded files cover (from
    ``parsed_<code>``, see :mod:`.load`); returns its name."""
    minutes = PERIOD_MINUTES[code]
    time = quote_ident(time_column(DATASETS[code]))
    date = quote_ident(DATE_COLUMN)
    found = con.execute(f"SELECT DISTINCT source_file FROM parsed_{code}").fetchall()
    files = [str(f) for (f,) in found]
    named = [(f, _named_interval(Path(f), minutes)) for f in files]
    untimed = [f for f, interval in named if interval is None]
    values = [
        f"({quote_literal(str(i[1]))}::TIMESTAMP, {quote_literal(str(i[2]))}::TIMESTAMP)"
        for _, i in named
        if i is not None
    ]
    parts = [f"SELECT * FROM (VALUES {', '.join(values)}) v(start, stop)"] if values else []
    step = f"INTERVAL {minutes} MINUTE"
    parts.append(
        f"SELECT time_bucket({step}, {time}) AS start, time_bucket({step}, {time}) + {step} "
        f"FROM parsed_{code} WHERE NOT is_bad"
    )
    if untimed:
        listed = ", ".join(quote_literal(f) for f in untimed)
        parts.append(
            f"SELECT CAST({date} AS TIMESTAMP), CAST({date} AS TIMESTAMP) + INTERVAL 1 DAY "
            f"FROM parsed_{code} WHERE NOT is_bad AND source_file IN ({listed})"
        )
    table = f"coverage_{code}"
    con.execute(f"CREATE OR REPLACE TABLE {table} AS {' UNION '.join(parts)}")
    return table


def _day_coverage(con: duckdb.DuckDBPyConnection, code: str, table: str) -> dict[str, bool]:
    """``{day: whether every interval of it is covered}`` for the days the new rows fall on."""
    slots = 24 * 60 // PERIOD_MINUTES[code]
    date = quote_ident(DATE_COLUMN)
    rows = con.execute(
        f"WITH days AS (SELECT DISTINCT {date} AS day FROM {table}) "
        f"SELECT CAST(day AS VARCHAR), (SELECT bool_or(c.stop - c.start >= INTERVAL 1 DAY) "
        f"OR count(DISTINCT c.start) FILTER (WHERE c.stop - c.start < INTERVAL 1 DAY) >= {slots} "
        f"FROM coverage_{code} c WHERE CAST(c.start AS DATE) = days.day) FROM days ORDER BY 1"
    ).fetchall()
    return {str(day): bool(whole) for day, whole in rows}


def merge_with_current(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    code: str,
    table: str,
    columns: list[str],
    current: CurrentVersion | None,
) -> tuple[str, Merge]:
    """The table to publish: ``table``'s rows plus, on the days they cover only in part, the
    current version's rows of the intervals no file covers."""
    build_coverage(con, code)
    whole = _day_coverage(con, code, table)
    merge = Merge(previous_version=current.version if current else None)
    merge.days_replaced = [d for d, full in whole.items() if full]
    partial = [d for d, full in whole.items() if not full]
    if current is None or not partial:
        return table, merge
    register_current(settings, con, f"previous_{code}", current, columns)
    time, date = quote_ident(time_column(DATASETS[code])), quote_ident(DATE_COLUMN)
    listed = ", ".join(quote_ident(c) for c in columns)
    days = ", ".join(f"DATE {quote_literal(d)}" for d in partial)
    con.execute(
        f"CREATE OR REPLACE TABLE kept_{code} AS SELECT {listed} FROM previous_{code} p "
        f"WHERE p.{date} IN ({days}) AND NOT EXISTS (SELECT 1 FROM coverage_{code} c "
        f"WHERE p.{time} >= c.start AND p.{time} < c.stop)"
    )
    counts = dict(
        con.execute(
            f"SELECT CAST({date} AS VARCHAR), count(*) FROM kept_{code} GROUP BY ALL"
        ).fetchall()
    )
    for day in partial:
        intervals = con.execute(
            f"SELECT count(DISTINCT start) FROM coverage_{code} "
            f"WHERE CAST(start AS DATE) = DATE {quote_literal(day)}"
        ).fetchall()[0][0]
        merge.days_partly_replaced[day] = {
            "intervals_replaced": int(intervals),
            "rows_kept": int(counts.get(day, 0)),
        }
    con.execute(
        f"CREATE OR REPLACE TABLE next_{code} AS SELECT {listed} FROM {quote_ident(table)} "
        f"UNION ALL SELECT * FROM kept_{code}"
    )
    return f"next_{code}", merge
