"""The activity stream: each publish records what users follow (a new dataset, each version
with its change in rows, changed scores) in the same transaction; the native API, CKAN's
activity actions and the Atom feeds all read it, newest first, with stable paging."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest
from fastapi.testclient import TestClient

from kaifang.app import create_app
from kaifang.catalog import create_organization, open_catalog
from kaifang.publish import publish_file
from kaifang.settings import Settings
from tests.harvest.conftest import write_csv

ORG, OTHER = "379130000E", "A61000000A"


@pytest.fixture
def portal(settings: Settings, tmp_path: Path) -> tuple[Settings, str, str]:
    """Two organizations; a dataset with two versions, and another organization's one."""
    settings = settings.replace(rate_limit=0)
    with open_catalog(settings) as catalog:
        create_organization(catalog, ORG, name="臺北市政府警察局")
        create_organization(catalog, OTHER, name="中央選舉委員會")
    rows = [[f"P{i}", i] for i in range(30)]
    meta = {"title": "竊盜點位", "description": "點位"}
    first = publish_file(
        settings, write_csv(tmp_path / "a.csv", ["id", "n"], rows[:20]), org=ORG, metadata=meta
    )
    publish_file(settings, write_csv(tmp_path / "b.csv", ["id", "n"], rows), org=ORG,
                 dataset=first.dataset, publisher="alice")  # fmt: skip
    other = publish_file(settings, write_csv(tmp_path / "c.csv", ["x"], [[1], [2]]), org=OTHER,
                         metadata={"title": "投票所"})  # fmt: skip
    return settings, first.dataset, other.dataset


def test_publishing_records_the_changes_people_follow(portal: tuple[Settings, str, str]) -> None:
    settings, thefts, polls = portal
    with TestClient(create_app(settings)) as client:
        everything = client.get("/api/activity").json()["data"]
        mine = client.get("/api/activity", params={"dataset": thefts}).json()["data"]
        by_org = client.get("/api/activity", params={"organization": OTHER}).json()["data"]
        unknown = client.get("/api/activity", params={"organization": "X00000000X"})
    kinds = [(a["kind"], a["dataset"]["id"]) for a in everything]
    assert kinds[:2] == [("version_published", polls), ("dataset_created", polls)]
    assert [a["kind"] for a in mine if a["kind"] != "score_changed"] == [
        "version_published", "version_published", "dataset_created"]  # fmt: skip
    newest = mine[0] if mine[0]["kind"] == "version_published" else mine[1]
    assert newest["detail"]["version"] == 2 and newest["detail"]["rows"] == 30
    assert newest["detail"]["row_delta"] == 10 and newest["actor"] == "alice"
    assert "row_delta" not in mine[-2]["detail"]  # the first version has nothing to compare
    assert {a["organization"]["code"] for a in by_org} == {OTHER}
    assert unknown.status_code == 404
    ids = [a["id"] for a in everything]
    assert ids == sorted(ids, reverse=True)


def test_paging_is_stable_while_changes_arrive(
    portal: tuple[Settings, str, str], tmp_path: Path
) -> None:
    settings, thefts, _ = portal
    with TestClient(create_app(settings)) as client:
        first = client.get("/api/activity", params={"limit": 2}).json()
        publish_file(settings, write_csv(tmp_path / "d.csv", ["id", "n"], [["Q", 1]] * 3),
                     org=ORG, dataset=thefts)  # fmt: skip
        second = client.get(first["next"]).json()["data"]
        everything = client.get("/api/activity").json()["data"]
    older = [a["id"] for a in everything if a["id"] < first["data"][-1]["id"]]
    assert [a["id"] for a in second] == older[:2]  # the new activity did not shift the page
    assert everything[0]["id"] > first["data"][0]["id"]


def test_ckan_activity_actions(portal: tuple[Settings, str, str]) -> None:
    settings, thefts, _ = portal
    with TestClient(create_app(settings)) as client:
        listed = client.get("/api/3/action/package_activity_list", params={"id": thefts}).json()
        recent = client.get("/api/3/action/recently_changed_packages_activity_list",
                            params={"limit": 2}).json()  # fmt: skip
        org = client.get("/api/3/action/organization_activity_list",
                         params={"id": OTHER.lower()}).json()  # fmt: skip
        missing = client.get("/api/3/action/package_activity_list", params={"id": "nope"})
    assert listed["success"] is True
    types = [a["activity_type"] for a in listed["result"]]
    assert types[-1] == "new package" and set(types[:-1]) == {"changed package"}
    assert all(a["object_id"] == thefts for a in listed["result"])
    assert len(recent["result"]) == 2
    assert {a["data"]["package"]["owner_org"] for a in org["result"]} == {OTHER.lower()}
    assert missing.status_code == 404 and missing.json()["error"]["__type"] == "Not Found Error"


def test_atom_feeds_are_valid_and_linked_from_pages(portal: tuple[Settings, str, str]) -> None:
    settings, thefts, _ = portal
    with TestClient(create_app(settings)) as client:
        catalog_feed = client.get("/feeds/catalog.atom")
        dataset_feed = client.get(f"/feeds/datasets/{thefts}.atom")
        org_feed = client.get(f"/feeds/organizations/{OTHER}.atom")
        page = client.get(f"/datasets/{thefts}").text
        org_page = client.get(f"/organizations/{OTHER}").text
        missing = client.get("/feeds/datasets/nope.atom")
    assert catalog_feed.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(catalog_feed.content)
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "atom10" and len(parsed.entries) >= 5
    assert parsed.entries[0].title == "投票所：第 1 版（2 筆）"
    ids = [e.id for e in parsed.entries]
    assert len(set(ids)) == len(ids)
    one = feedparser.parse(dataset_feed.content)
    assert not one.bozo and {e.link.rsplit("/", 1)[1] for e in one.entries} == {thefts}
    assert any(e.title == "竊盜點位：第 2 版（30 筆）" for e in one.entries)
    assert {e.author for e in feedparser.parse(org_feed.content).entries} == {"中央選舉委員會"}
    assert f'href="/feeds/datasets/{thefts}.atom"' in page
    assert 'href="/feeds/catalog.atom"' in page
    assert f'href="/feeds/organizations/{OTHER}.atom"' in org_page
    assert missing.status_code == 404
