"""The account page: a signed-in user lists, creates (shown once) and revokes their own API
tokens, and lists and ends their own sessions; never another user's, never without the
form's CSRF token, never signed out."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from kaifang.app import create_app
from kaifang.settings import Settings
from tests.web.conftest import csrf_of, log_in


def _new_token(client: TestClient, label: str) -> str:
    page = client.get("/account")
    response = client.post("/account/tokens", data={"label": label, "csrf": csrf_of(page.text)})
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    match = re.search(r'id="new-token-value">(kf_[^<]+)<', response.text)
    assert match, "the new token is not shown"
    return match.group(1)


def test_signed_out_visitors_are_sent_to_log_in(client: TestClient) -> None:
    response = client.get("/account", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/account"
    page = client.get("/login")
    for path in ("/account/tokens", "/account/tokens/abcd1234/revoke", "/account/sessions/x/end"):
        answer = client.post(path, data={"csrf": csrf_of(page.text)}, follow_redirects=False)
        assert answer.status_code == 303, path
        assert answer.headers["location"] == "/login?next=/account"


def test_list_create_use_and_revoke_a_token(
    client: TestClient, settings: Settings, tokens: dict[str, str]
) -> None:
    log_in(client, tokens["steward"])
    own_prefix = tokens["steward"].split("_")[1]
    page = client.get("/account")
    assert page.status_code == 200
    assert f"kf_{own_prefix}_…" in page.text
    assert tokens["steward"].split("_", 2)[2] not in page.text  # never the secret

    token = _new_token(client, "筆電 <script>")
    prefix = token.split("_")[1]
    listing = client.get("/account").text
    assert f'data-prefix="{prefix}"' in listing
    assert "筆電 &lt;script&gt;" in listing  # escaped
    assert token not in listing  # shown once only

    with TestClient(create_app(settings)) as other:
        log_in(other, token)  # the new token works

    response = client.post(
        f"/account/tokens/{prefix}/revoke",
        data={"csrf": csrf_of(listing)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    row = re.search(rf'<tr data-prefix="{prefix}">(.*?)</tr>', client.get("/account").text, re.S)
    assert row and "/revoke" not in row.group(1)
    with TestClient(create_app(settings)) as other:
        page = other.get("/login")
        refused = other.post("/login", data={"token": token, "csrf": csrf_of(page.text)})
        assert refused.status_code == 401


def test_another_users_token_cannot_be_revoked(
    client: TestClient, settings: Settings, tokens: dict[str, str]
) -> None:
    log_in(client, tokens["steward"])
    theirs = tokens["outsider"].split("_")[1]
    page = client.get("/account")
    response = client.post(f"/account/tokens/{theirs}/revoke", data={"csrf": csrf_of(page.text)})
    assert response.status_code == 404
    with TestClient(create_app(settings)) as other:
        log_in(other, tokens["outsider"])  # still works


def test_a_long_label_is_refused_beside_the_field(
    client: TestClient, tokens: dict[str, str]
) -> None:
    log_in(client, tokens["steward"])
    page = client.get("/account")
    response = client.post("/account/tokens", data={"label": "x" * 81, "csrf": csrf_of(page.text)})
    assert response.status_code == 422
    assert 'id="label-error"' in response.text and "new-token-value" not in response.text


def test_sessions_are_listed_and_another_one_ended(
    settings: Settings, tokens: dict[str, str]
) -> None:
    with (
        TestClient(create_app(settings), headers={"user-agent": "Laptop/1.0"}) as laptop,
        TestClient(create_app(settings), headers={"user-agent": "Phone/2.0"}) as phone,
        TestClient(create_app(settings), headers={"user-agent": "Other/3.0"}) as outsider,
    ):
        log_in(laptop, tokens["steward"])
        log_in(phone, tokens["steward"])
        log_in(outsider, tokens["outsider"])
        page = laptop.get("/account").text
        assert "Laptop/1.0" in page and "Phone/2.0" in page
        assert "Other/3.0" not in page  # another user's session is not shown
        handles = re.findall(r'data-handle="([0-9a-f]+)"', page)
        assert len(handles) == 2
        row = r'data-handle="([0-9a-f]+)">\s*<td>[^<]*</td>\s*<td[^>]*>Phone'
        phone_handle = re.search(row, page)
        assert phone_handle

        # the outsider cannot end the steward's session, even knowing its handle
        other_page = outsider.get("/account").text
        stolen = outsider.post(
            f"/account/sessions/{phone_handle.group(1)}/end", data={"csrf": csrf_of(other_page)}
        )
        assert stolen.status_code == 404
        assert phone.get("/account", follow_redirects=False).status_code == 200

        ended = laptop.post(
            f"/account/sessions/{phone_handle.group(1)}/end",
            data={"csrf": csrf_of(page)},
            follow_redirects=False,
        )
        assert ended.status_code == 303
        assert phone.get("/account", follow_redirects=False).status_code == 303  # logged out
        assert laptop.get("/account", follow_redirects=False).status_code == 200


@pytest.mark.parametrize(
    "path", ["/account/tokens", "/account/tokens/abcd1234/revoke", "/account/sessions/x/end"]
)
def test_account_forms_need_the_csrf_token(
    client: TestClient, tokens: dict[str, str], path: str
) -> None:
    log_in(client, tokens["steward"])
    for csrf in (None, "forged"):
        body = {"label": "x"} if csrf is None else {"label": "x", "csrf": csrf}
        assert client.post(path, data=body, follow_redirects=False).status_code == 403


@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_the_account_page_speaks_both_languages(
    client: TestClient, tokens: dict[str, str], lang: str
) -> None:
    log_in(client, tokens["steward"])
    text = client.get("/account", params={"lang": lang}).text
    assert ("API 金鑰" if lang == "zh-TW" else "API tokens") in text
    assert ("登入中的工作階段" if lang == "zh-TW" else "Live sessions") in text
