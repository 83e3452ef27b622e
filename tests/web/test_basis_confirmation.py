"""Issue 16 hole 1 in the portal: the legal basis is chosen from kaifang's list (a citation
only for an organization admin) with the columns it covers, and nothing is published before
the editor confirms a page listing those columns with masked sample values."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from kaifang.catalog.accounts import create_token, grant_role
from kaifang.catalog.db import open_catalog
from kaifang.settings import Settings
from tests.web.conftest import log_in
from tests.web.test_publish_flow import _form, _upload

BASIS = "公職人員選舉罷免法第47條"


def _hidden(page: str) -> dict[str, str]:
    found = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page)
    return {html.unescape(k): html.unescape(v) for k, v in found}


def _basis_form(client: TestClient, review_url: str, **extra: str) -> dict[str, str]:
    form = _form(client.get(review_url).text)
    return {
        **form,
        "action:姓名": "keep",
        "action:身分證字號": "drop",
        "title": "候選人名冊",
        "legal_basis": BASIS,
        "basis_column:姓名": "1",
        **extra,
    }


def _datasets(client: TestClient) -> int:
    return int(client.get("/api/datasets").json()["count"])


def test_a_basis_publishes_only_after_confirming_masked_columns(
    client: TestClient, tokens: dict[str, str]
) -> None:
    log_in(client, tokens["steward"])
    review_url = _upload(client)
    review = client.get(review_url).text
    assert f'<option value="{BASIS}"' in review  # the shipped bases, as a list
    assert 'name="basis_column:姓名"' in review
    assert 'id="basis_law"' not in review  # an editor may not cite another law
    before = _datasets(client)

    shown = client.post(review_url, data=_basis_form(client, review_url))
    assert shown.status_code == 200 and 'id="confirm-columns"' in shown.text
    row = re.search(r'<th scope="row">姓名</th>(.*?)</tr>', shown.text, re.S)
    assert row and "person_name" in row.group(1)
    assert "王小明" not in shown.text and "王" in row.group(1)  # masked samples
    assert "A123456789" not in shown.text
    assert _datasets(client) == before  # nothing is published yet

    confirming = _hidden(shown.text)
    # A changed form cannot reuse the confirmation: it is shown again, nothing published.
    changed = {**confirming, "basis_column:身分證字號": "1", "action:身分證字號": "keep"}
    again = client.post(review_url, data=changed)
    assert again.status_code in (200, 422) and _datasets(client) == before
    # Without the token, nothing is published either.
    forged = {k: v for k, v in confirming.items() if k != "confirm"}
    assert 'id="confirm-columns"' in client.post(review_url, data=forged).text
    assert _datasets(client) == before

    confirming = _hidden(client.post(review_url, data=_basis_form(client, review_url)).text)
    done = client.post(review_url, data=confirming, follow_redirects=False)
    assert done.status_code == 303, done.text
    page = client.get(done.headers["location"]).text
    assert BASIS in page and "steward" in page and "姓名" in page
    assert _datasets(client) == before + 1


def test_free_text_and_an_editors_citation_are_refused_in_the_form(
    client: TestClient, tokens: dict[str, str]
) -> None:
    log_in(client, tokens["steward"])
    review_url = _upload(client)
    refused = client.post(review_url, data=_basis_form(client, review_url, legal_basis="because"))
    assert refused.status_code == 422 and 'id="basis-error"' in refused.text
    assert "法律依據須為清單中的法條" in refused.text and BASIS in refused.text
    cite = {"legal_basis": "", "basis_law": "個人資料保護法", "basis_article": "第16條"}
    refused = client.post(review_url, data=_basis_form(client, review_url, **cite))
    assert refused.status_code == 422 and "only an organization admin" in refused.text
    no_columns = _basis_form(client, review_url)
    del no_columns["basis_column:姓名"]
    refused = client.post(review_url, data=no_columns)
    assert refused.status_code == 422 and "name the exact columns" in refused.text


def test_an_admin_may_cite_another_law(
    client: TestClient, tokens: dict[str, str], settings: Settings
) -> None:
    with open_catalog(settings) as catalog:
        grant_role(catalog, "steward", "379130000E", "admin")
        token = create_token(catalog, "steward").token
    log_in(client, token)
    review_url = _upload(client)
    assert 'id="basis_law"' in client.get(review_url).text
    cite = {
        "legal_basis": "",
        "basis_law": "個人資料保護法",
        "basis_article": "第16條",
        "basis_note": "第1項第1款",
    }
    shown = client.post(review_url, data=_basis_form(client, review_url, **cite))
    assert 'id="confirm-columns"' in shown.text and "個人資料保護法" in shown.text
    done = client.post(review_url, data=_hidden(shown.text), follow_redirects=False)
    assert done.status_code == 303, done.text
    page = client.get(done.headers["location"]).text
    assert "個人資料保護法第16條" in page and "第1項第1款" in page
