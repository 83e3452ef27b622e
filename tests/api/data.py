"""The API tests' data: small tables written as CSV, kept in Python too so that each test can
compute the expected answer independently of kaifang."""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ORG = "379130000E"
OTHER_ORG = "376000000A"

GANTRIES = ("01F0005N", "01F0005S", "01F0017N", "03F0150S", "03F0201N", "05F0001S")
VEHICLE_TYPES = (31, 32, 41, 42, 5)
FREEWAY_HEADER = ("id", "TimeInterval", "GantryID", "Direction", "VehicleType", "Volume", "Speed")
FREEWAY_ROWS = 2_500

THEFT_HEADER = ("編號", "案類", "發生日期", "發生地點")
THEFT_ROWS: list[tuple[int, str, str, str]] = [
    (1, "住宅竊盜", "2023-01-01", "大安分局"),
    (2, "汽車竊盜", "2023-01-02", '=HYPERLINK("http://x.invalid","click")'),
    (3, "機車竊盜", "2023-01-03", "+信義分局"),
    (4, "自行車竊盜", "2023-01-04", "-中山分局"),
    (5, "住宅竊盜", "2023-01-05", "@SUM(1+1)"),
    (6, "汽車竊盜", "2023-01-06", "士林分局"),
]
THEFT_FIELDS = {"案類": "竊盜案件的類別", "發生地點": "受理案件的警察分局"}


@dataclass(frozen=True)
class FreewayRow:
    id: int
    time: datetime
    gantry: str
    direction: str
    vehicle_type: int
    volume: int
    speed: float | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "TimeInterval": self.time,
            "GantryID": self.gantry,
            "Direction": self.direction,
            "VehicleType": self.vehicle_type,
            "Volume": self.volume,
            "Speed": self.speed,
        }


def freeway_rows(count: int = FREEWAY_ROWS, seed: int = 7) -> list[FreewayRow]:
    rng = random.Random(seed)
    start = datetime(2024, 1, 1)
    rows = []
    for i in range(count):
        gantry = rng.choice(GANTRIES)
        speed = None if rng.random() < 0.05 else round(rng.uniform(20, 110), 1)
        rows.append(
            FreewayRow(
                id=i + 1,
                time=start + timedelta(minutes=5 * (i // 12)),
                gantry=gantry,
                direction=gantry[-1],
                vehicle_type=rng.choice(VEHICLE_TYPES),
                volume=rng.randint(0, 500),
                speed=speed,
            )
        )
    return rows


def write_freeway(path: Path, rows: list[FreewayRow]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(FREEWAY_HEADER)
        for r in rows:
            writer.writerow(
                [
                    r.id,
                    r.time.strftime("%Y-%m-%d %H:%M:%S"),
                    r.gantry,
                    r.direction,
                    r.vehicle_type,
                    r.volume,
                    "" if r.speed is None else f"{r.speed:.1f}",
                ]
            )
    return path


def write_theft(path: Path, rows: list[tuple[int, str, str, str]] = THEFT_ROWS) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(THEFT_HEADER)
        writer.writerows(rows)
    return path
