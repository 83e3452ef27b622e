"""Catalog exports: a Frictionless Data Package per dataset and the DCAT-AP catalog."""

from __future__ import annotations

import re
from typing import Any

from kaifang.catalog.dcat import DCAT_CONTEXT, THEMES_PATH, theme_scheme, to_dcat

PAGE_SIZE = 100
FRICTIONLESS_TYPES = {
    "string", "integer", "number", "boolean", "date", "datetime", "time", "year", "object",
    "array", "duration", "geopoint", "geojson", "yearmonth", "any",
}  # fmt: skip


def _package_name(text: str) -> str:
    """Data Package names are lower-case letters, digits and ``-._/``."""
    return re.sub(r"[^a-z0-9._/-]+", "-", text.lower()).strip("-") or "dataset"


def datapackage(dataset: dict[str, Any], *, base_url: str) -> dict[str, Any]:
    """A Frictionless Data Package descriptor whose resources are the CSV downloads."""
    licence = dataset["license"]
    package: dict[str, Any] = {
        "name": _package_name(dataset["id"]),
        "id": dataset["identifier"],
        "title": dataset["title"],
        "description": dataset["description"],
        "homepage": f"{base_url}/datasets/{dataset['id']}",
        "keywords": list(dataset["keywords"]),
        "created": dataset["created"],
        "licenses": [
            {
                "name": licence["id"],
                "title": licence["title"],
                **({"path": licence["url"]} if licence["url"] else {}),
            }
        ],
        "contributors": [{"title": dataset["organization"]["name"], "role": "publisher"}],
        "resources": [],
    }
    if dataset.get("personal_data"):  # a custom property: why personal data is published
        package["personal_data"] = dataset["personal_data"]
    for resource in dataset["resources"]:
        if resource.get("current_version") is None:
            continue
        fields = [
            {
                "name": f["name"],
                "type": f.get("type") if f.get("type") in FRICTIONLESS_TYPES else "string",
                **({"description": f["description"]} if f.get("description") else {}),
                **({"title": f["title"]} if f.get("title") else {}),
            }
            for f in resource.get("schema", {}).get("fields", resource.get("fields", []))
        ]
        package["resources"].append(
            {
                "name": _package_name(resource["id"]),
                "title": resource["name"],
                "path": f"{base_url}/api/resources/{resource['id']}/download.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": fields},
            }
        )
    return package


def dcat_catalog(
    datasets: list[dict[str, Any]], *, page: int, base_url: str, total: int, publisher: str
) -> dict[str, Any]:
    """One page of the DCAT-AP 3 catalog as JSON-LD, with Hydra paging links; ``publisher``
    names the catalog's publisher (the portal's operator, the ``catalog_publisher``
    setting)."""
    last = max(1, -(-total // PAGE_SIZE))
    nodes = []
    for dataset in datasets:
        node = to_dcat(dataset, base_url=base_url)
        node.pop("@context", None)
        nodes.append(node)
    view: dict[str, Any] = {
        "@id": f"{base_url}/catalog.jsonld?page={page}",
        "@type": "hydra:PartialCollectionView",
        "hydra:first": f"{base_url}/catalog.jsonld?page=1",
        "hydra:last": f"{base_url}/catalog.jsonld?page={last}",
    }
    if page < last:
        view["hydra:next"] = f"{base_url}/catalog.jsonld?page={page + 1}"
    if page > 1:
        view["hydra:previous"] = f"{base_url}/catalog.jsonld?page={page - 1}"
    scheme, *concepts = theme_scheme(base_url)
    scheme["skos:hasTopConcept"] = concepts
    return {
        "@context": {**DCAT_CONTEXT, "hydra": "http://www.w3.org/ns/hydra/core#"},
        "@id": f"{base_url}/catalog",
        "@type": "dcat:Catalog",
        "dct:title": [
            {"@value": "kaifang 開放資料平臺", "@language": "zh-TW"},
            {"@value": "kaifang open data portal", "@language": "en"},
        ],
        "dct:description": [
            {"@value": "以 kaifang 發布的政府開放資料。", "@language": "zh-TW"},
            {"@value": "Open government data published with kaifang.", "@language": "en"},
        ],
        "dct:publisher": {
            "@id": f"{base_url}/#publisher",
            "@type": ["foaf:Agent", "foaf:Organization"],
            "foaf:name": {"@value": publisher, "@language": "zh-TW"},
            "foaf:homepage": {"@id": base_url + "/"},
        },
        "foaf:homepage": {"@id": base_url + "/"},
        "dcat:themeTaxonomy": scheme,
        "dct:spatial": {"@id": "http://publications.europa.eu/resource/authority/country/TWN"},
        "hydra:totalItems": total,
        "hydra:view": view,
        "dcat:dataset": nodes,
    }


def themes(base_url: str, code: str | None = None) -> dict[str, Any]:
    """The concept scheme of the national service categories (``/themes``) or one of its
    concepts (``/themes/{code}``), as JSON-LD."""
    nodes = theme_scheme(base_url)
    if code is not None:
        wanted = f"{base_url}{THEMES_PATH}/{code}"
        nodes = [n for n in nodes if n["@id"] == wanted]
    return {"@context": DCAT_CONTEXT, "@graph": nodes}
