"""Editing metadata in the portal: an organization's editor fixes the fields that cost openness
points, without publishing data; refused values are shown on their field in the page's
language; the edit is recorded as a metadata edit, not a version."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import csrf_of, log_in

FULL = {
    "description": "臺北市政府警察局公布之住宅竊盜點位，每月更新，含案類、日期、時段與地點。",
    "title_en": "Burglary locations in Taipei",
    "category": "E00",
    "keywords": "竊盜, 治安",
    "update_frequency": "monthly",
    "temporal_from": "2015-01-01",
    "temporal_to": "2015-12-31",
    "spatial": "臺北市",
    "contact_name": "資料科",
    "contact_email": "data@police.gov.tw",
    "contact_phone": "02-2321-9011",
    "license": "OGDL-Taiwan-1.0",
    "license_url": "",
    "cost": "free",
    "cost_law": "",
    "language": "zh-TW",
    "landing_page": "https://data.taipei/",
    "notes": "",
}


def _columns(client: TestClient, dataset: str) -> dict[str, str]:
    detail = client.get(f"/api/datasets/{dataset}").json()
    return {
        f"column:{r['id']}:{f['name']}": f"{f['name']} 的說明"
        for r in detail["resources"]
        for f in r["fields"]
    }


def _save(client: TestClient, dataset: str, form: dict[str, str], **params: Any) -> Any:
    page = client.get(f"/datasets/{dataset}/edit", params=params)
    assert page.status_code == 200, page.text
    return client.post(
        f"/datasets/{dataset}/edit",
        data={**form, "csrf": csrf_of(page.text)},
        params=params,
        follow_redirects=False,
    )


def test_the_form_needs_an_editor_of_the_organization(
    client: TestClient, tokens: dict[str, str], published: dict[str, str]
) -> None:
    dataset = published["dataset"]
    response = client.get(f"/datasets/{dataset}/edit", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/login?next=/datasets/{dataset}/edit"
    log_in(client, tokens["outsider"])
    assert client.get(f"/datasets/{dataset}/edit").status_code == 403


def test_an_edit_fixes_the_metadata_without_a_new_version(
    client: TestClient, tokens: dict[str, str], published: dict[str, str]
) -> None:
    dataset = published["dataset"]
    before = client.get(f"/api/datasets/{dataset}/openness").json()
    log_in(client, tokens["steward"])
    page = client.get(f"/datasets/{dataset}").text
    # each lost point a metadata edit wins back links to the field that fixes it
    assert f'href="/datasets/{dataset}/edit#field-contact_email"' in page
    assert f'href="/datasets/{dataset}/edit#field-update_frequency"' in page
    response = _save(client, dataset, {**FULL, **_columns(client, dataset)})
    assert response.status_code == 303, response.text
    assert response.headers["location"].startswith(f"/datasets/{dataset}?edited=")
    detail = client.get(f"/api/datasets/{dataset}").json()
    assert detail["description"] == FULL["description"]
    assert detail["contact"]["email"] == "data@police.gov.tw"
    assert detail["update_frequency"] == "monthly"
    assert sorted(detail["keywords"]) == ["治安", "竊盜"]
    assert all(f["description"] for r in detail["resources"] for f in r["fields"])
    resource = detail["resources"][0]
    assert resource["current_version"] == 1
    assert [v["version"] for v in resource["versions"]] == [1]  # no data version
    after = client.get(f"/api/datasets/{dataset}/openness").json()
    assert after["score"] > before["score"]
    shown = client.get(response.headers["location"]).text
    assert "未產生新的資料版本" in shown
    assert "steward" in shown.split('id="metadata-history"')[1]
    # searchable at once by the new English title
    assert dataset in client.get("/api/datasets", params={"q": "Burglary"}).text


@pytest.mark.parametrize(
    ("lang", "email_message", "date_message"),
    [
        ("zh-TW", "請輸入有效的電子郵件地址", "請以 YYYY-MM-DD 輸入日期"),
        ("en", "Enter a valid e-mail address", "Enter a date as YYYY-MM-DD"),
    ],
)
def test_refused_values_are_shown_on_their_field_in_the_page_language(
    client: TestClient,
    tokens: dict[str, str],
    published: dict[str, str],
    lang: str,
    email_message: str,
    date_message: str,
) -> None:
    dataset = published["dataset"]
    log_in(client, tokens["steward"])
    bad = {**FULL, "contact_email": "not an address", "temporal_from": "2015/01/01"}
    response = _save(client, dataset, bad, lang=lang)
    assert response.status_code == 422
    html = response.text
    email = html.split('id="field-contact_email"')[1].split("</div>")[0]
    assert 'aria-invalid="true"' in html.split('id="field-contact_email"')[0][-300:] + email
    assert email_message in email
    assert date_message in html.split('id="field-temporal_from"')[1].split("</div>")[0]
    assert 'value="not an address"' in html  # what was sent stays in the form
    detail = client.get(f"/api/datasets/{dataset}").json()
    assert detail["description"] != FULL["description"]  # nothing changed
