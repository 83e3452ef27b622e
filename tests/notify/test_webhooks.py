"""Webhooks end to end: a receiver started by the test gets each matching change POSTed and
signed (HMAC-SHA256, checked here as a receiver would); a failing receiver is retried with
backoff, then given up on after 24 hours; the subscriber sees the log; private addresses are
refused unless allowed; a publish never waits for a receiver."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from kaifang.app import create_app
from kaifang.catalog import create_organization, create_token, create_user, open_catalog
from kaifang.catalog.db import Catalog
from kaifang.notify.deliver import run_once
from kaifang.notify.signing import SIGNATURE_HEADER, verify
from kaifang.publish import publish_file
from kaifang.settings import Settings
from tests.harvest.conftest import write_csv
from tests.notify.receiver import Receiver

ORG = "379130000E"


@dataclass
class Portal:
    settings: Settings
    dataset: str
    tokens: dict[str, str]
    files: Path

    def publish(self, rows: int) -> None:
        data = [[f"P{i}", i] for i in range(rows)]
        path = write_csv(self.files / f"v{rows}.csv", ["id", "n"], data)
        publish_file(self.settings, path, org=ORG, dataset=self.dataset)


@pytest.fixture
def portal(settings: Settings, tmp_path: Path) -> Portal:
    settings = settings.replace(rate_limit=0, webhook_allow_private=True)
    with open_catalog(settings) as catalog:
        create_organization(catalog, ORG, name="臺北市政府警察局")
        create_user(catalog, "alice")
        create_user(catalog, "bob")
        tokens = {u: create_token(catalog, u).token for u in ("alice", "bob")}
    first = publish_file(settings, write_csv(tmp_path / "a.csv", ["id", "n"], [["P", 1]] * 5),
                         org=ORG, metadata={"title": "竊盜點位"})  # fmt: skip
    return Portal(settings, first.dataset, tokens, tmp_path)


def auth(portal: Portal, user: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {portal.tokens[user]}"}


def follow(client: TestClient, portal: Portal, target: str, value: str, url: str) -> Response:
    body = {"target": target, "value": value, "url": url}
    return client.post("/api/subscriptions", headers=auth(portal, "alice"), json=body)


def test_changes_are_posted_signed_retried_and_logged(portal: Portal, receiver: Receiver) -> None:
    now = datetime.now(UTC)
    with TestClient(create_app(portal.settings)) as client:
        made = follow(client, portal, "dataset", portal.dataset, receiver.url)
        assert made.status_code == 201, made.text
        sub = made.json()
        by_search = follow(client, portal, "search", "竊盜", receiver.url)
        assert by_search.status_code == 201

        portal.publish(8)  # a publish only records the activity: nothing is sent yet
        assert receiver.received == []
        with _catalog(portal) as catalog:
            sent = run_once(portal.settings, catalog, now=now)
        events = [json.loads(body) for _, body in receiver.received]
        assert sent["delivered"] == len(events) >= 2
        per_sub: dict[int, set[int]] = {}
        for event in events:
            per_sub.setdefault(event["subscription"]["id"], set()).add(event["activity"]["id"])
        assert len(per_sub) == 2 and len({frozenset(v) for v in per_sub.values()}) == 1
        assert "version_published" in {e["event"] for e in events}
        for headers, body in receiver.received[:1]:
            assert headers["X-Kaifang-Event"] == json.loads(body)["event"]
            assert verify(sub["secret"], body, headers[SIGNATURE_HEADER])
            assert not verify(sub["secret"], body + b" ", headers[SIGNATURE_HEADER])

        receiver.status = 500
        receiver.received.clear()
        portal.publish(9)
        with _catalog(portal) as catalog:
            tries = [run_once(portal.settings, catalog, now=at) for at in
                     (now, now + timedelta(seconds=30), now + timedelta(minutes=1, seconds=5),
                      now + timedelta(hours=25))]  # fmt: skip
        log = client.get(f"/api/subscriptions/{sub['id']}/deliveries",
                         headers=auth(portal, "alice")).json()["data"]  # fmt: skip
        others = client.get(f"/api/subscriptions/{sub['id']}/deliveries",
                            headers=auth(portal, "bob"))  # fmt: skip
        anonymous = client.get(f"/api/subscriptions/{sub['id']}/deliveries")
        listed = client.get("/api/subscriptions", headers=auth(portal, "alice")).json()["data"]
    assert [t["retrying"] for t in tries[:2]] == [tries[0]["retrying"], 0]  # not due yet
    assert tries[2]["retrying"] >= 1 and tries[3]["failed"] >= 1
    newest = log[0]
    assert newest["status"] == "failed" and newest["attempts"] == 3
    assert newest["last_status"] == 500 and newest["last_error"] == "HTTP 500"
    assert others.status_code == 404 and anonymous.status_code == 401
    assert listed[0]["deliveries"]["delivered"] >= 1 and listed[0]["deliveries"]["failed"] >= 1
    assert "secret" not in listed[0]


def _catalog(portal: Portal) -> Catalog:
    return open_catalog(portal.settings)


def test_private_receivers_are_refused_unless_allowed(portal: Portal, receiver: Receiver) -> None:
    closed = portal.settings.replace(webhook_allow_private=False)
    with TestClient(create_app(closed)) as client:
        for url in (receiver.url, "http://169.254.169.254/latest", "ftp://example.org/x"):
            answer = follow(client, portal, "organization", ORG, url)
            assert answer.status_code == 400, url
            assert answer.json()["error"]["details"]["key"] == "url"
        unknown = follow(client, portal, "dataset", "nope", receiver.url)
    assert unknown.status_code in (400, 404)


def test_a_dead_receiver_never_slows_a_publish(portal: Portal, receiver: Receiver) -> None:
    with open_catalog(portal.settings) as catalog:
        from kaifang.notify.subscriptions import subscribe

        subscribe(portal.settings, catalog, "bob", "organization", ORG, "http://127.0.0.1:9/x")
    started = datetime.now(UTC)
    portal.publish(12)
    assert datetime.now(UTC) - started < timedelta(seconds=30)
    with open_catalog(portal.settings) as catalog:
        sent = run_once(portal.settings, catalog)
    assert sent["queued"] >= 1 and sent["retrying"] >= 1 and sent["delivered"] == 0
