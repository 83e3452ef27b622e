"""Issue 16 hole 1: the legal basis, the columns it covers and who approved it are shown
wherever the dataset is listed (dataset page, search, organization page) and in every API's
metadata (native, CKAN, the national spec, DCAT, datapackage.json)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from kaifang.app import create_app
from kaifang.catalog import list_datasets, open_catalog
from kaifang.publish import publish_file
from kaifang.settings import Settings
from tests.publishing import ORG, WriteCsv, listed

BASIS = "公職人員選舉罷免法第47條"


def test_the_basis_its_columns_and_approver_are_everywhere(
    org_settings: Settings, write_csv: WriteCsv
) -> None:
    rows = [("宋楚瑜", "1942-03-16"), ("王小明", "1960-05-01"), ("陳美玲", "1971-11-23")]
    file = write_csv("candidates.csv", ["姓名", "出生日期"], rows)
    basis = listed(BASIS, "姓名")
    result = publish_file(
        org_settings, file, org=ORG, title="候選人", allow_personal_data=basis, publisher="主任委員"
    )
    other = publish_file(
        org_settings, write_csv("counts.csv", ["代碼", "件數"], [("01", 7)]), org=ORG, title="件數"
    )
    with open_catalog(org_settings) as catalog:
        found = {d.slug: d for d in list_datasets(catalog).data}
    assert found[result.dataset].legal_basis == BASIS
    record = found[result.dataset].to_dict()["personal_data"]
    assert [(r["kind"], r["label"], r["columns"], r["approved_by"]) for r in record] == [
        ("legal_basis", BASIS, ["姓名"], "tester")
    ]
    assert found[other.dataset].to_dict()["personal_data"] == []
    shown = [BASIS, "姓名", "tester"]
    with TestClient(create_app(org_settings)) as client:
        native = client.get(f"/api/datasets/{result.dataset}").json()
        assert native["personal_data"] == record
        listing = client.get("/api/datasets", params={"q": "候選人"}).json()["data"]
        assert [d["personal_data"] for d in listing] == [record]
        for page in (
            f"/datasets/{result.dataset}",
            "/search?q=候選人",
            f"/organizations/{ORG}",
            f"/datasets/{result.dataset}?lang=en",
        ):
            text = client.get(page).text
            assert all(part in text for part in shown), page
        ckan = client.get("/api/3/action/package_show", params={"id": result.dataset}).json()
        extras = {e["key"]: e["value"] for e in ckan["result"]["extras"]}
        assert (extras["legal_basis"], extras["legal_basis_columns"]) == (BASIS, "姓名")
        assert extras["legal_basis_approved_by"] == "tester"
        identifier = native["identifier"]
        spec = client.get(f"/api/v1/rest/dataset/{identifier}").json()["result"]
        assert all(part in spec["notes"] for part in shown)
        dcat = client.get("/catalog.jsonld").json()
        node = next(n for n in dcat["dcat:dataset"] if n["dct:identifier"] == identifier)
        rights = node["dct:rights"]["rdfs:label"][0]["@value"]
        assert all(part in rights for part in shown)
        assert node["dct:conformsTo"] == [{"@type": "dct:Standard", "dct:title": BASIS}]
        package = client.get(f"/api/datasets/{result.dataset}/datapackage.json").json()
        assert package["personal_data"] == record
        score = client.get(f"/api/datasets/{result.dataset}/openness").json()
        check_g = next(c for c in score["checks"] if c["code"] == "G")
        assert check_g["passed"], check_g  # the basis covers every identifier published
        assert "姓名" in check_g["reason"]["en"] and "tester" in check_g["reason"]["en"]
