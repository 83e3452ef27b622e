"""Mapping a dataset (the ``show`` object) to DCAT-AP 3 (JSON-LD) and to a CKAN package.
docs/metadata.md has the field-by-field table.

DCAT-AP 3's ranges are kept: formats and media types are EU file-type and IANA IRIs, themes
are IRIs of kaifang's concept scheme of the 18 national service categories (served at
``/themes``), ``dct:spatial`` is Taiwan's EU country IRI plus a location (geometry or place
name), dates are typed literals, publishers are ``foaf:Agent`` s with a name."""

from __future__ import annotations

import re
from typing import Any

from kaifang.catalog.categories import CATEGORIES, category
from kaifang.catalog.datasets import personal_data_text

DCAT_CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "locn": "http://www.w3.org/ns/locn#",
    "gsp": "http://www.opengis.net/ont/geosparql#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
}
# EU vocabulary of frequencies used by DCAT-AP.
FREQUENCY_URI = "http://publications.europa.eu/resource/authority/frequency/"
FREQUENCIES = {
    "realtime": "CONT",
    "hourly": "HOURLY",
    "daily": "DAILY",
    "weekly": "WEEKLY",
    "monthly": "MONTHLY",
    "quarterly": "QUARTERLY",
    "semiannual": "ANNUAL_2",
    "yearly": "ANNUAL",
    "irregular": "IRREG",
    "never": "NEVER",
}
LANGUAGE_URI = "http://publications.europa.eu/resource/authority/language/"
LANGUAGES = {"zh-TW": "ZHO", "en": "ENG"}
FILE_TYPE_URI = "http://publications.europa.eu/resource/authority/file-type/"
MEDIA_TYPE_URI = "http://www.iana.org/assignments/media-types/"
COUNTRY_TAIWAN = "http://publications.europa.eu/resource/authority/country/TWN"
SPDX_URI = "http://spdx.org/licenses/"
DISTRIBUTION_FORMAT = ("csv", "CSV", "text/csv")
"""The download each distribution points at: kaifang's format, the EU file type, IANA's
media type (every download format is listed on the resource's accessURL)."""
THEMES_PATH = "/themes"
"""Where kaifang publishes the concept scheme of the 18 national service categories."""


def theme_iri(base_url: str, code: str) -> str:
    return f"{base_url.rstrip('/')}{THEMES_PATH}/{code}"


def theme_scheme(base_url: str) -> list[dict[str, Any]]:
    """The ``skos:ConceptScheme`` of the national service categories and its 18 concepts
    (the IRIs ``dcat:theme`` points at; served at ``/themes`` and ``/themes/{code}``)."""
    scheme = f"{base_url.rstrip('/')}{THEMES_PATH}"
    nodes: list[dict[str, Any]] = [
        {
            "@id": scheme,
            "@type": "skos:ConceptScheme",
            "dct:title": [
                {"@value": "政府資料開放服務分類", "@language": "zh-TW"},
                {
                    "@value": "Service categories of Taiwan's open government data",
                    "@language": "en",
                },
            ],
            "skos:hasTopConcept": [{"@id": theme_iri(base_url, c.code)} for c in CATEGORIES],
        }
    ]
    nodes += [theme_concept(base_url, c.code) for c in CATEGORIES]
    return nodes


def theme_concept(base_url: str, code: str) -> dict[str, Any]:
    cat = category(code)
    return {
        "@id": theme_iri(base_url, cat.code),
        "@type": "skos:Concept",
        "skos:notation": cat.code,
        "skos:prefLabel": [
            {"@value": cat.name, "@language": "zh-TW"},
            {"@value": cat.name_en, "@language": "en"},
        ],
        "skos:inScheme": {"@id": f"{base_url.rstrip('/')}{THEMES_PATH}"},
        "skos:topConceptOf": {"@id": f"{base_url.rstrip('/')}{THEMES_PATH}"},
    }


def temporal_literal(text: str) -> dict[str, str]:
    """An ISO date or timestamp as a typed literal (xsd:dateTime, date, gYearMonth, gYear)."""
    if "T" in text:
        kind = "dateTime"
    else:
        kind = {10: "date", 7: "gYearMonth", 4: "gYear"}.get(len(text), "date")
    return {"@value": text, "@type": f"xsd:{kind}"}


def _text(value: str) -> dict[str, str]:
    return {"@value": value, "@language": "zh-TW"}


def _languages(code: str) -> list[dict[str, str]]:
    return [
        {"@id": LANGUAGE_URI + LANGUAGES[c], "@type": "dct:LinguisticSystem"}
        for c in code.split(",")
        if c in LANGUAGES
    ]


def _license(dataset: dict[str, Any]) -> dict[str, str]:
    licence = dataset["license"]
    return {"@id": licence["url"] or SPDX_URI + licence["id"], "@type": "dct:LicenseDocument"}


_BBOX = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*,"
                   r"\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$")  # fmt: skip


def spatial(text: str) -> list[dict[str, Any]]:
    """``dct:spatial``: Taiwan as the EU country IRI, and a ``dct:Location`` with the text's
    geometry (``min_lon,min_lat,max_lon,max_lat`` as a WKT bounding box) or its place name."""
    nodes: list[dict[str, Any]] = [{"@id": COUNTRY_TAIWAN, "@type": "dct:Location"}]
    box = _BBOX.match(text)
    if box:
        x1, y1, x2, y2 = box.groups()
        wkt = f"POLYGON(({x1} {y1},{x2} {y1},{x2} {y2},{x1} {y2},{x1} {y1}))"
        nodes.append(
            {"@type": "dct:Location", "dcat:bbox": {"@value": wkt, "@type": "gsp:wktLiteral"}}
        )
    elif text.strip():
        nodes.append({"@type": "dct:Location", "locn:geographicName": _text(text.strip())})
    return nodes


def publisher(org: dict[str, Any], base_url: str) -> dict[str, Any]:
    return {
        "@id": f"{base_url.rstrip('/')}/organizations/{org['code']}",
        "@type": ["foaf:Agent", "foaf:Organization"],
        "foaf:name": _text(org["name"]),
        "dct:identifier": org["code"],
    }


def distribution(
    dataset: dict[str, Any], resource: dict[str, Any], base_url: str
) -> dict[str, Any]:
    base = base_url.rstrip("/")
    fmt, file_type, media_type = DISTRIBUTION_FORMAT
    node: dict[str, Any] = {
        "@id": f"{base}/api/resources/{resource['id']}#{fmt}",
        "@type": "dcat:Distribution",
        "dct:identifier": resource["identifier"],
        "dct:title": _text(resource["name"]),
        "dcat:accessURL": {"@id": f"{base}/api/resources/{resource['id']}"},
        "dcat:downloadURL": {"@id": f"{base}/api/resources/{resource['id']}/download.{fmt}"},
        "dct:format": {"@id": FILE_TYPE_URI + file_type, "@type": "dct:MediaTypeOrExtent"},
        "dcat:mediaType": {"@id": MEDIA_TYPE_URI + media_type, "@type": "dct:MediaType"},
        "dct:license": _license(dataset),
    }
    if resource.get("modified"):
        node["dct:modified"] = temporal_literal(resource["modified"])
    return node


def to_dcat(dataset: dict[str, Any], *, base_url: str) -> dict[str, Any]:
    """A ``dcat:Dataset`` node (JSON-LD) for one dataset; its distributions are the current
    versions' downloads (a resource with no published version has nothing to download)."""
    url = f"{base_url.rstrip('/')}/datasets/{dataset['id']}"
    node: dict[str, Any] = {
        "@context": DCAT_CONTEXT,
        "@id": url,
        "@type": "dcat:Dataset",
        "dct:identifier": dataset["identifier"],
        "dct:title": [_text(dataset["title"])],
        "dct:description": _text(dataset["description"] or dataset["title"]),
        "dct:publisher": publisher(dataset["organization"], base_url),
        "dcat:keyword": [_text(k) for k in dataset["keywords"]],
        "dct:license": _license(dataset),
        "dct:issued": temporal_literal(dataset["created"]),
        "dct:modified": temporal_literal(dataset["modified"]),
        "dcat:landingPage": {"@id": dataset["landing_page"] or url, "@type": "foaf:Document"},
        "dct:spatial": spatial(dataset["spatial"] or ""),
        "dcat:distribution": [
            distribution(dataset, r, base_url)
            for r in dataset["resources"]
            if r.get("current_version") is not None
        ],
    }
    if dataset["title_en"]:
        node["dct:title"].append({"@value": dataset["title_en"], "@language": "en"})
    if dataset["category"]:
        node["dcat:theme"] = {"@id": theme_iri(base_url, dataset["category"])}
    if dataset["update_frequency"] in FREQUENCIES:
        node["dct:accrualPeriodicity"] = {
            "@id": FREQUENCY_URI + FREQUENCIES[dataset["update_frequency"]],
            "@type": "dct:Frequency",
        }
    if dataset["language"]:
        node["dct:language"] = _languages(dataset["language"])
    span = dataset["temporal_coverage"]
    if span["from"] or span["to"]:
        node["dct:temporal"] = {
            "@type": "dct:PeriodOfTime",
            **({"dcat:startDate": temporal_literal(span["from"])} if span["from"] else {}),
            **({"dcat:endDate": temporal_literal(span["to"])} if span["to"] else {}),
        }
    records = dataset.get("personal_data") or []
    if records:  # the legal basis or exception under which personal data is published
        node["dct:rights"] = {
            "@type": "dct:RightsStatement",
            "rdfs:label": [{"@value": personal_data_text(records), "@language": "zh-TW"}],
        }
        node["dct:conformsTo"] = [
            {"@type": "dct:Standard", "dct:title": f"{r['law']}{r['article']}"}
            for r in records
            if r["kind"] == "legal_basis"
        ]
    contact = dataset["contact"]
    if any(contact.values()):
        point: dict[str, Any] = {
            "@type": "vcard:Kind",
            "vcard:fn": contact["name"] or dataset["organization"]["name"],
        }
        if contact["email"]:
            point["vcard:hasEmail"] = {"@id": f"mailto:{contact['email']}"}
        if contact["phone"]:
            point["vcard:hasTelephone"] = {"@id": "tel:" + re.sub(r"[^0-9+]", "", contact["phone"])}
        node["dcat:contactPoint"] = point
    return node


def _personal_data_extras(records: list[dict[str, Any]]) -> dict[str, str]:
    """CKAN extras (string values) for the legal bases and exceptions recorded."""
    bases = [r for r in records if r["kind"] == "legal_basis"]
    if not records:
        return {}
    return {
        "legal_basis": "；".join(r["label"] for r in bases),
        "legal_basis_columns": "；".join("、".join(r["columns"]) for r in bases),
        "legal_basis_approved_by": "；".join(r["approved_by"] for r in bases),
        "personal_data": personal_data_text(records),
    }


def to_ckan_package(dataset: dict[str, Any]) -> dict[str, Any]:
    """A CKAN ``package_show`` result for one dataset (core fields plus ``extras``)."""
    extras = {
        "identifier": dataset["identifier"],
        "category": dataset["category"],
        "cost": dataset["cost"],
        "update_frequency": dataset["update_frequency"],
        "temporal_coverage_from": dataset["temporal_coverage"]["from"],
        "temporal_coverage_to": dataset["temporal_coverage"]["to"],
        "spatial": dataset["spatial"],
        "language": dataset["language"],
        "contact_phone": dataset["contact"]["phone"],
        **_personal_data_extras(dataset.get("personal_data") or []),
    }
    return {
        "id": dataset["id"],
        "name": dataset["id"],
        "title": dataset["title"],
        "notes": dataset["description"],
        "url": dataset["landing_page"],
        "license_id": dataset["license"]["id"],
        "license_title": dataset["license"]["title"],
        "license_url": dataset["license"]["url"],
        "maintainer": dataset["contact"]["name"],
        "maintainer_email": dataset["contact"]["email"],
        "author": dataset["organization"]["name"],
        "organization": {
            "name": dataset["organization"]["code"].lower(),
            "title": dataset["organization"]["name"],
        },
        "owner_org": dataset["organization"]["code"].lower(),
        "metadata_created": dataset["created"],
        "metadata_modified": dataset["modified"],
        "state": "active",
        "private": False,
        "type": "dataset",
        "tags": [{"name": k, "display_name": k} for k in dataset["keywords"]],
        "num_tags": len(dataset["keywords"]),
        "num_resources": len(dataset["resources"]),
        "resources": [
            {
                "id": r["id"],
                "package_id": dataset["id"],
                "name": r["name"],
                "format": "Parquet",
                "datastore_active": r["current_version"] is not None,
                "last_modified": r["modified"],
            }
            for r in dataset["resources"]
        ],
        "extras": [{"key": k, "value": v} for k, v in extras.items() if v],
    }
