"""TDCS datasets M03A–M08A and the gantry coordinate table: columns as the manual names them.

The files have no header; these are the column ids of 「交通資料蒐集支援系統(TDCS)資料使用手冊」
in file order, with the zh-TW title, unit and Table Schema type an importer declares.
"""

from __future__ import annotations

from dataclasses import dataclass

from kaifang.sources.model import SourceColumn

PUBLISHER = "交通部高速公路局"
ATTRIBUTION = "交通部高速公路局「交通資料庫」"

VEHICLE_TYPES: dict[str, str] = {
    "31": "小客車",
    "32": "小貨車",
    "41": "大客車",
    "42": "大貨車",
    "5": "聯結車",
}

_TIME = SourceColumn(
    "TimeInterval", "時間區間", "datetime", "統計時間區間的開始時間（五分鐘或一小時）"
)
_GANTRY = SourceColumn("GantryID", "門架編號", "string", "ETC 門架編號，如 01F0005S")
_FROM = SourceColumn("GantryFrom", "起點門架", "string", "起點（上游）門架編號")
_TO = SourceColumn("GantryTo", "迄點門架", "string", "迄點（下游）門架編號")
_TYPE = SourceColumn(
    "VehicleType", "車種", "string", "31 小客車、32 小貨車、41 大客車、42 大貨車、5 聯結車"
)
_VOLUME = SourceColumn("Volume", "交通量", "integer", "通過車輛數", "輛")


@dataclass(frozen=True)
class TdcsDataset:
    """One TDCS dataset: code, zh-TW name, file cadence and columns in file order."""

    code: str
    title: str
    interval_minutes: int
    columns: tuple[SourceColumn, ...]


M03A = TdcsDataset(
    "M03A",
    "各類車種通行量統計",
    5,
    (
        _TIME,
        _GANTRY,
        SourceColumn("Direction", "方向", "string", "行車方向 N/S/E/W（國3甲門架與編號末碼不同）"),
        _TYPE,
        _VOLUME,
    ),
)
M04A = TdcsDataset(
    "M04A",
    "站間各車種中位數旅行時間",
    5,
    (
        _TIME,
        _FROM,
        _TO,
        _TYPE,
        SourceColumn("TravelTime", "旅行時間", "integer", "站間中位數旅行時間；無車時為 0", "秒"),
        _VOLUME,
    ),
)
M05A = TdcsDataset(
    "M05A",
    "站間各車種中位數行駛車速",
    5,
    (
        _TIME,
        _FROM,
        _TO,
        _TYPE,
        SourceColumn(
            "SpaceMeanSpeed", "行駛車速", "integer", "站間中位數空間平均車速；無車時為 0", "km/h"
        ),
        _VOLUME,
    ),
)
M06A = TdcsDataset(
    "M06A",
    "各旅次路徑原始資料",
    60,
    (
        _TYPE,
        SourceColumn("DetectionTime_O", "起點偵測時間", "datetime", "旅次第一個門架的偵測時間"),
        SourceColumn("GantryID_O", "起點門架", "string", "旅次第一個門架編號"),
        SourceColumn("DetectionTime_D", "迄點偵測時間", "datetime", "旅次最後一個門架的偵測時間"),
        SourceColumn("GantryID_D", "迄點門架", "string", "旅次最後一個門架編號"),
        SourceColumn("TripLength", "旅次長度", "number", "旅次行駛距離", "公里"),
        SourceColumn("TripEnd", "旅次結束", "string", "Y 正常結束、N 異常結束"),
        SourceColumn(
            "TripInformation",
            "旅次路徑",
            "string",
            "以「; 」分隔的「偵測時間+門架編號」序列",
        ),
    ),
)
M07A = TdcsDataset(
    "M07A",
    "各類車種旅次平均長度",
    60,
    (
        _TIME,
        _FROM,
        _TYPE,
        SourceColumn(
            "TripLength", "旅次平均長度", "number", "自起點門架出發旅次的平均長度", "公里"
        ),
        _VOLUME,
    ),
)
M08A = TdcsDataset(
    "M08A",
    "各類車種旅次數量",
    5,
    (_TIME, _FROM, _TO, _TYPE, SourceColumn("Volume", "旅次數", "integer", "起迄旅次數", "旅次")),
)

DATASETS: dict[str, TdcsDataset] = {d.code: d for d in (M03A, M04A, M05A, M06A, M07A, M08A)}

# 國道計費門架座標及里程牌價表 (Big5, one header record spanning two physical lines).
GANTRY_TABLE_HEADER: tuple[str, ...] = (
    "方向",
    "編號",
    "收費區\n設定里程",
    "小車牌價",
    "交流道(起)",
    "交流道(迄)",
    "",
    "緯度(北緯)",
    "",
    "經度(東經)",
)
GANTRY_TABLE_COLUMNS: tuple[SourceColumn, ...] = (
    SourceColumn("direction", "方向", "string", "行車方向"),
    SourceColumn("gantry_code", "編號", "string", "門架編號（01F-000.5S 寫法）"),
    SourceColumn("toll_distance", "收費區設定里程", "number", "收費區段設定里程", "公里"),
    SourceColumn("car_price", "小車牌價", "number", "小車牌價", "元"),
    SourceColumn("interchange_from", "交流道(起)", "string", "區段起點交流道"),
    SourceColumn("interchange_to", "交流道(迄)", "string", "區段迄點交流道"),
    SourceColumn("lat_hemisphere", "北緯", "string", "緯度半球（N）"),
    SourceColumn("latitude", "緯度(北緯)", "number", "門架緯度", "度"),
    SourceColumn("lon_hemisphere", "東經", "string", "經度半球（E）"),
    SourceColumn("longitude", "經度(東經)", "number", "門架經度", "度"),
)
