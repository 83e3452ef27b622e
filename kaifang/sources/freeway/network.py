"""A generated ETC gantry network shaped like Taiwan's freeways (about 339 gantries).

Gantries sit on freeways 1, 1H (汐止–楊梅高架), 3, 3A, 5 and the east–west freeways 2, 4, 6,
8 and 10, in both directions, at mileposts along a plausible line through real places. The
network is deterministic: the same ``scale`` always gives the same gantries.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

# (freeway, road letter, gantries per direction at scale 1, increasing-km direction letter,
#  decreasing-km direction letter, waypoints (km, latitude, longitude)).
_Waypoints = tuple[tuple[float, float, float], ...]
_FREEWAYS: tuple[tuple[str, str, int, str, str, _Waypoints], ...] = (
    (
        "01",
        "F",
        70,
        "S",
        "N",
        (
            (0.5, 25.1188, 121.7318),
            (20.0, 25.0700, 121.5800),
            (35.0, 25.0600, 121.4300),
            (60.0, 24.9700, 121.2200),
            (95.0, 24.8000, 121.0200),
            (140.0, 24.5000, 120.8000),
            (180.0, 24.1900, 120.6600),
            (205.0, 24.0500, 120.5400),
            (260.0, 23.5500, 120.4200),
            (300.0, 23.2000, 120.2800),
            (330.0, 22.9600, 120.2500),
            (367.4, 22.6400, 120.3300),
        ),
    ),
    (
        "01",
        "H",
        8,
        "S",
        "N",
        (
            (17.4, 25.0655, 121.5880),
            (33.4, 25.0687, 121.4333),
            (44.7, 25.0601, 121.3319),
            (61.0, 24.9653, 121.2099),
        ),
    ),
    (
        "03",
        "F",
        66,
        "S",
        "N",
        (
            (0.6, 25.1371, 121.7089),
            (20.1, 25.0074, 121.5960),
            (39.4, 24.9752, 121.4549),
            (55.9, 24.9302, 121.3125),
            (99.6, 24.7558, 120.9973),
            (148.5, 24.4673, 120.6812),
            (199.1, 24.1028, 120.5777),
            (250.0, 23.8500, 120.6200),
            (300.0, 23.5000, 120.5000),
            (350.0, 23.1000, 120.4000),
            (400.0, 22.7500, 120.4500),
            (431.0, 22.6000, 120.5000),
        ),
    ),
    ("03", "A", 2, "S", "N", ((0.5, 25.0200, 121.5500), (5.6, 25.0050, 121.6000))),
    (
        "05",
        "F",
        6,
        "S",
        "N",
        (
            (0.5, 25.0300, 121.6200),
            (15.0, 24.9500, 121.7000),
            (30.0, 24.8500, 121.8000),
            (54.0, 24.6600, 121.7800),
        ),
    ),
    ("02", "F", 3, "E", "W", ((0.5, 25.0600, 121.2000), (20.0, 25.0700, 121.3300))),
    ("04", "F", 4, "E", "W", ((0.5, 24.2700, 120.5800), (28.0, 24.2500, 120.8000))),
    ("06", "F", 5, "E", "W", ((0.5, 24.0000, 120.6800), (37.0, 23.9700, 120.9500))),
    ("08", "F", 3, "E", "W", ((0.5, 23.0500, 120.1700), (15.0, 23.0300, 120.3000))),
    ("10", "F", 3, "E", "W", ((0.5, 22.6700, 120.3000), (33.0, 22.7600, 120.5800))),
)

# Cities that make traffic heavier nearby (latitude, longitude, weight).
_CITIES = ((25.05, 121.50, 1.0), (24.15, 120.67, 0.6), (22.63, 120.30, 0.6), (24.80, 121.0, 0.4))

# Interchange names along the segments (place names; 台 as the Freeway Bureau writes it).
_PLACES = (
    "基隆端",
    "八堵",
    "汐止",
    "汐止系統",
    "內湖",
    "圓山",
    "台北",
    "三重",
    "五股",
    "林口",
    "桃園",
    "機場系統",
    "內壢",
    "中壢",
    "平鎮系統",
    "幼獅",
    "楊梅",
    "湖口",
    "竹北",
    "新竹",
    "新竹系統",
    "頭份",
    "頭屋",
    "苗栗",
    "銅鑼",
    "三義",
    "后里",
    "台中系統",
    "豐原",
    "大雅",
    "台中",
    "南屯",
    "王田",
    "彰化系統",
    "彰化",
    "埔鹽系統",
    "員林",
    "北斗",
    "西螺",
    "虎尾",
    "斗南",
    "雲林系統",
    "大林",
    "民雄",
    "嘉義",
    "水上",
    "新營",
    "下營",
    "麻豆",
    "安定",
    "台南系統",
    "永康",
    "大灣",
    "台南",
    "仁德系統",
    "路竹",
    "高科",
    "岡山",
    "楠梓",
    "鼎金系統",
)


@dataclass(frozen=True)
class Gantry:
    """One gantry on one directional line, in travel order (``position`` 0 is upstream)."""

    gantry_id: str
    line: str
    position: int
    direction: str
    reported_direction: str
    milepost_km: float
    travel_km: float
    latitude: float
    longitude: float
    base_flow: float
    interchange_from: str
    interchange_to: str

    @property
    def code(self) -> str:
        """The coordinate table's spelling, e.g. ``01F-000.5S``."""
        tenths = int(self.gantry_id[3:7])
        return f"{self.gantry_id[:3]}-{tenths // 10:03d}.{tenths % 10}{self.gantry_id[7]}"


def _interpolate(waypoints: _Waypoints, km: float) -> tuple[float, float]:
    for (k0, la0, lo0), (k1, la1, lo1) in itertools.pairwise(waypoints):
        if km <= k1 or (k1, la1, lo1) == waypoints[-1]:
            share = 0.0 if k1 == k0 else min(max((km - k0) / (k1 - k0), 0.0), 1.0)
            return la0 + share * (la1 - la0), lo0 + share * (lo1 - lo0)
    return waypoints[-1][1], waypoints[-1][2]


def _base_flow(lat: float, lon: float) -> float:
    """Vehicles per five minutes at a typical daytime hour: heavier near cities."""
    pull = 0.0
    for c_lat, c_lon, weight in _CITIES:
        km = math.hypot((lat - c_lat) * 111.0, (lon - c_lon) * 101.0)
        pull += weight * math.exp(-km / 25.0)
    return 110.0 + 330.0 * min(pull, 1.2)


def _mileposts(start: float, end: float, count: int, salt: int) -> list[float]:
    """``count`` distinct mileposts from start to end with deterministic jitter (0.1 km)."""
    if count == 1:
        return [round(start, 1)]
    step = (end - start) / (count - 1)
    posts: list[float] = []
    for i in range(count):
        jitter = ((i * 7919 + salt * 104729) % 11 - 5) / 20.0 * step if 0 < i < count - 1 else 0
        km = round(start + i * step + jitter, 1)
        if posts and km <= posts[-1]:
            km = round(posts[-1] + 0.1, 1)
        posts.append(km)
    return posts


def build_network(scale: float = 1.0) -> list[Gantry]:
    """The gantries of every directional line, upstream first. ``scale`` < 1 keeps fewer
    gantries per line (at least two), for tests and demos."""
    gantries: list[Gantry] = []
    place = 0
    for number, road, per_direction, up_letter, down_letter, waypoints in _FREEWAYS:
        count = max(2, round(per_direction * scale))
        posts = _mileposts(waypoints[0][0], waypoints[-1][0], count, int(number) * 31 + ord(road))
        names = [_PLACES[(place + i) % len(_PLACES)] for i in range(count + 1)]
        place += count
        for letter, ordered in ((up_letter, posts), (down_letter, posts[::-1])):
            reported = {"N": "W", "S": "E"}[letter] if road == "A" else letter
            if scale >= 1.0 and (number, road, letter) == ("01", "F", down_letter):
                # One gantry is on one side of the road only, as in the manual's 339 codes.
                ordered = ordered[: len(ordered) // 2] + ordered[len(ordered) // 2 + 1 :]
            origin = ordered[0]
            line = f"{number}{road}{letter}"
            for position, km in enumerate(ordered):
                lat, lon = _interpolate(waypoints, km)
                offset = 0.00012 if letter in "NW" else -0.00012
                index = posts.index(km)
                gantries.append(
                    Gantry(
                        gantry_id=f"{number}{road}{round(km * 10):04d}{letter}",
                        line=line,
                        position=position,
                        direction=letter,
                        reported_direction=reported,
                        milepost_km=km,
                        travel_km=round(abs(km - origin), 1),
                        latitude=round(lat + offset, 6),
                        longitude=round(lon + offset, 6),
                        base_flow=round(_base_flow(lat, lon), 1),
                        interchange_from=names[index] if letter == up_letter else names[index + 1],
                        interchange_to=names[index + 1] if letter == up_letter else names[index],
                    )
                )
    return gantries


@dataclass(frozen=True)
class GantryPair:
    """Consecutive gantries on a line (M04A/M05A), or a U-turn pair at one milepost."""

    gantry_from: str
    gantry_to: str
    distance_km: float
    base_flow: float
    u_turn: bool


def build_pairs(gantries: list[Gantry]) -> list[GantryPair]:
    """Upstream→downstream pairs on every line, plus a few U-turn pairs (speed 0 upstream)."""
    pairs: list[GantryPair] = []
    by_line: dict[str, list[Gantry]] = {}
    for g in gantries:
        by_line.setdefault(g.line, []).append(g)
    for line_gantries in by_line.values():
        for a, b in itertools.pairwise(line_gantries):
            distance = max(round(b.travel_km - a.travel_km, 1), 0.1)
            pairs.append(GantryPair(a.gantry_id, b.gantry_id, distance, a.base_flow, False))
    ids = {g.gantry_id for g in gantries}
    for g in by_line.get("01FN", [])[-3:]:
        twin = g.gantry_id[:7] + "S"
        if twin in ids:
            pairs.append(GantryPair(g.gantry_id, twin, 0.1, g.base_flow * 0.02, True))
    return sorted(pairs, key=lambda p: (p.gantry_from, p.gantry_to))
