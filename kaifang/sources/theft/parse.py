"""Parsing Taipei theft points, as DuckDB SQL expression builders.

- 發生時段 is an hour band ``HH~HH``: ``00~02``, ``18~21``, ``23~01`` (wraps midnight), with
  stray spaces. The end hour may be 24; an end before the start means the band wraps.
- 發生地點 is a coarsened address: county, district, optional village (里/村), optional
  neighbourhood (鄰), then a road (路/街/大道, with its 段) and a house-number range or an
  intersection. The parts are returned with 台 unified to 臺, as grouping keys; importers
  keep the original text in its own column.
"""

from __future__ import annotations

from kaifang.sources.sqltext import trim_padding_sql, unify_tai_sql

_BAND = r"^([0-9]{1,2})\s*[~～\-]\s*([0-9]{1,2})$"
_ADDRESS = (
    r"^(\S{2}[市縣])?"
    r"(\S{1,3}?[區鄉鎮市])?"
    r"([^0-9０-９路街道巷段號()（）]{1,4}?[里村])?"
    r"(?:([0-9０-９]+)鄰)?"
    r"(.*)$"
)
_ROAD = r"^([^0-9０-９()（）與]+?(?:路|街|大道))([0-9０-９一二三四五六七八九十]+段)?"


def _band_part(expr: str, group: int) -> str:
    text = trim_padding_sql(expr)
    return f"try_cast(nullif(regexp_extract({text}, '{_BAND}', {group}), '') AS INTEGER)"


def hour_band_start_sql(expr: str) -> str:
    """The band's first hour (0–23): ``' 18~21'`` → 18."""
    return _band_part(expr, 1)


def hour_band_end_sql(expr: str) -> str:
    """The band's end hour (1–24): ``23~01`` → 1, ``22~24`` → 24."""
    return _band_part(expr, 2)


def hour_band_hours_sql(expr: str) -> str:
    """How many hours the band covers, across midnight when it wraps: ``23~01`` → 2."""
    start, end = hour_band_start_sql(expr), hour_band_end_sql(expr)
    return f"(({end}) - ({start}) + 24) % 24"


def _address_part(expr: str, group: int) -> str:
    text = unify_tai_sql(trim_padding_sql(expr))
    return f"nullif(regexp_extract({text}, '{_ADDRESS}', {group}), '')"


def address_county_sql(expr: str) -> str:
    """``臺北市`` from ``台北市文山區萬美里萬寧街1~30號`` (台 unified to 臺)."""
    return _address_part(expr, 1)


def address_district_sql(expr: str) -> str:
    """``文山區``."""
    return _address_part(expr, 2)


def address_village_sql(expr: str) -> str:
    """``萬美里``, or NULL when the address names no village."""
    return _address_part(expr, 3)


def address_neighbourhood_sql(expr: str) -> str:
    """The 鄰 number as an integer (``027鄰`` → 27), or NULL."""
    return f"try_cast({_address_part(expr, 4)} AS INTEGER)"


def address_road_sql(expr: str) -> str:
    """The road with its section (``忠孝東路5段``); for an intersection the first road; NULL
    when the place names no road (``(家樂福前之機車停車格)``)."""
    rest = _address_part(expr, 5)
    name = f"regexp_extract({rest}, '{_ROAD}', 1)"
    section = f"regexp_extract({rest}, '{_ROAD}', 2)"
    return f"nullif(concat({name}, CASE WHEN {name} = '' THEN '' ELSE {section} END), '')"
