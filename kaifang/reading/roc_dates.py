"""SQL expressions that parse dates and times in the forms Taiwan's agencies write them.

ROC (民國) dates: ``1040101``, ``0310316`` (7 digits yyyMMdd), ``105/05/14``, ``105.5.14``,
``105-5-14``, ``105年5月14日``, ``民國105年5月14日``; Gregorian year = ROC year + 1911.
Gregorian: ``2016-06-06``, ``2016/6/6``; date-times ``2024-03-25 00:00``, ``2016/6/6 07:25:00``;
times ``07:25``, ``7:25:30``. Each expression is NULL when the text is not such a value or not
a real calendar date (month 13, 30 February), which is what keeps a 7-digit id column from
being read as ROC dates.
"""

from __future__ import annotations

# The ROC year range accepted: 民國1年 (1912) .. 民國200年 (2111).
ROC_YEAR_MIN, ROC_YEAR_MAX = 1, 200

ROC_COMPACT = "[0-9]{7}"
ROC_SEPARATED = "(民國)?[0-9]{1,3}([/.-][0-9]{1,2}[/.-][0-9]{1,2}|年[0-9]{1,2}月[0-9]{1,2}日)"
GREGORIAN_DATE = "[0-9]{4}([-/.])[0-9]{1,2}[-/.][0-9]{1,2}"
GREGORIAN_DATETIME = (
    "[0-9]{4}[-/][0-9]{1,2}[-/][0-9]{1,2}[ T][0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?"
)
TIME = "[0-9]{1,2}:[0-9]{2}(:[0-9]{2})?"


def _part(text: str, index: int) -> str:
    return f"CAST(regexp_extract_all({text}, '[0-9]+')[{index}] AS INTEGER)"


def _roc_make_date(year: str, month: str, day: str) -> str:
    return (
        f"CASE WHEN {year} BETWEEN {ROC_YEAR_MIN} AND {ROC_YEAR_MAX} "
        f"THEN try(make_date({year} + 1911, {month}, {day})) END"
    )


def roc_date_sql(text: str) -> str:
    """A DATE from a ROC date in any written form, else NULL."""
    compact = _roc_make_date(
        f"CAST(substr({text}, 1, 3) AS INTEGER)",
        f"CAST(substr({text}, 4, 2) AS INTEGER)",
        f"CAST(substr({text}, 6, 2) AS INTEGER)",
    )
    separated = _roc_make_date(_part(text, 1), _part(text, 2), _part(text, 3))
    return (
        f"CASE WHEN regexp_full_match({text}, '{ROC_COMPACT}') THEN {compact} "
        f"WHEN regexp_full_match({text}, '{ROC_SEPARATED}') THEN {separated} END"
    )


def date_sql(text: str) -> str:
    """A DATE from a Gregorian ``yyyy-mm-dd`` / ``yyyy/m/d`` / ``yyyy.m.d``, else NULL."""
    return (
        f"CASE WHEN regexp_full_match({text}, '{GREGORIAN_DATE}') "
        f"THEN try(make_date({_part(text, 1)}, {_part(text, 2)}, {_part(text, 3)})) END"
    )


def datetime_sql(text: str) -> str:
    """A TIMESTAMP from ``yyyy-mm-dd hh:mm[:ss]`` (``-`` or ``/``, padded or not), else NULL."""
    seconds = (
        f"coalesce(TRY_CAST(regexp_extract({text}, ':[0-9]{{2}}:([0-9.]+)$', 1) AS DOUBLE), 0)"
    )
    return (
        f"CASE WHEN regexp_full_match({text}, '{GREGORIAN_DATETIME}') "
        f"THEN try(make_timestamp({_part(text, 1)}, {_part(text, 2)}, {_part(text, 3)}, "
        f"{_part(text, 4)}, {_part(text, 5)}, {seconds})) END"
    )


def time_sql(text: str) -> str:
    """A TIME from ``hh:mm`` or ``hh:mm:ss``, else NULL."""
    seconds = f"coalesce({_part(text, 3)}, 0)"
    return (
        f"CASE WHEN regexp_full_match({text}, '{TIME}') "
        f"THEN try(make_time({_part(text, 1)}, {_part(text, 2)}, {seconds})) END"
    )


def roc_compact_sql(text: str) -> str:
    """A DATE from the 7-digit form ``yyyMMdd`` only (cheap: no regular expression groups)."""
    compact = _roc_make_date(
        f"CAST(substr({text}, 1, 3) AS INTEGER)",
        f"CAST(substr({text}, 4, 2) AS INTEGER)",
        f"CAST(substr({text}, 6, 2) AS INTEGER)",
    )
    return f"CASE WHEN regexp_full_match({text}, '{ROC_COMPACT}') THEN {compact} END"
