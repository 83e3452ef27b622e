"""The portal service: routes return exactly what its methods return, and its own logic
(paging, modified-since, token checks, write roles)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
from fastapi.testclient import TestClient

from kaifang.catalog import create_token, create_user, open_catalog
from kaifang.errors import ForbiddenError, NotFoundError, UnauthorizedError
from kaifang.portal import Portal
from tests.api.conftest import Published
from tests.api.data import ORG, OTHER_ORG


@pytest.fixture(scope="module")
def portal(published: Published) -> Iterator[Portal]:
    service = Portal(published.settings)
    yield service
    service.close()


@pytest.mark.parametrize(
    ("url", "call"),
    [
        ("/api/datasets/theft", lambda p: p.get_dataset("theft")),
        ("/api/resources/freeway", lambda p: p.get_resource("freeway")),
        ("/api/organizations/" + ORG, lambda p: p.organization(ORG, with_datasets=True)),
        (
            "/api/resources/freeway/rows?Volume__gt=490&_sort=id",
            lambda p: p.rows("freeway", {"Volume__gt": "490", "_sort": "id"}),
        ),
        (
            "/api/resources/freeway/aggregate?group_by=Direction",
            lambda p: p.aggregate("freeway", {"group_by": "Direction"}),
        ),
        (
            "/api/datasets/school_directory/datapackage.json",
            lambda p: p.datapackage("school_directory"),
        ),
    ],
)
def test_routes_return_what_the_portal_returns(
    client: TestClient, portal: Portal, url: str, call: object
) -> None:
    assert callable(call)
    assert client.get(url).json() == call(portal)


def test_search_pages_count_every_match(portal: Portal) -> None:
    page = portal.search_datasets(org=ORG, limit=1, offset=1)
    assert page.count == 2 and len(page.items) == 1
    assert portal.search_datasets(org=OTHER_ORG).count == 1


@pytest.mark.parametrize("tz", [UTC, timezone(timedelta(hours=8)), None])
def test_modified_since_accepts_aware_and_naive_times(portal: Portal, tz: timezone | None) -> None:
    past = datetime(2000, 1, 1, tzinfo=tz)
    future = datetime(2999, 1, 1, tzinfo=tz)
    assert len(portal.dataset_identifiers(modified_since=past)) == 3
    assert portal.dataset_identifiers(modified_since=future) == []


def test_unknown_references_raise_not_found(portal: Portal) -> None:
    for call in (
        lambda: portal.get_dataset("nope"),
        lambda: portal.get_resource("nope"),
        lambda: portal.organization("000000000X"),
        lambda: portal.rows("nope", {}),
    ):
        with pytest.raises(NotFoundError):
            call()


def test_token_checks_are_cached_and_fake_tokens_rejected(
    portal: Portal, published: Published
) -> None:
    with open_catalog(published.settings) as catalog:
        create_user(catalog, "portal-member", org=ORG, role="member")
        token = create_token(catalog, "portal-member").token
    assert portal.token_is_valid(token) is True
    assert portal.token_is_valid(token) is True  # from the cache
    assert portal.token_is_valid("kf_00000000_fake") is False
    assert portal.token_is_valid("") is False
    with pytest.raises(UnauthorizedError):
        portal.authenticate("kf_00000000_fake")
    user = portal.authenticate(token)
    with pytest.raises(ForbiddenError, match="may not publish"):
        portal.publish_upload(user, "theft", "theft", published.settings.data_dir / "x.csv")
