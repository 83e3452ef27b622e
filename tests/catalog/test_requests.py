from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kaifang.catalog import create_organization, open_catalog
from kaifang.catalog.requests import answer_request, create_request, open_requests
from kaifang.errors import ConflictError, NotFoundError, ValidationError
from kaifang.settings import Settings

ORG = "315000000H"
NOW = datetime(2026, 3, 1, 1, 0, tzinfo=UTC)


@pytest.fixture
def org_settings(catalog_settings: Settings) -> Settings:
    with open_catalog(catalog_settings) as catalog:
        create_organization(catalog, ORG, name="教育部")
    return catalog_settings


def test_open_requests_are_listed_oldest_first_with_their_age(org_settings: Settings) -> None:
    with open_catalog(org_settings) as catalog:
        lunch = create_request(catalog, ORG, title="學校營養午餐菜單", at=NOW - timedelta(days=40))
        create_request(catalog, ORG, title="校舍耐震資料", at=NOW - timedelta(days=3))
        older = create_request(catalog, ORG, title="學生數", at=NOW - timedelta(days=90))
        answered = answer_request(
            catalog, older.id, status="fulfilled", response="已發布 moe-students"
        )
        listed = open_requests(catalog, ORG.lower(), now=NOW)
    assert [(r.title, r.age_days) for r in listed] == [
        ("學校營養午餐菜單", 40),
        ("校舍耐震資料", 3),
    ]
    assert listed[0].id == lunch.id
    assert (answered.status, answered.response) == ("fulfilled", "已發布 moe-students")
    assert answered.answered is not None


@pytest.mark.parametrize(
    ("status", "response", "error"),
    [
        ("open", "好", ValidationError),
        ("done", "好", ValidationError),
        ("answered", "  ", ValidationError),
    ],
)
def test_an_answer_needs_a_known_status_and_a_response(
    org_settings: Settings, status: str, response: str, error: type[Exception]
) -> None:
    with open_catalog(org_settings) as catalog:
        request = create_request(catalog, ORG, title="學生數")
        with pytest.raises(error):
            answer_request(catalog, request.id, status=status, response=response)


def test_a_request_is_answered_once(org_settings: Settings) -> None:
    with open_catalog(org_settings) as catalog:
        request = create_request(catalog, ORG, title="學生數")
        answer_request(catalog, request.id, status="rejected", response="無此資料")
        with pytest.raises(ConflictError, match="already answered"):
            answer_request(catalog, request.id, status="answered", response="再議")
        with pytest.raises(NotFoundError):
            answer_request(catalog, 9999, status="answered", response="再議")


@pytest.mark.parametrize(("org", "title"), [(ORG, " "), ("A99999999Z", "學生數")])
def test_a_request_needs_a_title_and_a_known_organization(
    org_settings: Settings, org: str, title: str
) -> None:
    with open_catalog(org_settings) as catalog, pytest.raises((ValidationError, NotFoundError)):
        create_request(catalog, org, title=title)
