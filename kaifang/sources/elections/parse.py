"""Parsing CEC voteData values, as DuckDB SQL expression builders.

Codes arrive bare (``63``), double-quoted, or quoted with an apostrophe that kept Excel from
dropping leading zeros (``"'01"``); they stay strings. A zero code means "aggregate over this
level", so a row's level (national, county, district, village or polling station) follows
from which codes are zero. In a legislative election, rows with a county and an electoral
district (選區) but no township are the constituency's totals.
"""

from __future__ import annotations

from kaifang.sources.sqltext import trim_padding_sql

LEVELS = ("national", "county", "constituency", "district", "village", "station")


def cec_code_sql(expr: str) -> str:
    """A code with quotes, apostrophe prefix and padding removed: ``"'01"`` → ``01``."""
    unquoted = trim_padding_sql(f"trim({expr}, '\"')")
    return f"ltrim({unquoted}, '''')"


def cec_is_zero_sql(expr: str) -> str:
    """True when the code is all zeros (``0``, ``000``, ``'0000``): an aggregate marker."""
    return f"(ltrim({cec_code_sql(expr)}, '0') = '')"


def cec_level_sql(
    province: str,
    county: str,
    constituency: str,
    township: str,
    village: str,
    station: str | None = None,
    *,
    constituency_level: bool = False,
) -> str:
    """The row's level, one of :data:`LEVELS`, from its code columns.

    ``station`` is the 投開票所 column (elctks, elprof); elbase has none. Pass
    ``constituency_level=True`` for elections with several 選區 per county (legislators,
    councillors): their county-and-選區 rows are then ``constituency``, not ``county``.
    """
    station_case = (
        f"WHEN NOT {cec_is_zero_sql(station)} THEN 'station' " if station is not None else ""
    )
    constituency_case = (
        f"WHEN NOT {cec_is_zero_sql(constituency)} THEN 'constituency' "
        if constituency_level
        else ""
    )
    return (
        f"CASE {station_case}"
        f"WHEN NOT {cec_is_zero_sql(village)} THEN 'village' "
        f"WHEN NOT {cec_is_zero_sql(township)} THEN 'district' "
        f"WHEN {cec_is_zero_sql(province)} AND {cec_is_zero_sql(county)} THEN 'national' "
        f"{constituency_case}"
        "ELSE 'county' END"
    )
