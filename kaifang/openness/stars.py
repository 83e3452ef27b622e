"""The 5-star level (5stardata.info), reported beside the score, per resource and for the
dataset (the level every resource reaches, in step with the rubric's every-resource rule).

- ★1 on the web under an open licence: L1 passes and the resource's current version is
  readable (files present, at least one row);
- ★2 structured: the agency's file is machine-readable (F1's formats);
- ★3 non-proprietary: the file is in an open format (F2's formats);
- ★4 URIs: kaifang gives every dataset, resource and version a URI and describes it in DCAT
  JSON-LD and a Table Schema, so each column is ``<resource URI>#<column>``; such a URI
  *denotes* something only when the column is described, so ★4 needs a description for every
  column of the resource;
- ★5 linked: at least one column holds a shared identifier that links to other data (area
  codes, business numbers, school codes, gantry ids... see ``LINK_KEYS``), matched on the
  normalized column name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kaifang.openness.checks.base import Text
from kaifang.openness.checks.formats import is_machine_readable, is_open_format
from kaifang.openness.checks.licence import canonical_licence
from kaifang.openness.facts import DatasetFacts, ResourceFacts, normalize_column_name

# Normalized column-name fragments of identifiers shared across datasets -> what they link to.
LINK_KEYS: dict[str, str] = {
    "村里代碼": "villages (村里)",
    "villcode": "villages (村里)",
    "鄉鎮市區代碼": "townships (鄉鎮市區)",
    "towncode": "townships (鄉鎮市區)",
    "縣市代碼": "counties (縣市)",
    "countycode": "counties (縣市)",
    "行政區代碼": "administrative areas",
    "行政區域代碼": "administrative areas",
    "郵遞區號": "postal areas",
    "zipcode": "postal areas",
    "postcode": "postal areas",
    "統一編號": "business registry (統一編號)",
    "機關代碼": "government agencies",
    "學校代碼": "schools (學校名錄)",
    "schoolcode": "schools (學校名錄)",
    "門架": "freeway gantries",
    "gantryid": "freeway gantries",
    "車站代碼": "stations",
    "stationid": "stations",
    "stopuid": "bus stops",
    "routeuid": "bus routes",
}
STAR_LABELS: dict[int, Text] = {
    0: Text("未達一星：授權不開放或無法取得", "no star: not open or not obtainable"),
    1: Text("開放授權並可於網路取得", "on the web under an open licence"),
    2: Text("結構化資料", "structured data"),
    3: Text("非專屬格式", "non-proprietary format"),
    4: Text("以 URI 標示（欄位皆有說明）", "URIs denote things (every column described)"),
    5: Text("連結其他資料", "linked to other data"),
}


def linking_columns(resource: ResourceFacts) -> dict[str, str]:
    """Column name -> what it links to, for the columns whose name names a shared id."""
    found = {}
    for column in resource.columns:
        key = normalize_column_name(column.name)
        for fragment, target in LINK_KEYS.items():
            if fragment in key:
                found[column.name] = target
                break
    return found


@dataclass(frozen=True)
class ResourceStars:
    resource: str
    level: int
    links: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        return {"resource": self.resource, "level": self.level, "links": self.links}


@dataclass(frozen=True)
class StarRating:
    level: int
    resources: tuple[ResourceStars, ...]

    @property
    def symbol(self) -> str:
        return "★" * self.level + "☆" * (5 - self.level)

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "symbol": self.symbol,
            "label": STAR_LABELS[self.level].to_dict(),
            "resources": [r.to_dict() for r in self.resources],
        }


def resource_stars(facts: DatasetFacts, resource: ResourceFacts) -> ResourceStars:
    links = linking_columns(resource)
    steps = (
        canonical_licence(facts.license or "") is not None
        and resource.files_present
        and resource.rows > 0,
        is_machine_readable(resource),
        is_open_format(resource),
        bool(resource.columns) and all((c.description or "").strip() for c in resource.columns),
        bool(links),
    )
    level = 0
    for reached in steps:
        if not reached:
            break
        level += 1
    return ResourceStars(resource.id, level, links if level == 5 else {})


def star_rating(facts: DatasetFacts) -> StarRating:
    per_resource = tuple(resource_stars(facts, r) for r in facts.resources)
    level = min((r.level for r in per_resource), default=0)
    return StarRating(level, per_resource)
