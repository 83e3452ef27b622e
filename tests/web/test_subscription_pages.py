"""The portal's webhook pages: a signed-in user follows a dataset from its page, sees the
signing secret once, reads the delivery log after a change reached a receiver started by the
test, and unsubscribes — never another user's subscription, never without the form's CSRF
token; a bad receiver address is refused with a message in the page's language."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kaifang.app import create_app
from kaifang.catalog import create_organization, create_token, create_user, open_catalog
from kaifang.notify.deliver import run_once
from kaifang.notify.signing import SIGNATURE_HEADER, verify
from kaifang.publish import publish_file
from kaifang.settings import Settings
from tests.harvest.conftest import write_csv
from tests.notify.receiver import Receiver
from tests.web.conftest import csrf_of, log_in

ORG = "379130000E"
HOME = "/account/subscriptions"


@pytest.fixture
def site(settings: Settings, tmp_path: Path) -> tuple[Settings, str, dict[str, str]]:
    settings = settings.replace(rate_limit=0, webhook_allow_private=True)
    with open_catalog(settings) as catalog:
        create_organization(catalog, ORG, name="臺北市政府警察局")
        create_user(catalog, "alice")
        create_user(catalog, "bob")
        tokens = {u: create_token(catalog, u).token for u in ("alice", "bob")}
    data = write_csv(tmp_path / "a.csv", ["id", "n"], [[f"P{i}", i] for i in range(5)])
    first = publish_file(settings, data, org=ORG, metadata={"title": "竊盜點位"})
    return settings, first.dataset, tokens


@pytest.fixture
def alice(site: tuple[Settings, str, dict[str, str]]) -> Iterator[TestClient]:
    settings, _, tokens = site
    with TestClient(create_app(settings)) as client:
        log_in(client, tokens["alice"])
        yield client


def _subscribe(client: TestClient, dataset: str, url: str, **extra: str) -> str:
    page = client.get(HOME, params={"target": "dataset", "value": dataset})
    form = {"target": "dataset", "value": dataset, "url": url, "csrf": csrf_of(page.text), **extra}
    return client.post(HOME, data=form).text


def test_signed_out_visitors_are_sent_to_log_in(
    site: tuple[Settings, str, dict[str, str]],
) -> None:
    with TestClient(create_app(site[0])) as client:
        for path in (HOME, f"{HOME}/1"):
            answer = client.get(path, follow_redirects=False)
            assert answer.status_code == 303
            assert answer.headers["location"] == f"/login?next={HOME}"
        csrf = csrf_of(client.get("/login").text)
        for path in (HOME, f"{HOME}/1/remove"):
            answer = client.post(path, data={"csrf": csrf}, follow_redirects=False)
            assert answer.status_code == 303, path


def test_follow_a_dataset_see_deliveries_and_unsubscribe(
    site: tuple[Settings, str, dict[str, str]], alice: TestClient, receiver: Receiver
) -> None:
    settings, dataset, _ = site
    page = alice.get(f"/datasets/{dataset}").text
    assert f'href="{HOME}?target=dataset&amp;value={dataset}"' in page  # follow from the page
    prefilled = alice.get(HOME, params={"target": "dataset", "value": dataset}).text
    assert f'id="sub-value" name="value" maxlength="300" required value="{dataset}"' in prefilled

    created = alice.post(
        HOME,
        data={
            "target": "dataset",
            "value": dataset,
            "url": receiver.url,
            "csrf": csrf_of(prefilled),
        },
    )
    assert created.status_code == 200, created.text
    assert created.headers["cache-control"] == "no-store"
    secret_match = re.search(r'id="new-secret-value">([^<]+)<', created.text)
    assert secret_match, "the signing secret is not shown"
    secret = secret_match.group(1)
    assert SIGNATURE_HEADER in created.text
    listing = alice.get(HOME).text
    assert secret not in listing  # shown once only
    row = re.search(r'<tr data-subscription="(\d+)">(.*?)</tr>', listing, re.S)
    assert row and receiver.url in row.group(2)
    number = row.group(1)

    log_page = alice.get(f"{HOME}/{number}")
    assert log_page.status_code == 200
    assert 'id="no-deliveries"' in log_page.text

    rows = [[f"Q{i}", i] for i in range(7)]
    data = write_csv(Path(settings.data_dir) / "b.csv", ["id", "n"], rows)
    publish_file(settings, data, org=ORG, dataset=dataset)
    with open_catalog(settings) as catalog:
        run_once(settings, catalog, now=datetime.now(UTC) + timedelta(seconds=1))
    assert receiver.received, "the change was not POSTed"
    headers, body = receiver.received[0]
    assert verify(secret, body, headers[SIGNATURE_HEADER])  # the secret the page showed

    logged = alice.get(f"{HOME}/{number}").text
    assert 'data-status="delivered"' in logged
    assert "已送達" in logged and "HTTP 204" in logged
    assert "已送達 1" in alice.get(HOME).text  # the counts on the list

    csrf = csrf_of(logged)
    forged = alice.post(f"{HOME}/{number}/remove", data={"csrf": "forged"})
    assert forged.status_code == 403
    removed = alice.post(f"{HOME}/{number}/remove", data={"csrf": csrf}, follow_redirects=False)
    assert removed.status_code == 303
    assert f'data-subscription="{number}"' not in alice.get(HOME).text
    assert alice.get(f"{HOME}/{number}").status_code == 404


def test_another_users_subscription_is_not_theirs_to_see_or_remove(
    site: tuple[Settings, str, dict[str, str]], alice: TestClient, receiver: Receiver
) -> None:
    settings, dataset, tokens = site
    _subscribe(alice, dataset, receiver.url)
    number = re.findall(r'data-subscription="(\d+)"', alice.get(HOME).text)[0]
    with TestClient(create_app(settings)) as bob:
        log_in(bob, tokens["bob"])
        assert bob.get(f"{HOME}/{number}").status_code == 404
        assert receiver.url not in bob.get(HOME).text
        csrf = csrf_of(bob.get(HOME).text)
        assert bob.post(f"{HOME}/{number}/remove", data={"csrf": csrf}).status_code == 404
        assert bob.get(f"{HOME}/abc").status_code == 404
    assert f'data-subscription="{number}"' in alice.get(HOME).text  # still alice's


def test_bad_receivers_and_targets_are_refused_in_the_pages_language(
    site: tuple[Settings, str, dict[str, str]], alice: TestClient
) -> None:
    _, dataset, _ = site
    refused = _subscribe(alice, dataset, "javascript:alert(1)")
    assert "接收網址必須是可公開連線的 http(s) 網址。" in refused
    assert 'value="javascript:alert(1)"' in refused  # the form keeps what was typed, escaped
    assert 'aria-invalid="true"' in refused
    missing = _subscribe(alice, "no-such-dataset", "https://example.org/hook")
    assert "找不到這個資料集。" in missing
    alice.cookies.set("kaifang_lang", "en")
    english = _subscribe(alice, dataset, "ftp://example.org/<b>")
    assert "The receiver URL must be a public http(s) address." in english
    assert "<b>" not in english.split('id="add"')[1]  # escaped
    assert 'data-subscription="' not in alice.get(HOME).text  # nothing was added
