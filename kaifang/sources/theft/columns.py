"""臺北市政府警察局 竊盜點位資訊: the columns of its files (which have a header row)."""

from __future__ import annotations

from kaifang.sources.model import SourceColumn

PUBLISHER = "臺北市政府警察局"

CATEGORIES: dict[str, str] = {
    "home": "住宅竊盜",
    "car": "汽車竊盜",
    "motorcycle": "機車竊盜",
    "bike": "自行車竊盜",
}

COLUMNS: tuple[SourceColumn, ...] = (
    SourceColumn("編號", "編號", "integer", "案件序號"),
    SourceColumn("案類", "案類", "string", "住宅竊盜、汽車竊盜、機車竊盜、自行車竊盜"),
    SourceColumn("發生日期", "發生日期", "string", "民國年月日 yyyMMdd（如 1040101）"),
    SourceColumn("發生時段", "發生時段", "string", "時段 HH~HH（如 00~02、18~21、23~01）"),
    SourceColumn("發生地點", "發生地點", "string", "去識別化地點：門牌以 1~30 號區間或路口表示"),
)


def file_name(category: str, *, utf8_bom: bool) -> str:
    """The download's file name, e.g. ``臺北市住宅竊盜點位資訊-UTF8-BOM.csv``."""
    suffix = "-UTF8-BOM" if utf8_bom else ""
    return f"臺北市{CATEGORIES[category]}點位資訊{suffix}.csv"
