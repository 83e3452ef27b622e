"""A synthetic national catalog: organizations and datasets with zh-TW titles, descriptions,
keywords and columns, loaded through the catalog's registration path
(:func:`kaifang.catalog.bulk.register_entry`), many datasets per transaction.

Names are drawn from small vocabularies of places, agencies, subjects and kinds of data, so
that searches for common words (停車, 臺北, 空氣品質) find many datasets and facets have many
values, as on the national portal. The same seed gives the same catalog.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

from sqlalchemy import select

from kaifang.catalog.bulk import Entry, register_entries
from kaifang.catalog.categories import CATEGORIES
from kaifang.catalog.db import Catalog
from kaifang.catalog.metadata import DatasetMetadata
from kaifang.catalog.models import Organization, ScoreRecordRow

PLACES = (
    "臺北市", "新北市", "桃園市", "臺中市", "臺南市", "高雄市", "基隆市", "新竹市", "嘉義市",
    "新竹縣", "苗栗縣", "彰化縣", "南投縣", "雲林縣", "嘉義縣", "屏東縣", "宜蘭縣", "花蓮縣",
    "臺東縣", "澎湖縣", "金門縣", "連江縣",
)  # fmt: skip
AGENCIES = (
    "政府", "警察局", "環境保護局", "交通局", "衛生局", "教育局", "社會局", "地政局",
    "文化局", "消防局", "主計處", "工務局", "經濟發展局", "觀光旅遊局", "民政局",
)  # fmt: skip
SUBJECTS = (
    "公有停車場", "空氣品質", "竊盜案件", "交通事故", "垃圾清運", "自來水水質", "公共自行車",
    "路燈", "行道樹", "公園綠地", "圖書館", "托嬰中心", "長期照顧機構", "醫療院所",
    "藥局", "國民小學", "補習班", "人口統計", "戶籍登記", "土地公告現值", "建築執照",
    "違章建築", "公車路線", "捷運站點", "觀光景點", "旅館民宿", "文化資產", "展演場館",
    "消防栓", "避難處所", "颱風災情", "河川水位", "雨量站", "噪音陳情", "市場攤商", "預算執行",
)  # fmt: skip
KINDS = ("資訊", "統計", "清冊", "位置", "即時資料", "年報", "名錄", "申請案件", "點位")
COLUMNS = (
    ("名稱", "設施或案件的名稱"), ("地址", "門牌地址"), ("經度", "WGS84 經度"),
    ("緯度", "WGS84 緯度"), ("行政區", "鄉鎮市區"), ("日期", "資料日期"), ("數量", "件數"),
    ("電話", "聯絡電話"), ("類別", "分類"), ("金額", "新臺幣元"),
)  # fmt: skip
FREQUENCIES = ("每日", "每週", "每月", "每季", "每年", "不定期")
LICENSES = ("OGDL-Taiwan-1.0", "CC-BY-4.0")
BANDS = ((90, "gold", 3), (75, "silver", 2), (55, "bronze", 1), (30, None, 0))
BATCH = 1000


@dataclass(frozen=True)
class CatalogPlan:
    datasets: int
    seed: int = 0

    @property
    def organizations(self) -> int:
        return max(1, min(2000, self.datasets // 50))


def org_code(n: int) -> str:
    """The code of the generator's ``n``-th organization."""
    return f"{300000000 + n * 7:09d}{'ABCDEFGHJK'[n % 10]}"


def _organizations(catalog: Catalog, plan: CatalogPlan) -> list[str]:
    codes = []
    with catalog.write() as session:
        existing = set(session.scalars(select(Organization.code)))
        for n in range(plan.organizations):
            code = org_code(n)
            codes.append(code)
            if code in existing:
                continue
            name = PLACES[n % len(PLACES)] + AGENCIES[(n // len(PLACES)) % len(AGENCIES)]
            suffix = f"第{n // (len(PLACES) * len(AGENCIES)) + 1}分支" if n >= 330 else ""
            session.add(Organization(code=code, name=name + suffix, name_en=f"Agency {n}"))
    return codes


def _entry(rng: random.Random, n: int) -> tuple[DatasetMetadata, list[dict[str, str]]]:
    place = rng.choice(PLACES)
    subject = rng.choice(SUBJECTS)
    title = f"{place}{subject}{rng.choice(KINDS)}"
    description = (
        f"{place}{subject}之{rng.choice(KINDS)}，由{rng.choice(AGENCIES)}"
        f"{rng.choice(FREQUENCIES)}更新，提供民眾查詢與加值應用（第{n}號）。"
    )
    meta = DatasetMetadata(
        title=f"{title}（{n}）",
        description=description,
        category=rng.choice(CATEGORIES).code,
        keywords=[subject, place, rng.choice(KINDS)],
        license=rng.choice(LICENSES),
        update_frequency=rng.choice(FREQUENCIES),
    )
    fields = [
        {"name": name, "type": "string", "description": about}
        for name, about in rng.sample(COLUMNS, 4)
    ]
    return meta, fields


def generate_catalog(catalog: Catalog, plan: CatalogPlan) -> dict[str, object]:
    """Load ``plan.datasets`` datasets with one resource and one score record each into
    ``catalog`` (its organizations are created unless they exist); return counts and the
    load rate."""
    rng = random.Random(plan.seed)
    started = time.perf_counter()
    codes = _organizations(catalog, plan)
    for first in range(0, plan.datasets, BATCH):
        entries = []
        for n in range(first, min(first + BATCH, plan.datasets)):
            meta, fields = _entry(rng, n)
            entries.append(
                Entry(
                    org=codes[n % len(codes)],
                    metadata=meta,
                    file_name=f"d{n}.csv",
                    fields=fields,
                    rows=rng.randint(10, 5000),
                    publisher="generator",
                )
            )
        with catalog.write() as session:
            datasets = register_entries(session, entries)
            for dataset in datasets:
                score, band, stars = rng.choice(BANDS)
                session.add(
                    ScoreRecordRow(
                        dataset_id=dataset.id,
                        score=score,
                        band=band,
                        stars=stars,
                        trigger="rescore",
                    )
                )
    seconds = time.perf_counter() - started
    return {
        "organizations": len(codes),
        "datasets": plan.datasets,
        "seconds": round(seconds, 2),
        "datasets_per_second": round(plan.datasets / seconds, 1) if seconds else None,
    }
