from __future__ import annotations

import base64

import pytest
from fastapi.testclient import TestClient

from kaifang.catalog.db import open_catalog
from kaifang.catalog.models import ApiToken, utcnow
from kaifang.settings import Settings
from tests.web.conftest import csrf_of, log_in


def test_login_keeps_the_prefix_never_the_token(client: TestClient, tokens: dict[str, str]) -> None:
    log_in(client, tokens["steward"])
    cookie = client.cookies["kaifang_session"]
    payload = base64.urlsafe_b64decode(cookie.split(".")[0] + "==").decode()
    secret_part = tokens["steward"].split("_", 2)[2]
    assert secret_part not in cookie and secret_part not in payload
    assert tokens["steward"].split("_")[1] in payload
    assert "steward" in client.get("/").text


def test_session_cookie_flags(client: TestClient, tokens: dict[str, str]) -> None:
    page = client.get("/login")
    header = page.headers["set-cookie"].lower()
    assert "httponly" in header and "samesite=lax" in header
    response = client.post(
        "/login",
        data={"token": tokens["steward"], "csrf": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert "httponly" in response.headers["set-cookie"].lower()


def test_a_bad_token_is_refused_beside_the_field(client: TestClient) -> None:
    page = client.get("/login")
    response = client.post("/login", data={"token": "kf_nope_nope", "csrf": csrf_of(page.text)})
    assert response.status_code == 401
    assert 'id="token-error"' in response.text and 'aria-invalid="true"' in response.text


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/login", {"token": "x"}),
        ("/logout", {}),
        ("/requests", {"org": "379130000E", "title": "x"}),
        ("/requests/1/answer", {"status": "answered", "response": "x"}),
    ],
)
def test_every_form_needs_the_csrf_token(
    client: TestClient, path: str, data: dict[str, str]
) -> None:
    client.get("/")
    for csrf in (None, "forged"):
        body = dict(data) if csrf is None else {**data, "csrf": csrf}
        response = client.post(path, data=body, follow_redirects=False)
        assert response.status_code == 403, path


def test_upload_needs_the_csrf_token(client: TestClient, tokens: dict[str, str]) -> None:
    log_in(client, tokens["steward"])
    files = {"file": ("a.csv", b"a,b\n1,2\n", "text/csv")}
    response = client.post("/publish", data={"org": "379130000E"}, files=files)
    assert response.status_code == 403


def test_logout_ends_the_session(client: TestClient, tokens: dict[str, str]) -> None:
    log_in(client, tokens["steward"])
    page = client.get("/")
    client.post("/logout", data={"csrf": csrf_of(page.text)}, follow_redirects=False)
    assert "steward" not in client.get("/").text
    assert client.get("/publish", follow_redirects=False).status_code == 303


def test_a_cookie_saved_before_logout_does_not_work_after(
    client: TestClient, tokens: dict[str, str]
) -> None:
    log_in(client, tokens["steward"])
    saved = dict(client.cookies)
    assert client.get("/publish", follow_redirects=False).status_code == 200
    page = client.get("/")
    client.post("/logout", data={"csrf": csrf_of(page.text)}, follow_redirects=False)
    client.cookies.clear()
    for name, value in saved.items():
        client.cookies.set(name, value)
    assert client.get("/publish", follow_redirects=False).status_code == 303
    assert "steward" not in client.get("/").text


def test_revoking_the_token_ends_the_session(
    client: TestClient, tokens: dict[str, str], settings: Settings
) -> None:
    log_in(client, tokens["steward"])
    with open_catalog(settings) as catalog, catalog.write() as session:
        for row in session.query(ApiToken).all():
            row.revoked = utcnow()
    assert client.get("/publish", follow_redirects=False).status_code == 303


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil"])
def test_login_never_redirects_off_site(
    client: TestClient, tokens: dict[str, str], target: str
) -> None:
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"token": tokens["steward"], "csrf": csrf_of(page.text), "next": target},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


@pytest.mark.parametrize("path", ["/", "/search", "/login", "/dashboards/theft"])
def test_security_headers(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    csp = headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"


def test_api_responses_are_nosniff_too(client: TestClient) -> None:
    headers = client.get("/api/datasets").headers
    assert headers["x-content-type-options"] == "nosniff"


def test_pages_have_no_inline_script(client: TestClient, published: dict[str, str]) -> None:
    for path in ("/", f"/datasets/{published['dataset']}", f"/resources/{published['resource']}"):
        text = client.get(path).text
        assert "<script>" not in text and "onclick" not in text.lower()


def test_the_session_key_is_private_and_stable(settings: Settings) -> None:
    from kaifang.web.security import KEY_FILE, session_key

    first = session_key(settings)
    assert session_key(settings) == first and len(first) == 64
    key_file = settings.data_dir / KEY_FILE
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert [p.name for p in settings.data_dir.iterdir() if p.name.startswith(KEY_FILE)] == [
        KEY_FILE
    ]


def test_a_tampered_session_is_a_new_anonymous_one(
    client: TestClient, tokens: dict[str, str]
) -> None:
    log_in(client, tokens["steward"])
    cookie = client.cookies["kaifang_session"]
    client.cookies.set("kaifang_session", cookie[:-2] + ("AA" if cookie[-2:] != "AA" else "BB"))
    assert "steward" not in client.get("/").text
