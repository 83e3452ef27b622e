"""Data-quality reports, showcases and dataset-request listing (kaifang.catalog.reports,
showcases, requests), on SQLite and PostgreSQL: who may answer, close and review, what is
refused, and what the activity stream records."""

from __future__ import annotations

import pytest

from kaifang.catalog import create_organization, open_catalog
from kaifang.catalog.accounts import create_user, find_organization
from kaifang.catalog.activity import list_activity
from kaifang.catalog.editing import ResourceSpec, create_dataset
from kaifang.catalog.metadata import DatasetMetadata
from kaifang.catalog.records import UserRecord
from kaifang.catalog.reports import file_report, list_reports, report_response_days, respond
from kaifang.catalog.requests import answer_request, create_request, get_request, list_requests
from kaifang.catalog.showcases import (
    datasets_in_use,
    list_showcases,
    review_showcase,
    submit_showcase,
)
from kaifang.errors import ConflictError, ForbiddenError, NotFoundError, ValidationError
from kaifang.settings import Settings

POLICE = "379130000E"
FREEWAY = "313000000G"
READER = UserRecord(name="reader", email="")
EDITOR = UserRecord(name="steward", email="", roles={POLICE: "editor"})
OTHER = UserRecord(name="outsider", email="", roles={FREEWAY: "editor"})
MEMBER = UserRecord(name="member", email="", roles={POLICE: "member"})


@pytest.fixture
def community(catalog_settings: Settings) -> Settings:
    with open_catalog(catalog_settings) as catalog:
        create_organization(catalog, POLICE, name="臺北市政府警察局")
        create_organization(catalog, FREEWAY, name="交通部高速公路局")
        for user in (READER, EDITOR, OTHER, MEMBER):
            create_user(catalog, user.name)
        create_dataset(
            catalog, org=POLICE, slug="theft", metadata=DatasetMetadata(title="竊盜點位"),
            resources=[ResourceSpec(name="points", slug="theft_points")],
        )  # fmt: skip
        create_dataset(
            catalog, org=FREEWAY, slug="traffic", metadata=DatasetMetadata(title="車流量")
        )
    return catalog_settings


def test_a_report_is_filed_answered_and_closed_by_the_organization(community: Settings) -> None:
    with open_catalog(community) as catalog:
        filed = file_report(
            catalog, READER, "theft", kind="wrong_value", resource="theft_points", row=12,
            column="發生地點", description="地址寫錯 <b>x</b>",
        )  # fmt: skip
        assert (filed["status"], filed["row"], filed["column"]) == ("open", 12, "發生地點")
        assert filed["description"] == "地址寫錯 <b>x</b>"  # stored as written; pages escape
        for outsider in (OTHER, MEMBER, READER):
            with pytest.raises(ForbiddenError):
                respond(catalog, outsider, filed["id"], response="改好了")
        answered = respond(catalog, EDITOR, filed["id"], response="已更正")
        assert (answered["status"], answered["responder"]) == ("answered", "steward")
        assert list_reports(catalog, dataset="theft", status="open")["total"] == 1
        closed = respond(catalog, EDITOR, filed["id"], close=True)
        assert closed["status"] == "closed" and closed["response"] == "已更正"
        assert list_reports(catalog, dataset="theft", status="open")["total"] == 0
        assert list_reports(catalog, organization=POLICE.lower())["total"] == 1
        with pytest.raises(ConflictError):
            respond(catalog, EDITOR, filed["id"], response="again")
        with catalog.read() as session:
            kinds = [a["kind"] for a in list_activity(session, dataset="theft")]
            police = find_organization(session, POLICE).id
            assert report_response_days(session, police) == [0]
    assert kinds[:3] == ["report_answered", "report_answered", "report_filed"]


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"kind": "typo"}, "kind"),
        ({"kind": "wrong_value", "column": "x"}, "row"),
        ({"kind": "wrong_value", "row": 3}, "column"),
        ({"kind": "wrong_value", "row": 0, "column": "x"}, "row"),
        ({"kind": "other"}, "description"),
        ({"kind": "broken_link", "resource": "nope"}, "resource"),
    ],
)
def test_a_report_names_what_is_wrong(
    community: Settings, fields: dict[str, object], key: str
) -> None:
    with open_catalog(community) as catalog, pytest.raises(ValidationError) as caught:
        file_report(catalog, READER, "theft", **fields)  # type: ignore[arg-type]
    assert caught.value.details["key"] == key


def test_a_showcase_waits_for_an_editor_of_a_dataset_it_uses(community: Settings) -> None:
    with open_catalog(community) as catalog:
        made = submit_showcase(
            catalog, READER, title="竊盜地圖", url="https://example.tw/map", kind="map",
            datasets=["theft", "theft"], image_url="http://example.tw/map.png",
        )  # fmt: skip
        assert made["status"] == "pending" and [d["id"] for d in made["datasets"]] == ["theft"]
        assert list_showcases(catalog)["total"] == 0
        with pytest.raises(ForbiddenError):
            review_showcase(catalog, OTHER, made["id"], decision="approved")
        approved = review_showcase(catalog, EDITOR, made["id"], decision="approved")
        assert (approved["status"], approved["reviewer"]) == ("approved", "steward")
        with pytest.raises(ConflictError):
            review_showcase(catalog, EDITOR, made["id"], decision="approved")
        shown = list_showcases(catalog, dataset="theft")["data"]
        assert [s["title"] for s in shown] == ["竊盜地圖"]
        assert list_showcases(catalog, dataset="traffic")["total"] == 0
        assert list_showcases(catalog, organization=POLICE)["total"] == 1
        with catalog.read() as session:
            assert datasets_in_use(session) == 1
            kinds = [a["kind"] for a in list_activity(session, dataset="theft")]
        assert kinds[0] == "showcase_approved"
        with pytest.raises(NotFoundError):
            review_showcase(catalog, EDITOR, 999, decision="approved")


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"url": "javascript:alert(1)"}, "url"),
        ({"url": "JavaScript:alert(1)"}, "url"),
        ({"url": "data:text/html,x"}, "url"),
        ({"url": "//example.tw"}, "url"),
        ({"image_url": "javascript:alert(1)"}, "image_url"),
        ({"kind": "game"}, "kind"),
        ({"title": " "}, "title"),
        ({"datasets": []}, "datasets"),
    ],
)
def test_a_showcase_links_only_to_web_addresses(
    community: Settings, fields: dict[str, object], key: str
) -> None:
    base: dict[str, object] = {
        "title": "地圖", "url": "https://example.tw", "kind": "map", "datasets": ["theft"],
    }  # fmt: skip
    with open_catalog(community) as catalog, pytest.raises(ValidationError) as caught:
        submit_showcase(catalog, READER, **{**base, **fields})  # type: ignore[arg-type]
    assert caught.value.details["key"] == key


def test_requests_are_listed_by_organization_and_status(community: Settings) -> None:
    with open_catalog(community) as catalog:
        first = create_request(catalog, POLICE, title="機車竊盜", contact="a@example.tw")
        create_request(catalog, FREEWAY, title="匝道車流")
        answer_request(catalog, first.id, status="answered", response="下月發布")
        again = answer_request(catalog, first.id, status="fulfilled", response="已發布 theft")
        assert again.status == "fulfilled"
        with pytest.raises(ConflictError):
            answer_request(catalog, first.id, status="rejected", response="no")
        total, rows = list_requests(catalog, org=POLICE, status="closed")
        assert (total, [r.title for r in rows]) == (1, ["機車竊盜"])
        assert list_requests(catalog, status="open")[0] == 1
        assert list_requests(catalog, limit=1, offset=1)[1][0].title == "機車竊盜"
        shown = get_request(catalog, first.id)
        assert shown.contact == "a@example.tw" and "contact" not in shown.to_dict()
        with pytest.raises(ValidationError):
            list_requests(catalog, status="done")
