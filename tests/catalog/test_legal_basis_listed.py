"""A legal basis for publishing personal data is shown wherever the dataset is listed."""

from __future__ import annotations

from fastapi.testclient import TestClient

from kaifang.app import create_app
from kaifang.catalog import list_datasets, open_catalog
from kaifang.publish import publish_file
from kaifang.settings import Settings
from tests.publishing import ORG, WriteCsv

BASIS = "公職人員選舉罷免法第47條"


def test_legal_basis_in_listings(org_settings: Settings, write_csv: WriteCsv) -> None:
    rows = [("宋楚瑜", "1942-03-16"), ("王小明", "1960-05-01"), ("陳美玲", "1971-11-23")]
    file = write_csv("candidates.csv", ["姓名", "出生日期"], rows)
    result = publish_file(org_settings, file, org=ORG, title="候選人", allow_personal_data=BASIS)
    other = publish_file(
        org_settings, write_csv("counts.csv", ["代碼", "件數"], [("01", 7)]), org=ORG, title="件數"
    )
    with open_catalog(org_settings) as catalog:
        listed = {d.slug: d.legal_basis for d in list_datasets(catalog).data}
    assert listed == {result.dataset: BASIS, other.dataset: None}
    with TestClient(create_app(org_settings)) as client:
        api = client.get("/api/datasets", params={"q": "候選人"}).json()["data"]
        assert [d["legal_basis"] for d in api] == [BASIS]
        assert BASIS in client.get("/search", params={"q": "候選人"}).text
        assert BASIS in client.get(f"/datasets/{result.dataset}").text
