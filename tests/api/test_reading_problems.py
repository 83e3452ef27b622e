"""The API and the dataset page show a version's reading problems; an upload with other
columns is refused (409) until ``allow_schema_change=true``, one with many ragged rows
until ``allow_ragged=true``."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from kaifang.app import create_app
from kaifang.catalog import create_token, create_user, open_catalog
from kaifang.publish import publish_file
from kaifang.settings import Settings
from tests.publishing import ORG

HEADER = "id,name,n"
ROWS = [f"{i},name {i},{i * 3}" for i in range(300)]


def test_problems_are_on_the_resource_and_the_dataset_page(
    org_settings: Settings, tmp_path: Path
) -> None:
    rows = list(ROWS)
    rows[4] = "4,name 4,12,left over"
    rows[9] = "9,name 9"
    file = tmp_path / "t.csv"
    file.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    published = publish_file(org_settings, file, org=ORG, title="t")
    with TestClient(create_app(org_settings.replace(rate_limit=0))) as client:
        detail = client.get(f"/api/resources/{published.resource}").json()
        assert detail["problem_count"] == 2
        assert [(p["row"], p["code"]) for p in detail["problems"]] == [
            (5, "extra-cells"),
            (10, "missing-cells"),
        ]
        assert detail["problems"][0]["values"] == ["left over"]
        assert detail["versions"][0]["problem_count"] == 2
        page = client.get(f"/datasets/{published.dataset}").text
        assert "extra-cells" in page and "left over" in page and "missing-cells" in page


def test_uploads_refuse_a_schema_change_until_allowed(
    org_settings: Settings, tmp_path: Path
) -> None:
    file = tmp_path / "t.csv"
    file.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    published = publish_file(org_settings, file, org=ORG, title="t")
    with open_catalog(org_settings) as catalog:
        create_user(catalog, "editor", org=ORG, role="editor")
        token = create_token(catalog, "editor").token
    url = f"/api/datasets/{published.dataset}/resources/{published.resource}/versions"
    changed = b"id,label\n1,x\n2,y\n"
    ragged = ("\n".join([HEADER, "1,a,2", "2,b", "3,c,4,5", "4,d,6"]) + "\n").encode()
    headers = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(org_settings.replace(rate_limit=0))) as client:

        def post(payload: bytes, **form: str) -> tuple[int, dict[str, object]]:
            files = {"file": ("t.csv", payload, "text/csv")}
            response = client.post(url, files=files, data=form, headers=headers)
            return response.status_code, response.json()

        status, body = post(changed)
        assert status == 409
        error = body["error"]
        assert isinstance(error, dict) and error["code"] == "schema_changed"
        assert error["details"]["schema_change"] == {
            "removed": [{"column": "n", "type": "integer"}],
            "renamed": [{"from": "name", "to": "label"}],
        }
        status, body = post(changed, allow_schema_change="true")
        assert status == 201 and body["version"] == 2
        assert body["schema_change"] == error["details"]["schema_change"]

        status, body = post(ragged)
        assert status == 400 and "--allow-ragged" in str(body)
        status, body = post(ragged, allow_ragged="true", allow_schema_change="true")
        assert status == 201 and body["problem_count"] == 2
