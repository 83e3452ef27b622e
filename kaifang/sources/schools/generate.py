"""Generate every level's MOE school directory in the statistics office's exact format.

UTF-8 (with BOM except the 大專 file), LF line ends; ``[code]name`` county fields, addresses
with a ``[postal]`` prefix, phones like ``(02)29393091`` or ``(049)2910960#2996``; values
padded with a trailing space or U+3000 are quoted, as in real files; school codes keep
their leading zeros; the 大專 file starts with a title row and a blank row and uses the
legacy county codes (臺北市 as ``[33]``/``[38]``/``[42]``). School names are fictional.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from kaifang.sources.schools.columns import LEVELS, SchoolLevel

# County: today's code, legacy (103) codes, postal range, phone area code.
_COUNTIES: tuple[tuple[str, str, tuple[str, ...], tuple[int, int], str], ...] = (
    ("新北市", "01", ("01",), (207, 253), "02"),
    ("宜蘭縣", "02", ("02",), (260, 272), "03"),
    ("桃園市", "03", ("03",), (320, 338), "03"),
    ("新竹縣", "04", ("04",), (302, 315), "03"),
    ("苗栗縣", "05", ("05",), (350, 369), "037"),
    ("臺中市", "06", ("06", "19"), (400, 439), "04"),
    ("彰化縣", "07", ("07",), (500, 530), "04"),
    ("南投縣", "08", ("08",), (540, 558), "049"),
    ("雲林縣", "09", ("09",), (630, 655), "05"),
    ("嘉義縣", "10", ("10",), (602, 625), "05"),
    ("臺南市", "11", ("11", "21"), (700, 745), "06"),
    ("屏東縣", "13", ("13",), (900, 947), "08"),
    ("臺東縣", "14", ("14",), (950, 966), "089"),
    ("花蓮縣", "15", ("15",), (970, 983), "03"),
    ("澎湖縣", "16", ("16",), (880, 885), "06"),
    ("基隆市", "17", ("17",), (200, 206), "02"),
    ("新竹市", "18", ("18",), (300, 300), "03"),
    ("嘉義市", "20", ("20",), (600, 600), "05"),
    ("臺北市", "30", ("33", "38", "42"), (100, 117), "02"),
    ("高雄市", "64", ("12", "52", "61"), (800, 852), "07"),
    ("金門縣", "71", ("71",), (890, 896), "082"),
    ("連江縣", "72", ("72",), (209, 212), "0836"),
)
_COUNTS = {"e1": 2608, "j1": 740, "high": 510, "u1": 160, "k1": 6500, "sp1": 28}
_SYLLABLES = "育才聖心光復大同信義仁愛中正民生博愛忠孝和平明德華興建國新生青山文昌永福"
_ROADS = ("中正路", "中山路", "民生路", "復興路", "光明路", "文化路", "大學路", "自強街")
_SUFFIX = {"e1": "國小", "j1": "國中", "high": "高中", "k1": "幼兒園", "sp1": "特殊教育學校"}
_NOTES = ("", "", "", "", "完全中學", "附設國中部", "附設進修部")


@dataclass(frozen=True)
class SchoolsPlan:
    """``academic_year`` is the ROC 學年度; ``scale`` multiplies the school counts."""

    academic_year: int = 114
    seed: int = 0
    scale: float = 1.0


@dataclass
class GeneratedSchools:
    files: list[Path] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)


def _cell(value: str) -> str:
    """Quote a value only when it needs it or carries edge padding, as the MOE files do."""
    if any(ch in value for ch in ',"\n') or value != value.strip(" \u3000"):
        return '"' + value.replace('"', '""') + '"'
    return value


def _pad(rng: random.Random, value: str) -> str:
    roll = rng.random()
    if roll < 0.02:
        return value + " "
    if roll < 0.03:
        return value + "\u3000"
    return value


def _phone(rng: random.Random, area: str) -> str:
    digits = {"02": 8, "04": 8}.get(area, {2: 7, 3: rng.choice((6, 7)), 4: 5}[len(area)])
    number = str(rng.randint(2, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(digits - 1))
    text = f"({area}){number}"
    if rng.random() < 0.1:
        text += f"#{rng.randint(10, 6999)}"
    if rng.random() < 0.01:
        text = f"({area}) {number}"
    return text


def _districts(county: str) -> list[str]:
    local = random.Random(county)
    suffix = "區" if county[-1] == "市" else "鄉"
    names = {local.choice(_SYLLABLES) + local.choice(_SYLLABLES) + suffix for _ in range(12)}
    return sorted(n for n in names if n[0] != n[1])


def _school(
    rng: random.Random, level: str, year: int, sequence: dict[str, int], used: set[str]
) -> dict[str, str]:
    county, code, legacy, (low, high), area = rng.choice(_COUNTIES)
    public = rng.random() < (0.35 if level in ("k1", "u1") else 0.9)
    district = rng.choice(_districts(county))
    for attempt in range(1000):
        place = "".join(rng.choice(_SYLLABLES) for _ in range(2 if attempt < 10 else 3))
        if level == "u1":
            kind = rng.choice(("大學", "科技大學", "學院", "護理專科學校"))
            name = ("國立" if public else "私立") + place + kind
        else:
            owner = ("市立" if county[-1] == "市" else "縣立") if public else "私立"
            name = owner + place + _SUFFIX[level]
        if place[0] != place[1] and name not in used:
            used.add(name)
            break
    key = "u1" if level == "u1" else f"{code}{1 if public else 6}"
    sequence[key] = sequence.get(key, 0) + 1
    school_code = f"{sequence[key]:04d}" if level == "u1" else f"{key}{sequence[key]:03d}"
    postal = rng.randint(low, high)
    address = f"[{postal}]{county}{district}{rng.choice(_ROADS)}{rng.randint(1, 400)}號"
    host = "".join(rng.choice("abcdefghijklmnoprstuvwy") for _ in range(rng.randint(3, 6)))
    url = f"{rng.choice(('http', 'https'))}://www.{host}.edu.tw"
    if level == "u1" and rng.random() < 0.02:
        url = "http://" + url
    county_code = rng.choice(legacy) if level == "u1" else code
    return {
        "學年度": str(year),
        "代碼": school_code,
        "學校名稱": name,
        "公/私立": "公立" if public else "私立",
        "縣市名稱": f"[{county_code}]{county}",
        "鄉鎮市區名稱": district,
        "地址": _pad(rng, address),
        "電話": _pad(rng, _phone(rng, area)),
        "網址": url + ("/" if rng.random() < 0.1 else ""),
        "備註": rng.choice(_NOTES),
        "體系別": rng.choice(("[1]一般", "[1]一般", "[2]技職", "[2]技職", "[3]師範")),
    }


def school_rows(level: SchoolLevel, plan: SchoolsPlan) -> list[list[str]]:
    """The level's data rows (values in the level's column order)."""
    rng = random.Random(f"{plan.seed}:{level.key}")
    used: set[str] = set()
    sequence: dict[str, int] = {}
    count = max(1, round(_COUNTS[level.key] * plan.scale))
    schools = [_school(rng, level.key, plan.academic_year, sequence, used) for _ in range(count)]
    schools.sort(key=lambda s: s["代碼"])
    return [[s[c.name] for c in level.columns] for s in schools]


def render_level(level: SchoolLevel, plan: SchoolsPlan, rows: list[list[str]]) -> bytes:
    """The file's bytes, head included."""
    width = len(level.columns)
    lines: list[str] = []
    if level.title_rows:
        lines.append(f"{plan.academic_year}學年度{level.title}名錄" + "," * (width - 1))
        lines.append("," * (width - 1))
    names = [c.name for c in level.columns]
    lines.append(",".join(f'"{n}"' if level.quoted_header else n for n in names))
    lines += [",".join(_cell(v) for v in row) for row in rows]
    text = "\n".join(lines) + "\n"
    return text.encode("utf-8-sig" if level.bom else "utf-8")


def generate_schools(out_dir: Path, plan: SchoolsPlan) -> GeneratedSchools:
    """Write every level's file under ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    result = GeneratedSchools()
    for level in LEVELS.values():
        rows = school_rows(level, plan)
        target = out_dir / level.file
        target.write_bytes(render_level(level, plan, rows))
        result.files.append(target)
        result.rows[level.key] = len(rows)
    return result
