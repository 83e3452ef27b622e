from __future__ import annotations

from datetime import date

import pytest

from kaifang.sources.sqltext import roc_compact_date_sql, trim_padding_sql, unify_tai_sql
from kaifang.sources.theft.parse import (
    address_county_sql,
    address_district_sql,
    address_neighbourhood_sql,
    address_road_sql,
    address_village_sql,
    hour_band_end_sql,
    hour_band_hours_sql,
    hour_band_start_sql,
)
from tests.sources.sql import evaluate


@pytest.mark.parametrize(
    ("band", "start", "end", "hours"),
    [
        ("00~02", 0, 2, 2),
        ("22~24", 22, 24, 2),
        ("18~21", 18, 21, 3),
        (" 18~21", 18, 21, 3),
        ("18 ~ 21 ", 18, 21, 3),
        ("23~01", 23, 1, 2),
        ("11~03", 11, 3, 16),
        ("12~15", 12, 15, 3),
        ("", None, None, None),
        ("不詳", None, None, None),
    ],
)
def test_hour_bands(band: str, start: int | None, end: int | None, hours: int | None) -> None:
    assert evaluate(hour_band_start_sql, [band]) == [start]
    assert evaluate(hour_band_end_sql, [band]) == [end]
    assert evaluate(hour_band_hours_sql, [band]) == [hours]


ADDRESSES = [
    ("臺北市文山區萬美里萬寧街1~30號", "臺北市", "文山區", "萬美里", None, "萬寧街"),
    ("台北市信義區富台里忠孝東路5段295巷6弄1~30號", "臺北市", "信義區", "富臺里", None,
     "忠孝東路5段"),
    ("臺北市中山區新生北路1段91~120號", "臺北市", "中山區", None, None, "新生北路1段"),
    ("臺北市士林區天福里1鄰忠誠路2段130巷1~30號", "臺北市", "士林區", "天福里", 1, "忠誠路2段"),
    ("臺北市大安區光信里027鄰光復南路421~450號", "臺北市", "大安區", "光信里", 27, "光復南路"),
    ("臺北市南港區東明里南港路2段(與興華路口萊爾富超商前)", "臺北市", "南港區", "東明里", None,
     "南港路2段"),
    ("臺北市南港區東明里(家樂福前之機車停車格)", "臺北市", "南港區", "東明里", None, None),
    ("臺北市大同區鄰江里酒泉街228巷", "臺北市", "大同區", "鄰江里", None, "酒泉街"),
    ("臺北市內湖區南湖里東湖捷運站", "臺北市", "內湖區", "南湖里", None, None),
    ("臺北市中正區市民大道2段?臺北車站M2出口機車停車\"", "臺北市", "中正區", None, None,
     "市民大道2段"),
    ("臺北市北投區公館路4段與大業路口", "臺北市", "北投區", None, None, "公館路4段"),
    ("新明路351巷與新明路口", None, None, None, None, "新明路"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "county", "district", "village", "lin", "road"), ADDRESSES)
def test_addresses(
    text: str,
    county: str | None,
    district: str | None,
    village: str | None,
    lin: int | None,
    road: str | None,
) -> None:
    assert evaluate(address_county_sql, [text]) == [county]
    assert evaluate(address_district_sql, [text]) == [district]
    assert evaluate(address_village_sql, [text]) == [village]
    assert evaluate(address_neighbourhood_sql, [text]) == [lin]
    assert evaluate(address_road_sql, [text]) == [road]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1040101", date(2015, 1, 1)),
        ("1120209", date(2023, 2, 9)),
        ("0310316", date(1942, 3, 16)),
        ("990101", date(2010, 1, 1)),
        (" 1021219 ", date(2013, 12, 19)),
        ("1040231", None),
        ("104/01/01", None),
        ("", None),
    ],
)
def test_roc_compact_dates(raw: str, expected: date | None) -> None:
    assert evaluate(roc_compact_date_sql, [raw]) == [expected]


def test_padding_and_tai() -> None:
    assert evaluate(trim_padding_sql, ["\u3000(02)1234567 \u00a0"]) == ["(02)1234567"]
    assert evaluate(unify_tai_sql, ["台北市台中系統"]) == ["臺北市臺中系統"]
