"""The service layer: routes return exactly what its methods return, and its own logic
(paging, modified-since, token checks, write roles)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
from fastapi.testclient import TestClient

from kaifang.catalog import create_token, create_user, open_catalog
from kaifang.errors import ForbiddenError, NotFoundError, UnauthorizedError
from kaifang.service import DatasetSearch, Service
from tests.api.conftest import Published
from tests.api.data import ORG, OTHER_ORG


@pytest.fixture(scope="module")
def service(published: Published) -> Iterator[Service]:
    service = Service(published.settings)
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
            lambda p: p.datapackage(
                "school_directory", base_url="http://testserver"
            ),  # no base_url configured: the request's host
        ),
    ],
)
def test_routes_return_what_the_portal_returns(
    client: TestClient, service: Service, url: str, call: object
) -> None:
    assert callable(call)
    assert client.get(url).json() == call(service)


def test_search_pages_count_every_match(service: Service) -> None:
    page = service.search_datasets(DatasetSearch(org=ORG), limit=1, offset=1)
    assert page.count == 2 and len(page.items) == 1
    assert service.search_datasets(DatasetSearch(org=OTHER_ORG)).count == 1


@pytest.mark.parametrize("tz", [UTC, timezone(timedelta(hours=8)), None])
def test_modified_since_accepts_aware_and_naive_times(
    service: Service, tz: timezone | None
) -> None:
    past = datetime(2000, 1, 1, tzinfo=tz)
    future = datetime(2999, 1, 1, tzinfo=tz)
    assert len(service.dataset_identifiers(modified_since=past)) == 3
    assert service.dataset_identifiers(modified_since=future) == []


def test_unknown_references_raise_not_found(service: Service) -> None:
    for call in (
        lambda: service.get_dataset("nope"),
        lambda: service.get_resource("nope"),
        lambda: service.organization("000000000X"),
        lambda: service.rows("nope", {}),
    ):
        with pytest.raises(NotFoundError):
            call()


def test_token_checks_are_cached_and_fake_tokens_rejected(
    service: Service, published: Published
) -> None:
    with open_catalog(published.settings) as catalog:
        create_user(catalog, "portal-member", org=ORG, role="member")
        token = create_token(catalog, "portal-member").token
    assert service.token_is_valid(token) is True
    assert service.token_is_valid(token) is True  # from the cache
    assert service.token_is_valid("kf_00000000_fake") is False
    assert service.token_is_valid("") is False
    with pytest.raises(UnauthorizedError):
        service.authenticate("kf_00000000_fake")
    user = service.authenticate(token)
    with pytest.raises(ForbiddenError, match="may not publish"):
        service.publish_upload(user, "theft", "theft", published.settings.data_dir / "x.csv")


def test_the_organization_page_fixes_are_those_of_each_datasets_own_score(
    service: Service,
) -> None:
    """The page reads only the failed checks of one scoring of the organization; the points
    to win back are those each dataset's own score names."""
    from kaifang.service import editing, web

    now = datetime.now(UTC)
    page = web.organization_page(service, ORG, now=now)
    datasets = page["org"]["datasets"]
    full = service.dataset_scores([d["id"] for d in datasets], now=now)
    assert any(not c["passed"] for score in full.values() for c in score["checks"])
    expected = editing.organization_fixes(service, ORG, now=now, datasets=datasets, scores=full)
    assert page["fix_first"] == expected
    assert expected, "the fixture organization should have a point to win back"


@pytest.mark.parametrize("sort", ["relevance", "popularity", "title"])
def test_the_dataset_page_is_its_documented_model(service: Service, sort: str) -> None:
    """``/api/datasets`` is encoded without building its model: the same JSON as the model
    validated and dumped the way FastAPI would."""
    from kaifang.service import models

    body = service.dataset_page(sort=sort, limit=2, offset=1)
    page = json.loads(body)
    assert page["count"] >= 3 and len(page["data"]) == 2
    model = models.DatasetPage.model_validate(page)  # the shape the OpenAPI document names
    assert json.loads(model.model_dump_json(by_alias=True)) == page
    assert [d["id"] for d in page["data"]] == [
        d["id"] for d in service.search_datasets(sort=sort, limit=2, offset=1).items
    ]


def test_the_organization_answer_is_its_documented_model(service: Service) -> None:
    """``/api/organizations/{code}`` too is encoded without building its model."""
    from kaifang.service import models

    answer = json.loads(service.organization_detail(ORG, limit=1, offset=0))
    assert answer["code"] == ORG and answer["dataset_count"] >= 2
    assert len(answer["datasets"]) == 1
    model = models.OrganizationDetail.model_validate(answer)
    assert json.loads(model.model_dump_json(by_alias=True)) == answer
