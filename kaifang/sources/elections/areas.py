"""Generated administrative areas for election files: counties (real codes), fictional
districts and villages, and polling stations numbered per county.

County codes are versioned by era, as the CEC's are: 臺北市 is ``01,000`` in 2008 and
``63,000`` from 2016 on.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

COUNTIES_2008: tuple[tuple[str, str, str], ...] = (
    ("01", "000", "臺北市"), ("02", "000", "高雄市"), ("10", "001", "臺北縣"),
    ("10", "002", "宜蘭縣"), ("10", "003", "桃園縣"), ("10", "004", "新竹縣"),
    ("10", "005", "苗栗縣"), ("10", "006", "臺中縣"), ("10", "007", "彰化縣"),
    ("10", "008", "南投縣"), ("10", "009", "雲林縣"), ("10", "010", "嘉義縣"),
    ("10", "011", "臺南縣"), ("10", "012", "高雄縣"), ("10", "013", "屏東縣"),
    ("10", "014", "臺東縣"), ("10", "015", "花蓮縣"), ("10", "016", "澎湖縣"),
    ("10", "017", "基隆市"), ("10", "018", "新竹市"), ("10", "019", "臺中市"),
    ("10", "020", "嘉義市"), ("10", "021", "臺南市"), ("09", "020", "金門縣"),
    ("09", "007", "連江縣"),
)  # fmt: skip
COUNTIES_2016: tuple[tuple[str, str, str], ...] = (
    ("63", "000", "臺北市"), ("64", "000", "高雄市"), ("65", "000", "新北市"),
    ("66", "000", "臺中市"), ("67", "000", "臺南市"), ("68", "000", "桃園市"),
    ("10", "002", "宜蘭縣"), ("10", "004", "新竹縣"), ("10", "005", "苗栗縣"),
    ("10", "007", "彰化縣"), ("10", "008", "南投縣"), ("10", "009", "雲林縣"),
    ("10", "010", "嘉義縣"), ("10", "013", "屏東縣"), ("10", "014", "臺東縣"),
    ("10", "015", "花蓮縣"), ("10", "016", "澎湖縣"), ("10", "017", "基隆市"),
    ("10", "018", "新竹市"), ("10", "020", "嘉義市"), ("09", "007", "連江縣"),
    ("09", "020", "金門縣"),
)  # fmt: skip

_SYLLABLES = (
    "安平和興福德仁愛光明文山東西南北新民生永康忠孝復華建國成功長春昌富貴榮隆泰豐順清水田湖港"
)


@dataclass
class Village:
    code: str
    name: str
    stations: list[int]
    electors: list[int]


@dataclass
class District:
    code: str
    name: str
    villages: list[Village]
    population: int = 0
    constituency: int = 0


@dataclass
class County:
    province: str
    county: str
    name: str
    districts: list[District] = field(default_factory=list)
    constituencies: int = 1

    @property
    def city(self) -> bool:
        return self.county == "000" or self.name.endswith("市")


def _place_name(rng: random.Random, used: set[str], suffix: str) -> str:
    while True:
        name = rng.choice(_SYLLABLES) + rng.choice(_SYLLABLES) + suffix
        if name not in used and name[0] != name[1]:
            used.add(name)
            return name


def build_counties(
    rng: random.Random,
    counties: tuple[tuple[str, str, str], ...],
    *,
    scale: float,
    district_step: int,
) -> list[County]:
    """Counties with districts, villages and stations; ``scale`` shrinks the counts."""
    out: list[County] = []
    for province, county_code, name in counties:
        county = County(province, county_code, name)
        used: set[str] = set()
        station = 0
        for d in range(max(1, round(rng.randint(3, 8) * scale))):
            suffix = "區" if county.county == "000" else rng.choice("鄉鄉鎮市")
            villages: list[Village] = []
            for v in range(max(2, round(rng.randint(3, 9) * scale))):
                stations, electors = [], []
                for _ in range(rng.choice((1, 1, 2, 2, 3))):
                    station += 1
                    stations.append(station)
                    electors.append(rng.randint(600, 2400))
                village_suffix = "里" if suffix in "區市" else "村"
                villages.append(
                    Village(
                        f"{v + 1:04d}", _place_name(rng, used, village_suffix), stations, electors
                    )
                )
            if rng.random() < 0.15:
                # A station spanning two villages gets a custom village code with a letter.
                station += 1
                villages.append(
                    Village(
                        "A001",
                        f"{villages[0].name}、{villages[1].name}",
                        [station],
                        [rng.randint(600, 1500)],
                    )
                )
            electorate = sum(sum(v.electors) for v in villages)
            county.districts.append(
                District(
                    f"{(d + 1) * district_step:03d}",
                    _place_name(rng, used, suffix),
                    villages,
                    population=round(electorate / rng.uniform(0.74, 0.84)),
                )
            )
        out.append(county)
    return out


def assign_constituencies(counties: list[County], rng: random.Random) -> None:
    """Split each county's districts into legislative constituencies (1–4, by size)."""
    for county in counties:
        n = min(len(county.districts), 1 + sum(len(d.villages) for d in county.districts) // 25)
        n = max(1, min(n, 4)) if rng.random() < 0.9 else 1
        county.constituencies = n
        for i, district in enumerate(county.districts):
            district.constituency = 1 + i * n // len(county.districts)
