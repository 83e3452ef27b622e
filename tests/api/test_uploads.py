"""POST /api/datasets/{id}/resources/{name}/versions (tokens and roles) and the rate limiter."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kaifang.app import create_app
from kaifang.catalog import create_organization, create_token, create_user, open_catalog
from kaifang.publish import publish_file
from kaifang.settings import Settings
from tests.api.data import ORG, OTHER_ORG, THEFT_ROWS, write_theft
from tests.catalogs import MakeSettings

URL = "/api/datasets/theft/resources/theft/versions"


@dataclass(frozen=True)
class Accounts:
    settings: Settings
    editor: str
    admin: str
    member: str
    outsider: str  # editor of another organization


@pytest.fixture
def accounts(tmp_path: Path, make_settings: MakeSettings) -> Accounts:
    settings = make_settings(tmp_path / "data", rate_limit=0)
    with open_catalog(settings) as catalog:
        create_organization(catalog, ORG, name="臺北市政府警察局")
        create_organization(catalog, OTHER_ORG, name="教育部")
        tokens = {}
        for name, org, role in [
            ("editor", ORG, "editor"),
            ("admin", ORG, "admin"),
            ("member", ORG, "member"),
            ("outsider", OTHER_ORG, "editor"),
        ]:
            create_user(catalog, name, org=org, role=role)
            tokens[name] = create_token(catalog, name).token
    publish_file(
        settings,
        write_theft(tmp_path / "theft.csv"),
        org=ORG,
        title="竊盜點位資訊",
        dataset_id="theft",
    )
    return Accounts(settings, **tokens)


@pytest.fixture
def upload_client(accounts: Accounts) -> Iterator[TestClient]:
    with TestClient(create_app(accounts.settings)) as client:
        yield client


def csv_bytes(tmp_path: Path, rows: int) -> bytes:
    return write_theft(tmp_path / "new.csv", THEFT_ROWS[:rows]).read_bytes()


def post(client: TestClient, payload: bytes, token: str | None) -> dict[str, object]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = client.post(URL, files={"file": ("theft.csv", payload, "text/csv")}, headers=headers)
    return {"status": response.status_code, "body": response.json()}


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        (None, 401, "unauthorized"),
        ("kf_deadbeef_made-up-token", 401, "unauthorized"),
        ("not-even-the-shape", 401, "unauthorized"),
        ("member", 403, "forbidden"),
        ("outsider", 403, "forbidden"),
    ],
)
def test_writes_need_an_editor_or_admin_of_the_organization(
    upload_client: TestClient, accounts: Accounts, tmp_path: Path, who: str | None, status: int,
    code: str,
) -> None:  # fmt: skip
    token = getattr(accounts, who) if who in {"member", "outsider"} else who
    result = post(upload_client, csv_bytes(tmp_path, 2), token)
    assert result["status"] == status
    body = result["body"]
    assert isinstance(body, dict) and body["error"]["code"] == code
    versions = upload_client.get("/api/resources/theft").json()["versions"]
    assert [v["version"] for v in versions] == [1], "a refused upload must change nothing"


@pytest.mark.parametrize("who", ["editor", "admin"])
def test_an_editor_publishes_a_new_version(
    upload_client: TestClient, accounts: Accounts, tmp_path: Path, who: str
) -> None:
    result = post(upload_client, csv_bytes(tmp_path, 2), getattr(accounts, who))
    assert result["status"] == 201, result
    body = result["body"]
    assert isinstance(body, dict) and (body["version"], body["rows"]) == (2, 2)
    detail = upload_client.get("/api/resources/theft").json()
    assert [(v["version"], v["rows"]) for v in detail["versions"]] == [(1, 6), (2, 2)]
    assert detail["versions"][1]["publisher"] == who
    assert upload_client.get("/api/resources/theft/rows").json()["total"] == 2
    old = upload_client.get("/api/resources/theft/rows?_version=1").json()
    assert len(old["rows"]) == 6


def test_uploading_to_an_unknown_dataset_is_404(
    upload_client: TestClient, accounts: Accounts, tmp_path: Path
) -> None:
    response = upload_client.post(
        "/api/datasets/nope/resources/theft/versions",
        files={"file": ("theft.csv", csv_bytes(tmp_path, 1), "text/csv")},
        headers={"Authorization": f"Bearer {accounts.editor}"},
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


# -- rate limiting --------------------------------------------------------------------------
@pytest.fixture
def limited(accounts: Accounts) -> Iterator[TestClient]:
    with TestClient(create_app(accounts.settings.replace(rate_limit=5))) as client:
        yield client


def test_anonymous_clients_get_429_with_retry_after(limited: TestClient) -> None:
    statuses = [limited.get("/api/datasets").status_code for _ in range(5)]
    assert statuses == [200] * 5
    refused = limited.get("/api/datasets")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    assert refused.json()["error"]["code"] == "rate_limited"
    assert refused.json()["status"] == 429


@pytest.mark.parametrize(
    "header",
    [("Authorization", "Bearer {}"), ("Authorization", "{}"), ("X-CKAN-API-Key", "{}")],
    ids=["bearer", "ckan", "ckan_api_key"],
)
def test_a_valid_token_is_not_limited(
    limited: TestClient, accounts: Accounts, header: tuple[str, str]
) -> None:
    headers = {header[0]: header[1].format(accounts.member)}
    statuses = {limited.get("/api/datasets", headers=headers).status_code for _ in range(12)}
    assert statuses == {200}


def test_a_made_up_token_is_limited(limited: TestClient) -> None:
    headers = {"Authorization": "Bearer kf_deadbeef_made-up-token"}
    statuses = [limited.get("/api/datasets", headers=headers).status_code for _ in range(7)]
    assert statuses == [200] * 5 + [429] * 2


def test_pages_outside_the_api_are_not_limited(limited: TestClient) -> None:
    statuses = {limited.get("/openapi.json").status_code for _ in range(8)}
    assert statuses == {200}


ELECTION = "公職人員選舉罷免法第47條"
CITATION = {"basis_law": "個人資料保護法", "basis_article": "第16條", "basis_note": "第1項"}


@pytest.mark.parametrize(
    ("who", "basis", "status", "says"),
    [
        ("editor", {"allow_personal_data": "because"}, 400, "not one of kaifang's listed bases"),
        ("editor", {**CITATION, "basis_columns": "案類"}, 400, "only an organization admin"),
        ("admin", {**CITATION, "basis_columns": "案類"}, 201, ""),
        ("editor", {"allow_personal_data": ELECTION}, 400, "name the exact columns"),
        ("editor", {"allow_personal_data": ELECTION, "basis_columns": "姓名"}, 400, "names 姓名"),
        ("editor", {"allow_personal_data": ELECTION, "basis_columns": "案類"}, 201, ""),
    ],
)
def test_a_legal_basis_is_a_listed_law_or_an_admins_citation(
    upload_client: TestClient,
    accounts: Accounts,
    tmp_path: Path,
    who: str,
    basis: dict[str, str],
    status: int,
    says: str,
) -> None:
    """Issue 16 hole 1: free text is refused, citing an unlisted law needs an admin, and the
    columns the basis covers are named and exist."""
    response = upload_client.post(
        URL,
        files={"file": ("theft.csv", csv_bytes(tmp_path, 4), "text/csv")},
        data=basis,
        headers={"Authorization": f"Bearer {getattr(accounts, who)}"},
    )
    assert response.status_code == status, response.text
    if says:
        assert says in response.json()["error"]["message"]
    else:
        detail = response.json()["screening"]["legal_basis_detail"]
        assert (detail["columns"], detail["approved_by"]) == (["案類"], who)
