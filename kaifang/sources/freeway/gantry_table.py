"""The companion 國道計費門架座標及里程牌價表, written as the Freeway Bureau publishes it.

Big5 (CP950), LF line ends, a header record whose third cell is quoted and spans two lines,
two empty header cells before the hemisphere letters, and ids spelled ``01F-000.5S``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from kaifang.sources.freeway.columns import GANTRY_TABLE_HEADER
from kaifang.sources.freeway.network import Gantry


def _number(value: float) -> str:
    text = f"{value:.8f}".rstrip("0").rstrip(".")
    return text or "0"


def gantry_table_name(version: date) -> str:
    """The file name, with the table's version as an ROC date (``104.09.04版``)."""
    roc = f"{version.year - 1911}.{version.month:02d}.{version.day:02d}"
    return f"國道計費門架座標及里程牌價表{roc}版.csv"


def gantry_table_text(gantries: list[Gantry]) -> str:
    """The table's text: one row per gantry, direction by direction along each freeway."""
    header = ",".join(f'"{cell}"' if "\n" in cell else cell for cell in GANTRY_TABLE_HEADER)
    lines = [header]
    previous: dict[str, float] = {}
    for g in gantries:
        distance = g.travel_km - previous.get(g.line, g.travel_km - 1.2)
        previous[g.line] = g.travel_km
        distance = max(round(distance, 1), 0.1)
        lines.append(
            ",".join(
                (
                    g.direction,
                    g.code,
                    _number(distance),
                    _number(round(distance * 1.2, 1)),
                    g.interchange_from,
                    g.interchange_to,
                    "N",
                    _number(g.latitude),
                    "E",
                    _number(g.longitude),
                )
            )
        )
    return "\n".join(lines) + "\n"


def write_gantry_table(out_dir: Path, gantries: list[Gantry], version: date) -> Path:
    """Write the table in CP950 under ``out_dir`` and return its path."""
    target = out_dir / gantry_table_name(version)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(gantry_table_text(gantries).encode("cp950"))
    return target
