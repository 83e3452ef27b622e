"""Logins are rate limited: after ten failed logins from one address, even a valid token is
refused with 429 until the window passes."""

from __future__ import annotations

from fastapi.testclient import TestClient

from kaifang.web.login_limit import MAX_FAILURES, WINDOW_SECONDS, LoginLimiter
from tests.web.conftest import csrf_of


def _login(client: TestClient, token: str) -> int:
    page = client.get("/login")
    response = client.post(
        "/login", data={"token": token, "csrf": csrf_of(page.text)}, follow_redirects=False
    )
    return response.status_code


def test_failed_logins_are_limited_per_address(client: TestClient, tokens: dict[str, str]) -> None:
    guesses = [_login(client, f"kf_deadbeef_guess{n}") for n in range(MAX_FAILURES)]
    assert guesses == [401] * MAX_FAILURES
    assert _login(client, tokens["steward"]) == 429
    page = client.get("/login")
    refused = client.post("/login", data={"token": "x", "csrf": csrf_of(page.text)})
    assert refused.status_code == 429
    assert "too many failed logins" in refused.text


def test_the_window_passes() -> None:
    limiter = LoginLimiter()
    for _ in range(MAX_FAILURES):
        limiter.failed("10.0.0.1", now=0.0)
    limiter.check("10.0.0.2", now=1.0)  # another address is not affected
    limiter.check("10.0.0.1", now=WINDOW_SECONDS + 0.1)  # the failures have aged out
