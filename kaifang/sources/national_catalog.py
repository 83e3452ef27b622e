"""A synthetic national catalog: organizations and datasets with zh-TW titles, descriptions,
keywords and three described tables each, published over the last five years, loaded through
the catalog's batched registration path (:func:`kaifang.catalog.bulk.register_entries`), a
thousand datasets per transaction, each with a score record.

Names are drawn from small vocabularies of places, agencies, subjects and kinds of data, so
that searches for common words (停車, 臺北, 空氣品質) find many datasets and facets have many
values, as on the national portal. The same seed gives the same catalog.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import bindparam, insert, select, update

from kaifang.catalog.bulk import Entry, Table, register_entries
from kaifang.catalog.categories import CATEGORIES
from kaifang.catalog.db import Catalog
from kaifang.catalog.metadata import DatasetMetadata
from kaifang.catalog.models import Dataset, Organization, ScoreRecordRow, utcnow

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
TABLES = ("資料", "統計", "欄位說明")
"""Each dataset's tables (resources): the data, its statistics and its data dictionary."""
YEARS = 5


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


def _entry(rng: random.Random, n: int) -> tuple[DatasetMetadata, list[list[dict[str, str]]]]:
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
    tables = [
        [
            {"name": name, "type": "string", "description": about}
            for name, about in rng.sample(COLUMNS, 4)
        ]
        for _ in TABLES
    ]
    return meta, tables


def generate_catalog(catalog: Catalog, plan: CatalogPlan) -> dict[str, object]:
    """Load ``plan.datasets`` datasets with three resources, a version each and one score
    record into ``catalog`` (its organizations are created unless they exist); return counts
    and the load rate."""
    rng = random.Random(plan.seed)
    started, cpu = time.perf_counter(), time.process_time()
    codes = _organizations(catalog, plan)
    now = utcnow()
    resources = 0
    for first in range(0, plan.datasets, BATCH):
        entries = []
        for n in range(first, min(first + BATCH, plan.datasets)):
            meta, tables = _entry(rng, n)
            rows = [rng.randint(10, 5000) for _ in tables]
            entries.append(
                Entry(
                    org=codes[n % len(codes)],
                    metadata=meta,
                    file_name=f"d{n}.csv",
                    fields=tables[0],
                    rows=rows[0],
                    publisher="generator",
                    tables=tuple(
                        Table(f"d{n}_{k}.csv", fields, count)
                        for k, fields, count in zip(
                            range(1, len(tables)), tables[1:], rows[1:], strict=True
                        )
                    ),
                    modified=now - timedelta(minutes=rng.randrange(YEARS * 365 * 24 * 60)),
                )
            )
            resources += len(tables)
        with catalog.write() as session:
            ids = register_entries(session, entries)
            scores = [(i, *rng.choice(BANDS)) for i in ids]
            session.execute(
                insert(ScoreRecordRow),
                [
                    {"dataset_id": i, "score": score, "band": band, "stars": stars,
                     "trigger": "rescore", "recorded_at": now}
                    for i, score, band, stars in scores
                ],
            )  # fmt: skip
            # what kaifang.scoring.records.record_score puts on the dataset row
            session.connection().execute(
                update(Dataset)
                .where(Dataset.id == bindparam("dataset"))
                .values(
                    score=bindparam("new_score"),
                    band=bindparam("new_band"),
                    stars=bindparam("new_stars"),
                    scored_at=now,
                ),
                [
                    {"dataset": i, "new_score": score, "new_band": band, "new_stars": stars}
                    for i, score, band, stars in scores
                ],
            )
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    return {
        "organizations": len(codes),
        "datasets": plan.datasets,
        "resources": resources,
        "seconds": round(seconds, 2),
        "datasets_per_second": round(plan.datasets / seconds, 1) if seconds else None,
        # the loader's own CPU time: on a shared machine the wall time includes waiting for a
        # core (the database server's time is not in it)
        "cpu_seconds": round(cpu_seconds, 2),
        "datasets_per_cpu_second": round(plan.datasets / cpu_seconds, 1) if cpu_seconds else None,
    }
