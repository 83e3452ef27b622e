from __future__ import annotations

from kaifang.catalog import open_catalog, show_dataset
from kaifang.catalog.dcat import to_ckan_package, to_dcat
from kaifang.publish import publish_file
from kaifang.settings import Settings
from tests.publishing import ORG, WriteCsv

META = {
    "title": "竊盜點位",
    "title_en": "Theft locations",
    "description": "住宅竊盜",
    "category": "E00",
    "keywords": ["竊盜"],
    "update_frequency": "monthly",
    "temporal_coverage": {"from": "2023-01-01", "to": "2023-12-31"},
    "contact": {"name": "王", "email": "w@example.gov.tw", "phone": "02-1"},
}


def test_dcat_and_ckan_mappings(org_settings: Settings, write_csv: WriteCsv) -> None:
    result = publish_file(
        org_settings, write_csv("theft.csv", ["a"], [[1]]), org=ORG, metadata=META
    )
    with open_catalog(org_settings) as catalog:
        shown = show_dataset(catalog, result.dataset).to_dict()
    dcat = to_dcat(shown, base_url="http://example.org/")
    assert dcat["@type"] == "dcat:Dataset"
    assert dcat["dct:identifier"] == result.dataset_identifier
    assert {"@value": "Theft locations", "@language": "en"} in dcat["dct:title"]
    assert dcat["dct:accrualPeriodicity"]["@id"].endswith("/MONTHLY")
    assert dcat["dct:license"] == {
        "@id": "https://data.gov.tw/license",
        "@type": "dct:LicenseDocument",
    }
    assert dcat["dct:temporal"]["dcat:startDate"] == {"@value": "2023-01-01", "@type": "xsd:date"}
    assert dcat["dct:issued"]["@type"] == "xsd:dateTime"
    assert dcat["dcat:contactPoint"]["vcard:hasEmail"] == {"@id": "mailto:w@example.gov.tw"}
    assert dcat["dcat:contactPoint"]["vcard:hasTelephone"] == {"@id": "tel:021"}
    assert dcat["dcat:theme"] == {"@id": "http://example.org/themes/E00"}
    assert [d["dct:identifier"] for d in dcat["dcat:distribution"]] == [result.resource_identifier]
    (distribution,) = dcat["dcat:distribution"]
    assert distribution["dcat:downloadURL"]["@id"].endswith(f"/{result.resource}/download.csv")
    assert distribution["dct:format"]["@id"].endswith("/file-type/CSV")
    ckan = to_ckan_package(shown)
    assert (ckan["name"], ckan["title"], ckan["notes"]) == (result.dataset, "竊盜點位", "住宅竊盜")
    assert ckan["license_id"] == "OGDL-Taiwan-1.0"
    assert ckan["organization"]["name"] == ORG.lower()
    assert ckan["tags"] == [{"name": "竊盜", "display_name": "竊盜"}]
    assert {"key": "category", "value": "E00"} in ckan["extras"]
    assert ckan["resources"][0]["id"] == result.resource
