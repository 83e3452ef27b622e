"""Mapping a dataset (the ``show`` object) to DCAT-AP (JSON-LD) and to a CKAN package.
docs/metadata.md has the field-by-field table."""

from __future__ import annotations

from typing import Any

from kaifang.catalog.datasets import personal_data_text

DCAT_CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
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


def _languages(code: str) -> list[dict[str, str]]:
    return [{"@id": LANGUAGE_URI + LANGUAGES[c]} for c in code.split(",") if c in LANGUAGES]


def to_dcat(dataset: dict[str, Any], *, base_url: str) -> dict[str, Any]:
    """A ``dcat:Dataset`` node (JSON-LD) for one dataset."""
    url = f"{base_url.rstrip('/')}/datasets/{dataset['id']}"
    node: dict[str, Any] = {
        "@context": DCAT_CONTEXT,
        "@id": url,
        "@type": "dcat:Dataset",
        "dct:identifier": dataset["identifier"],
        "dct:title": [{"@value": dataset["title"], "@language": "zh-TW"}],
        "dct:description": dataset["description"],
        "dct:publisher": {
            "@type": "foaf:Organization",
            "foaf:name": dataset["organization"]["name"],
            "dct:identifier": dataset["organization"]["code"],
        },
        "dcat:keyword": dataset["keywords"],
        "dct:license": {"@id": dataset["license"]["url"] or dataset["license"]["id"]},
        "dct:issued": dataset["created"],
        "dct:modified": dataset["modified"],
        "dcat:landingPage": {"@id": dataset["landing_page"] or url},
        "dcat:distribution": [
            {
                "@type": "dcat:Distribution",
                "@id": f"{base_url.rstrip('/')}/api/datasets/{dataset['id']}/{r['id']}",
                "dct:identifier": r["identifier"],
                "dct:title": r["name"],
                "dcat:accessURL": {
                    "@id": f"{base_url.rstrip('/')}/api/datasets/{dataset['id']}/{r['id']}"
                },
                "dct:format": "Parquet",
                "dct:license": {"@id": dataset["license"]["url"] or dataset["license"]["id"]},
            }
            for r in dataset["resources"]
        ],
    }
    if dataset["title_en"]:
        node["dct:title"].append({"@value": dataset["title_en"], "@language": "en"})
    if dataset["category"]:
        node["dcat:theme"] = f"{dataset['category']} {dataset['category_name']}"
    if dataset["update_frequency"] in FREQUENCIES:
        node["dct:accrualPeriodicity"] = {
            "@id": FREQUENCY_URI + FREQUENCIES[dataset["update_frequency"]]
        }
    if dataset["language"]:
        node["dct:language"] = _languages(dataset["language"])
    span = dataset["temporal_coverage"]
    if span["from"] or span["to"]:
        node["dct:temporal"] = {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": span["from"],
            "dcat:endDate": span["to"],
        }
    if dataset["spatial"]:
        node["dct:spatial"] = dataset["spatial"]
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
        node["dcat:contactPoint"] = {
            "@type": "vcard:Kind",
            "vcard:fn": contact["name"],
            "vcard:hasEmail": f"mailto:{contact['email']}" if contact["email"] else None,
            "vcard:hasTelephone": contact["phone"] or None,
        }
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
