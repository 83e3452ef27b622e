"""What the catalog says about the Freeway Bureau's datasets: the organization, one dataset
per TDCS code (M03A…M08A) and the gantry coordinate table, with full metadata.

The organization code ``315050000M`` is 交通部高速公路局's national organization code (機關代碼)
as a secondary copy of the code table lists it; see docs/sources.md.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from kaifang.catalog.db import Catalog
from kaifang.catalog.metadata import DatasetMetadata, validate_metadata
from kaifang.catalog.models import Organization
from kaifang.sources.freeway.columns import (
    ATTRIBUTION,
    DATASETS,
    GANTRY_TABLE_COLUMNS,
    PUBLISHER,
)
from kaifang.sources.freeway.load import DATE_COLUMN, time_column
from kaifang.sources.model import SourceColumn

ORG_CODE = "315050000M"
ORG_NAME = PUBLISHER
ORG_NAME_EN = "Freeway Bureau, MOTC"
LICENSE = "OGDL-Taiwan-1.0"
LANDING_PAGE = "https://tisvcloud.freeway.gov.tw/history-list.php"
GANTRY_TITLE = "國道計費門架座標及里程牌價表"
GANTRY_RESOURCE = "freeway_gantries"

TITLES_EN: dict[str, str] = {
    "M03A": "Traffic volume by vehicle type at each ETC gantry",
    "M04A": "Median travel time between gantries by vehicle type",
    "M05A": "Median space-mean speed between gantries by vehicle type",
    "M06A": "ETC trip paths (protected: coarsened times, rare trips suppressed)",
    "M07A": "Average trip length by vehicle type and origin gantry",
    "M08A": "Trip counts between gantries (origin-destination) by vehicle type",
}
FREQUENCY: dict[str, str] = {"M03A": "realtime", "M04A": "realtime", "M05A": "realtime"}


def resource_name(code: str) -> str:
    """The table name a dataset's rows are queried by, e.g. ``freeway_m03a``; a new dataset
    gets it as its id too (catalogs made before keep ``etc_m03a``)."""
    return f"freeway_{code.lower()}"


def dataset_title(code: str) -> str:
    return f"國道 ETC {code} {DATASETS[code].title}"


def _field(column: SourceColumn) -> dict[str, Any]:
    kind = "array" if column.name == "TripInformation" else column.type
    unit = f"（單位：{column.unit}）" if column.unit else ""
    return {
        "name": column.name,
        "type": kind,
        "title": column.title,
        "description": f"{column.name} {column.title}：{column.description}{unit}",
    }


GRAIN_FIELDS: list[dict[str, Any]] = [
    {
        "name": "TimeGrain",
        "type": "integer",
        "title": "時間粒度",
        "description": "TimeGrain 時間粒度：本筆旅次各時間已向下取整到的分鐘數（5、15、60、360）；"
        "罕見旅次以較粗的粒度公開（單位：分鐘）",
    },
    {
        "name": "LengthGrain",
        "type": "number",
        "title": "距離粒度",
        "description": "LengthGrain 距離粒度：本筆旅次長度已四捨五入到的公里數（單位：公里）",
    },
]
"""M06A's published grains: every trip says the grain its times and length are published at."""


def dataset_fields(code: str) -> list[dict[str, Any]]:
    """The Table Schema fields of a dataset's published rows (file columns, then ``Date``)."""
    time = time_column(DATASETS[code])
    date = {
        "name": DATE_COLUMN,
        "type": "date",
        "title": "日期",
        "description": f"Date 日期：{time} 的日期，版本依此分區存放",
    }
    grains = GRAIN_FIELDS if code == "M06A" else []
    return [*(_field(c) for c in DATASETS[code].columns), *grains, date]


def gantry_fields() -> list[dict[str, Any]]:
    normalized = {
        "name": "GantryID",
        "type": "string",
        "title": "門架編號",
        "description": "GantryID 門架編號：交通量資料的寫法（01F0005S），可與 M03A 等表合併",
    }
    return [normalized, *(_field(c) for c in GANTRY_TABLE_COLUMNS)]


def _metadata(title: str, title_en: str, description: str, frequency: str) -> DatasetMetadata:
    return validate_metadata(
        {
            "title": title,
            "title_en": title_en,
            "description": description,
            "category": "A00",
            "keywords": ["高速公路", "ETC", "交通量", "TDCS", "國道"],
            "license": LICENSE,
            "update_frequency": frequency,
            "landing_page": LANDING_PAGE,
            "notes": f"使用時請註明資料來源：{ATTRIBUTION}",
            "language": "zh-TW",
        },
        source="freeway",
    )


def dataset_metadata(code: str) -> DatasetMetadata:
    dataset = DATASETS[code]
    step = f"每 {dataset.interval_minutes} 分鐘" if dataset.interval_minutes < 60 else "每小時"
    description = (
        f"交通資料蒐集支援系統（TDCS）{code}「{dataset.title}」，{step}一筆統計，"
        f"取自國道 ETC 門架。資料來源：{ATTRIBUTION}。"
    )
    if code == "M06A":
        description += (
            "旅次資料可能識別個人行蹤：時間與距離已粗化（罕見旅次逐步粗化至 15 分鐘、1 小時、"
            "6 小時），仍少於 k 筆的旅次已刪除；刪除與粗化的筆數見篩檢報告。"
        )
    return _metadata(
        dataset_title(code), TITLES_EN[code], description, FREQUENCY.get(code, "daily")
    )


def gantry_metadata() -> DatasetMetadata:
    return _metadata(
        GANTRY_TITLE,
        "Freeway toll gantries: coordinates, toll distances and car prices",
        f"國道計費門架的方向、編號、收費區設定里程、小車牌價與經緯度。資料來源：{ATTRIBUTION}。",
        "irregular",
    )


def ensure_organization(catalog: Catalog, code: str = ORG_CODE) -> None:
    """Create the Freeway Bureau's organization when the catalog does not have it yet."""
    with catalog.write() as session:
        exists = session.scalar(select(Organization.id).where(Organization.code == code))
        if exists is None:
            session.add(Organization(code=code, name=ORG_NAME, name_en=ORG_NAME_EN))
