from __future__ import annotations

import io
import os
import re
import time
from pathlib import Path

from fastapi.testclient import TestClient

from kaifang.catalog.accounts import grant_role
from kaifang.catalog.db import open_catalog
from kaifang.service.uploads import MAX_AGE_SECONDS, UploadArea
from kaifang.settings import Settings
from tests.web.conftest import csrf_of, log_in

PEOPLE = (
    "姓名,身分證字號,行政區,件數\n"
    "王小明,A123456789,大安區,3\n"
    "陳大文,B223456780,文山區,5\n"
    "林美麗,F123456785,中正區,4\n"
).encode()


def _upload(client: TestClient, org: str = "379130000E") -> str:
    page = client.get("/publish")
    response = client.post(
        "/publish",
        data={"org": org, "csrf": csrf_of(page.text)},
        files={"file": ("people.csv", PEOPLE, "text/csv")},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return str(response.headers["location"])


def _form(review_html: str) -> dict[str, str]:
    """The review form's fields as the page proposes them."""
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', review_html))
    fields["proposed_policy"] = fields["proposed_policy"].replace("&#34;", '"')
    fields["proposed_policy"] = fields["proposed_policy"].replace("&amp;", "&")
    for name, options in re.findall(
        r'<select id="action-\d+" name="action:([^"]+)"[^>]*>(.*?)</select>', review_html, re.S
    ):
        chosen = re.search(r'<option value="(\w+)" selected>', options)
        fields[f"action:{name}"] = chosen.group(1) if chosen else "keep"
    return fields


def test_publish_needs_login(client: TestClient) -> None:
    response = client.get("/publish", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/publish"


def test_upload_screen_adjust_publish(
    client: TestClient, tokens: dict[str, str], settings: Settings
) -> None:
    log_in(client, tokens["steward"])
    review_url = _upload(client)
    review = client.get(review_url)
    assert review.status_code == 200
    assert "身分證字號" in review.text and 'id="screening"' in review.text
    form = _form(review.text)
    assert form["action:姓名"] in {"drop", "pseudonymize", "mask"}

    # An undecided column without a legal basis: the error sits beside that column.
    undecided = {**form, "action:姓名": "review", "title": "陳情案件"}
    refused = client.post(review_url, data=undecided)
    assert refused.status_code == 422
    row = re.search(r'<tr class="has-error">.*?</tr>', refused.text, re.S)
    assert row and "姓名" in row.group(0) and 'class="error"' in row.group(0)

    # A title is needed for a new dataset; its error sits beside the title.
    untitled = client.post(review_url, data={**form, "title": ""})
    assert untitled.status_code == 422 and 'id="general-error"' in untitled.text

    done = client.post(
        review_url,
        data={**form, "action:姓名": "drop", "title": "陳情案件"},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    dataset_page = client.get(done.headers["location"])
    assert "陳情案件" in dataset_page.text and 'role="status"' in dataset_page.text
    privacy = dataset_page.text.split('id="privacy"')[1]
    # What the screen found and what was applied, per column, as published.
    name_row = re.search(r'<th scope="row"[^>]*>姓名</th>(.*?)</tr>', privacy, re.S)
    assert name_row, "the privacy section lists the 姓名 column"
    cells = re.sub(r"\s+", " ", name_row.group(1))
    assert "直接識別" in cells and "person_name" in cells and "刪除欄位" in cells
    assert "去識別化驗證通過" in privacy
    assert not any((Path(settings.data_dir) / "uploads").iterdir())  # cleaned after publish


def test_an_editor_of_another_organization_cannot_publish_there(
    client: TestClient, tokens: dict[str, str]
) -> None:
    log_in(client, tokens["outsider"])
    page = client.get("/publish")
    assert "379130000E" not in page.text
    response = client.post(
        "/publish",
        data={"org": "379130000E", "csrf": csrf_of(page.text)},
        files={"file": ("people.csv", PEOPLE, "text/csv")},
    )
    assert response.status_code == 422 and 'id="org-error"' in response.text


def test_someone_elses_upload_is_not_found(
    client: TestClient, tokens: dict[str, str], settings: Settings
) -> None:
    log_in(client, tokens["steward"])
    review_url = _upload(client)
    client.cookies.clear()
    log_in(client, tokens["outsider"])
    form = {"csrf": csrf_of(client.get("/").text), "title": "x"}
    assert client.post(review_url, data=form).status_code == 404
    review = client.get(review_url)  # the review page shows the upload only to its uploader
    assert review.status_code == 404
    assert "A123456789" not in review.text and "people.csv" not in review.text


def test_an_editor_who_lost_the_role_cannot_publish_the_upload(
    client: TestClient, tokens: dict[str, str], settings: Settings
) -> None:
    """The portal checks the same write roles, with the same message, as the API upload."""
    log_in(client, tokens["steward"])
    review_url = _upload(client)
    form = {**_form(client.get(review_url).text), "title": "people", "legal_basis": "test"}
    with open_catalog(settings) as catalog:
        grant_role(catalog, "steward", "379130000E", "member")
    response = client.post(review_url, data=form)
    assert response.status_code == 403
    assert "may not publish to 379130000E (role: member)" in response.text
    assert "kaifang user create steward --org 379130000E --role editor" in response.text
    assert client.get(review_url).status_code == 200  # the upload is kept, not published


def test_uploads_expire_after_an_hour(settings: Settings) -> None:
    area = UploadArea(settings)
    kept = area.save("steward", "a.csv", _stream(b"a\n1\n"), org="X")
    old = area.save("steward", "b.csv", _stream(b"a\n1\n"), org="X")
    past = time.time() - MAX_AGE_SECONDS - 5
    os.utime(area.root / old, (past, past))
    assert area.clean_expired() == 1
    assert area.meta(kept)["file"] == "a.csv"
    assert not (area.root / old).exists()
    assert oct((area.root / kept).stat().st_mode & 0o777) == "0o700"


def _stream(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)


def test_a_schema_change_needs_a_confirmation(client: TestClient, tokens: dict[str, str]) -> None:
    log_in(client, tokens["steward"])
    review_url = _upload(client)
    form = {**_form(client.get(review_url).text), "action:姓名": "drop", "title": "陳情案件"}
    first = client.post(review_url, data=form, follow_redirects=False)
    assert first.status_code == 303, first.text
    dataset = first.headers["location"].split("/datasets/")[1].split("?")[0]

    page = client.get("/publish")
    other = "行政區,件數,月份\n大安區,3,1\n文山區,5,2\n中正區,4,3\n".encode()
    uploaded = client.post(
        "/publish",
        data={"org": "379130000E", "csrf": csrf_of(page.text)},
        files={"file": ("people.csv", other, "text/csv")},
        follow_redirects=False,
    )
    second_url = str(uploaded.headers["location"])
    second = {**_form(client.get(second_url).text), "dataset": dataset}
    refused = client.post(second_url, data=second)
    assert refused.status_code == 422
    confirm = re.search(r'<div class="confirm" id="confirm-allow_schema_change">(.*?)</div>',
                        refused.text, re.S)  # fmt: skip
    assert confirm, "the review page asks to confirm the schema change"
    assert "added &#39;月份&#39; (integer); removed" in confirm.group(1)
    assert 'name="allow_schema_change"' in confirm.group(1)
    done = client.post(
        second_url, data={**second, "allow_schema_change": "1"}, follow_redirects=False
    )
    assert done.status_code == 303, done.text
    assert "published=2" in done.headers["location"]


def test_the_review_page_masks_every_flagged_column(
    client: TestClient, tokens: dict[str, str]
) -> None:
    """Issue 16 hole 5: the preview above the screening table shows no flagged value in
    full (names, ID-shaped numbers, places); unflagged columns are shown as they are."""
    log_in(client, tokens["steward"])
    review = client.get(_upload(client)).text
    preview = re.search(r'<table class="preview">.*?</table>', review, re.S)
    assert preview is not None
    shown = preview.group(0)
    for raw in ("A123456789", "B223456780", "王小明", "陳大文"):
        assert raw not in shown
    assert "A12" in shown  # masked, not dropped: the editor still sees the shape
    assert "大安區" not in shown and "大*區" in shown
    assert "<td>3</td>" in shown


def test_a_refusal_marks_each_blocking_column_in_the_page_language(
    client: TestClient, tokens: dict[str, str]
) -> None:
    """Issue 16 hole 9: the gate's refusal is said in zh-TW beside the column it concerns,
    not as English next to the title field."""
    log_in(client, tokens["steward"])
    review_url = _upload(client)
    form = _form(client.get(review_url).text)
    kept = {**form, "action:姓名": "keep", "title": "陳情案件"}
    refused = client.post(review_url, data=kept)
    assert refused.status_code == 422
    row = re.search(r'<tr class="has-error">.*?</tr>', refused.text, re.S)
    assert row is not None and "姓名" in row.group(0)
    assert "此欄位含直接識別個資" in row.group(0)
    assert 'id="general-error"' not in refused.text
    assert "personal data would be released" not in refused.text


def test_a_first_publish_with_the_metadata_the_rubric_asks_for_reaches_gold(
    client: TestClient, tokens: dict[str, str]
) -> None:
    log_in(client, tokens["steward"])
    review_url = _upload(client)
    form = _form(client.get(review_url).text)
    metadata = {
        "description": "各行政區陳情案件數統計，依陳情人所在行政區彙總。",
        "category": "E00",
        "keywords": "陳情, 統計",
        "update_frequency": "monthly",
        "temporal_from": "2024-01-01",
        "temporal_to": "2024-12-31",
        "spatial": "臺北市",
        "contact_name": "研考科",
        "contact_email": "bad address",
        "describe:身分證字號": "陳情人代號（已假名化）",
        "describe:行政區": "陳情人所在行政區",
        "describe:件數": "陳情案件數（件）",
    }
    base = {**form, "action:姓名": "drop", "title": "陳情案件統計", **metadata}
    refused = client.post(review_url, data=base)
    assert refused.status_code == 422
    assert "請輸入有效的電子郵件地址" in refused.text.split('id="field-contact_email"')[1]
    done = client.post(
        review_url, data={**base, "contact_email": "petition@gov.taipei"}, follow_redirects=False
    )
    assert done.status_code == 303, done.text
    dataset = done.headers["location"].split("/datasets/")[1].split("?")[0]
    score = client.get(f"/api/datasets/{dataset}/openness").json()
    failed = [c["code"] for c in score["checks"] if not c["passed"]]
    assert score["band"]["code"] == "gold", failed
    detail = client.get(f"/api/datasets/{dataset}").json()
    fields = {f["name"]: f.get("description") for f in detail["resources"][0]["fields"]}
    assert fields["件數"] == "陳情案件數（件）"


def test_the_publisher_chooses_the_new_dataset_id(
    client: TestClient, tokens: dict[str, str]
) -> None:
    log_in(client, tokens["steward"])
    review_url = _upload(client)
    review = client.get(review_url)
    assert 'name="dataset_id"' in review.text
    form = {**_form(review.text), "action:姓名": "drop", "title": "陳情案件"}
    refused = client.post(review_url, data={**form, "dataset_id": "Petitions-2024"})
    assert refused.status_code == 422
    assert 'id="error-dataset_id"' in refused.text and "petitions_2024" in refused.text
    done = client.post(
        review_url, data={**form, "dataset_id": "petitions_2024"}, follow_redirects=False
    )
    assert done.status_code == 303, done.text
    assert done.headers["location"].startswith("/datasets/petitions_2024")
