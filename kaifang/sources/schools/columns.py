"""教育部統計處 學校名錄: each level's file and its columns, in file order.

The column sets differ by level: 國小 has 8 columns, 國中 7 (no 學年度), 高中 9 (with 備註),
幼兒園 adds 鄉鎮市區名稱, and 大專 (103 layout) has a title row and a blank row before its
header, no 公/私立 and a 體系別 column. Codes stay strings (leading zeros).
"""

from __future__ import annotations

from dataclasses import dataclass

from kaifang.sources.model import SourceColumn

PUBLISHER = "教育部統計處"

_YEAR = SourceColumn("學年度", "學年度", "integer", "資料所屬學年度（民國）")
_CODE = SourceColumn("代碼", "代碼", "string", "學校代碼（保留前導 0）")
_NAME = SourceColumn("學校名稱", "學校名稱", "string", "學校名稱")
_OWNER = SourceColumn("公/私立", "公/私立", "string", "公立或私立")
_COUNTY = SourceColumn("縣市名稱", "縣市名稱", "string", "[代碼]縣市名稱，如 [01]新北市")
_DISTRICT = SourceColumn("鄉鎮市區名稱", "鄉鎮市區名稱", "string", "鄉鎮市區名稱")
_ADDRESS = SourceColumn("地址", "地址", "string", "[郵遞區號]地址，如 [234]新北市永和區…")
_PHONE = SourceColumn("電話", "電話", "string", "(區碼)號碼，# 後為分機")
_URL = SourceColumn("網址", "網址", "string", "學校網址")
_NOTE = SourceColumn("備註", "備註", "string", "備註")
_SYSTEM = SourceColumn("體系別", "體系別", "string", "[1]一般、[2]技職、[3]師範")


@dataclass(frozen=True)
class SchoolLevel:
    """One level's file: name, zh-TW title, columns and how its head is written."""

    key: str
    file: str
    title: str
    columns: tuple[SourceColumn, ...]
    bom: bool
    quoted_header: bool
    title_rows: bool = False


LEVELS: dict[str, SchoolLevel] = {
    level.key: level
    for level in (
        SchoolLevel(
            "e1", "e1_new.csv", "國民小學",
            (_YEAR, _CODE, _NAME, _OWNER, _COUNTY, _ADDRESS, _PHONE, _URL), True, True,
        ),
        SchoolLevel(
            "j1", "j1_new.csv", "國民中學",
            (_CODE, _NAME, _OWNER, _COUNTY, _ADDRESS, _PHONE, _URL), True, True,
        ),
        SchoolLevel(
            "high", "high.csv", "高級中等學校",
            (_YEAR, _CODE, _NAME, _OWNER, _COUNTY, _ADDRESS, _PHONE, _URL, _NOTE), True, False,
        ),
        SchoolLevel(
            "u1", "u1_new.csv", "大專校院",
            (_CODE, _NAME, _COUNTY, _ADDRESS, _PHONE, _URL, _SYSTEM), False, False, True,
        ),
        SchoolLevel(
            "k1", "k1_new.csv", "幼兒園",
            (_YEAR, _CODE, _NAME, _OWNER, _COUNTY, _DISTRICT, _ADDRESS, _PHONE, _URL),
            True, True,
        ),
        SchoolLevel(
            "sp1", "sp1_new.csv", "特殊教育學校",
            (_YEAR, _CODE, _NAME, _OWNER, _COUNTY, _ADDRESS, _PHONE, _URL), True, True,
        ),
    )
}  # fmt: skip
