"""Each detector: hits in the ways Taiwanese files write the identifier, and lookalikes that
must not trip it. Every case screens a 40-row column through the real SQL."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kaifang.privacy import ScreeningReport
from tests.privacy.conftest import (
    luhn_complete,
    national_ids,
    with_check_digit,
    with_wrong_check_digit,
)

ScreenColumns = Callable[[dict[str, list[object]]], ScreeningReport]

IDS = national_ids(8)

HITS = [
    ("tw_national_id", "欄位", IDS),
    ("tw_national_id", "欄位", ["A123456789"]),
    ("tw_national_id", "證號", [i.lower() for i in IDS]),
    ("tw_national_id", "證號", ["Ａ１２３４５６７８９"]),  # full-width
    ("tw_resident_certificate", "證號", ["AA00000009", "AB00000001", "AC00000003", "AD00000005"]),
    ("tw_resident_certificate", "證號", ["A800000014", "A900000007"]),
    ("passport", "護照號碼", ["312345678", "300123456", "298765432"]),
    ("nhi_card", "健保卡號", ["000012345678", "000098765432"]),
    ("phone", "欄位", ["0912-345-678", "0912345678", "+886 912 345 678", "+886-912-345-678"]),
    ("phone", "欄位", ["(02)2345-6789#12", "(049)2910960#2996", "02-2345-6789"]),
    ("phone", "電話", ["0223456789", "049291096"]),
    ("email", "欄位", ["wang@example.com.tw", "Mei.Ling+x@mail.gov.tw"]),
    ("ip_address", "欄位", ["192.168.0.1", "140.112.8.116", "2001:db8::1", "fe80::1"]),
    ("credit_card", "欄位", [luhn_complete("411111111111111"), "5500-0000-0000-0004"]),
    ("vehicle_plate", "欄位", ["ABC-1234", "AB-1234", "1234-AB", "MAN-1111"]),
    ("vehicle_plate", "車牌", ["ABC1234", "123-4567"]),
    ("device_id", "obu_tag", ["3f9a12bc77", "a1b2c3d4e5f6", "00aa11bb22cc"]),
    ("device_id", "欄位", ["00:1a:2b:3c:4d:5e", "a4-5e-60-e8-12-9f"]),
    ("person_name", "欄位", [s + g for s in "王陳林張李黃吳劉" for g in ("小明", "美玲", "大")]),
    ("person_name", "聯絡人", ["歐陽娜娜", "吳先生", "林小姐"]),
    ("person_name", "負責人", ["王小明", "陳美玲"]),
    ("romanized_name", "英文姓名", ["Wang Xiao-Ming", "CHEN, MEI-LING", "Xiao-Ming Lin"]),
    ("address", "欄位", ["臺北市中正區重慶南路一段122號", "新北市板橋區中山路1段161巷3弄5號之1"]),
    ("address", "欄位", ["花蓮縣吉安鄉仁里村5鄰中正路12號"]),
    ("birth_date", "出生日期", ["74/03/12", "民國80年1月2日", "1985-03-12", "0740312", "19900101"]),
    ("coordinates", "欄位", ["25.033964", "121.564468", "22.6273,120.3014"]),
    ("special_category", "欄位", ["E11.9", "J45", "I10", "C50.9"]),
    ("special_category", "診斷", ["第二型糖尿病", "氣喘"]),
    ("special_category", "前科", ["竊盜", "詐欺"]),
    ("company_tax_id", "統一編號", ["04595257", "22099131", "53212539"]),
    ("age", "年齡", ["34", "57歲", "8"]),
    ("sex", "欄位", ["男", "女"]),
    ("coarse_address", "欄位", ["臺北市大安區羅斯福路四段1~30號", "中正區", "大安區龍門里"]),
]


@pytest.mark.parametrize(("detector", "column", "values"), HITS)
def test_detector_fires(
    screen_columns: ScreenColumns, detector: str, column: str, values: list[str]
) -> None:
    report = screen_columns({column: (values * 40)[:40]})
    assert detector in report.column(column).detectors


MISSES = [
    (
        "serial numbers shaped like IDs, wrong checksums",
        "序號",
        [with_wrong_check_digit(i[:9]) for i in IDS],
    ),
    ("gantry ids", "GantryID", ["01F0005S", "03F1234N", "05F0099S", "01H0123N"]),
    ("company tax ids", "統一編號", ["04595257", "22099131", "53212539"]),
    ("postal codes", "郵遞區號", ["100", "10617", "406004", "970"]),
    ("counts", "件數", ["3", "12", "245", "10234"]),
    ("amounts", "金額", ["1250000", "98765432", "3000000000", "450.75"]),
    (
        "ISO timestamps",
        "欄位",
        ["2024-01-05 08:15:00", "2024-01-05T23:55:00", "2023-12-31 00:00:00"],
    ),
    ("hour bands", "時段", ["18~21", "00~03", "06~09"]),
    ("coarsened addresses", "地點", ["臺北市大安區羅斯福路四段1~30號", "中山區松江路31~60號"]),
    ("county names", "縣市", ["臺北市", "高雄市", "連江縣", "金門縣", "林口區"]),
    ("English words", "說明", ["New Taipei", "Open Data", "Main Road"]),
    ("9-digit numbers without a passport column", "欄位", ["312345678", "300123456"]),
    ("12-digit numbers without an NHI column", "欄位", ["000012345678", "123456789012"]),
    ("version strings", "版本", ["1.2.3", "10.0.19045"]),
    ("clock times", "時間", ["08:15:00", "23:59:59"]),
    ("random 16-digit serials", "序號", [f"{i * 104729 + 1234567890123456}" for i in range(40)]),
]

DIRECT = {
    "tw_national_id",
    "tw_resident_certificate",
    "passport",
    "nhi_card",
    "phone",
    "email",
    "ip_address",
    "credit_card",
    "vehicle_plate",
    "device_id",
    "person_name",
    "romanized_name",
    "address",
}


@pytest.mark.parametrize(("case", "column", "values"), MISSES, ids=[m[0] for m in MISSES])
def test_lookalikes_do_not_trip(
    screen_columns: ScreenColumns, case: str, column: str, values: list[str]
) -> None:
    report = screen_columns({column: (values * 40)[:40]})
    col = report.column(column)
    assert not DIRECT & set(col.detectors), case
    assert col.category != "direct_identifier"


def test_company_tax_id_is_recognized_not_personal(screen_columns: ScreenColumns) -> None:
    col = screen_columns({"統一編號": ["04595257", "22099131"] * 20}).column("統一編號")
    assert col.detectors == ["company_tax_id"]
    assert (col.category, col.action) == ("none", "keep")


def test_checksum_lookalikes_are_reported(screen_columns: ScreenColumns) -> None:
    values = [with_wrong_check_digit(i[:9]) for i in IDS] * 5
    report = screen_columns({"序號": values})
    assert [f.code for f in report.findings] == ["checksum_lookalike"]


@pytest.mark.parametrize(
    "prefix", ["A12345678", "F20000010", "Z19999999", "I10000000", "O29999999"]
)
def test_national_id_checksum_matches_python(screen_columns: ScreenColumns, prefix: str) -> None:
    good = with_check_digit(prefix)
    bad = with_wrong_check_digit(good[:9])
    assert "tw_national_id" in screen_columns({"證號": [good] * 10}).column("證號").detectors
    assert screen_columns({"證號": [bad] * 10}).column("證號").detectors == []


@pytest.mark.parametrize(
    ("column", "values", "detector"),
    [
        ("發生日期", ["1130105", "1121231"], "birth_date"),  # 發生日期 contains 生日
        ("信用卡號", ["4111-0456-7890-1234", "4000-0212-3456-7899"], "phone"),
        ("學校代碼", ["100997", "013345", "420588"], "event_time"),  # month/day impossible
        ("健保卡號", ["000012345678"], "device_id"),
    ],
)
def test_lookalike_shapes_inside_other_identifiers(
    screen_columns: ScreenColumns, column: str, values: list[str], detector: str
) -> None:
    assert detector not in screen_columns({column: (values * 40)[:40]}).column(column).detectors
