"""A renamed resource (issue 21): its files stay where they are (its storage name), its former
id redirects on pages, the native API and downloads (301 for GET and HEAD, 308 otherwise),
the CKAN API answers the current record, SQL answers both table names, the rename is in the
activity stream, and the next publish adds a version to the renamed resource."""

from __future__ import annotations

import csv
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kaifang.app import create_app
from kaifang.catalog import create_organization, open_catalog
from kaifang.catalog.aliases import rename_dataset, rename_resource
from kaifang.catalog.datasets import find_resource
from kaifang.publish import PublishResult, publish_file
from kaifang.settings import Settings
from kaifang.storage import VersionStore
from tests.publishing import ORG, THEFT_HEADER, THEFT_ROWS, WriteCsv, stored_files

OLD, NEW = "theft_2023", "taipei_theft_points"
FOURTH = (4, "機車竊盜", "2023-01-04", "大同分局")


@pytest.fixture
def published(settings: Settings, write_csv: WriteCsv) -> PublishResult:
    with open_catalog(settings) as catalog:
        create_organization(catalog, ORG, name="臺北市政府警察局")
    return publish_file(
        settings,
        write_csv("theft.csv", THEFT_HEADER, THEFT_ROWS),
        org=ORG,
        title="竊盜點位",
        resource=OLD,
    )


@pytest.fixture
def renamed(settings: Settings, published: PublishResult) -> Iterator[TestClient]:
    assert published.resource == OLD
    files = stored_files(settings)
    with open_catalog(settings) as catalog:
        done = rename_resource(catalog, VersionStore(settings), OLD, NEW, actor="admin")
    assert (done.kind, done.old, done.new) == ("resource", OLD, NEW)
    assert stored_files(settings) == files  # nothing moved or copied
    with TestClient(create_app(settings), follow_redirects=False) as client:
        yield client


@pytest.mark.parametrize(
    ("path", "location"),
    [
        (f"/resources/{OLD}", f"/resources/{NEW}"),
        (f"/resources/{OLD}?lang=en", f"/resources/{NEW}?lang=en"),
        (f"/api/resources/{OLD}", f"/api/resources/{NEW}"),
        (f"/api/resources/{OLD}/rows?_limit=2", f"/api/resources/{NEW}/rows?_limit=2"),
        (f"/api/resources/{OLD}/download.csv", f"/api/resources/{NEW}/download.csv"),
        (f"/api/resources/{OLD}/download.parquet", f"/api/resources/{NEW}/download.parquet"),
    ],
)
def test_pages_api_and_downloads_redirect(renamed: TestClient, path: str, location: str) -> None:
    moved = renamed.get(path)
    assert moved.status_code == 301, moved.text
    assert moved.headers["location"] == location
    assert renamed.get(location).status_code == 200


def test_a_head_request_is_redirected_too(renamed: TestClient) -> None:
    head = renamed.head(f"/api/resources/{OLD}/download.csv")
    assert (head.status_code, head.headers["location"]) == (
        301,
        f"/api/resources/{NEW}/download.csv",
    )


def test_the_rows_are_read_from_the_unmoved_files(renamed: TestClient) -> None:
    page = renamed.get(f"/api/resources/{NEW}/rows", params={"_sort": "編號"})
    assert page.status_code == 200, page.text
    assert [row["編號"] for row in page.json()["rows"]] == [1, 2, 3]
    detail = renamed.get(f"/api/resources/{NEW}").json()
    assert detail["id"] == NEW


def test_ckan_answers_the_current_record(renamed: TestClient) -> None:
    shown = renamed.get("/api/3/action/resource_show", params={"id": OLD})
    assert shown.status_code == 200, shown.text
    assert shown.json()["result"]["id"] == NEW
    searched = renamed.get("/api/3/action/datastore_search", params={"resource_id": OLD})
    assert searched.status_code == 200, searched.text
    assert searched.json()["result"]["total"] == 3


def test_sql_answers_the_new_and_the_former_table_name(renamed: TestClient) -> None:
    for name in (NEW, OLD, f"{OLD}__v1"):
        answer = renamed.get("/api/sql", params={"sql": f'SELECT count(*) AS n FROM "{name}"'})
        assert answer.status_code == 200, (name, answer.text)
        assert answer.json()["rows"] == [[3]]
    listed = renamed.get(
        "/api/sql",
        params={"sql": "SELECT table_name FROM information_schema.tables ORDER BY table_name"},
    ).json()["rows"]
    names = {row[0] for row in listed}
    assert NEW in names and OLD not in names  # the listing names only the id now


def test_the_rename_is_in_the_activity_stream(renamed: TestClient) -> None:
    activities = renamed.get("/api/activity").json()["data"]
    latest = activities[0]
    assert latest["kind"] == "resource_renamed"
    assert latest["actor"] == "admin"
    assert latest["detail"] == {"old": OLD, "new": NEW}
    feed = renamed.get(f"/feeds/datasets/{latest['dataset']['id']}.atom")
    assert f"資料表編號 {OLD} 改為 {NEW}" in feed.text


def test_the_next_publish_adds_a_version_to_the_renamed_resource(
    renamed: TestClient, settings: Settings, published: PublishResult, write_csv: WriteCsv
) -> None:
    again = publish_file(
        settings,
        write_csv(
            "theft.csv", THEFT_HEADER, [*THEFT_ROWS, (4, "機車竊盜", "2023-01-04", "大同分局")]
        ),
        org=ORG,
        dataset=published.dataset,
        resource=NEW,
    )
    assert (again.resource, again.version, again.rows) == (NEW, 2, 4)
    assert {p.parts[-3] for p in stored_files(settings) if p.suffix == ".parquet"} == {OLD}
    pinned = renamed.get("/api/sql", params={"sql": f'SELECT count(*) FROM "{NEW}__v1"'})
    assert pinned.status_code == 200, pinned.text
    page = renamed.get(f"/api/resources/{NEW}/rows").json()
    assert page["total"] == 4


def test_a_running_server_follows_a_rename(settings: Settings, published: PublishResult) -> None:
    """What a server keeps per resource (its ref, its version's files, its serving copy,
    counted rows) neither answers the former id as if it still were the id nor breaks the
    new one."""
    serving = settings.replace(serving_copy_min_rows=1)
    with TestClient(create_app(serving), follow_redirects=False) as client:
        for _ in range(2):  # the second request may read the serving copy
            before = client.get(f"/api/resources/{OLD}/rows", params={"案類": "住宅竊盜"})
            assert before.json()["total"] == 2
        with open_catalog(serving) as catalog:
            rename_resource(catalog, VersionStore(serving), OLD, NEW)
        moved = client.get(f"/api/resources/{OLD}/rows", params={"案類": "住宅竊盜"})
        assert moved.status_code == 301
        after = client.get(f"/api/resources/{NEW}/rows", params={"案類": "住宅竊盜"})
        assert after.status_code == 200, after.text
        assert after.json()["total"] == 2
        assert client.get(f"/resources/{NEW}").status_code == 200
        assert client.get(f"/api/sql?sql=SELECT count(*) FROM {OLD}").json()["rows"] == [[3]]


def test_renames_during_a_publish(settings: Settings, published: PublishResult) -> None:
    """A resource rename waits for the publish writing to it (it holds the resource's storage
    lock) and a dataset renamed meanwhile gets the version all the same."""
    store = VersionStore(settings)
    renames: list[threading.Thread] = []

    def rename_both(done: int, total: int) -> None:
        if renames:
            return
        with open_catalog(settings) as catalog:
            rename_dataset(catalog, published.dataset, "taipei_theft")

        def rename_table() -> None:
            with open_catalog(settings) as catalog:
                rename_resource(catalog, store, OLD, NEW)

        renames.append(threading.Thread(target=rename_table))
        renames[0].start()
        renames[0].join(timeout=1.0)
        assert renames[0].is_alive()  # waiting for the publish's lock

    rows = [*THEFT_ROWS, FOURTH]
    again = publish_file(
        settings,
        write_csv_rows(settings, rows),
        org=ORG,
        dataset=published.dataset,
        resource=OLD,
        progress=rename_both,
    )
    renames[0].join(timeout=30)
    assert not renames[0].is_alive()
    assert (again.dataset, again.version, again.rows) == ("taipei_theft", 2, 4)
    with open_catalog(settings) as catalog, catalog.read() as session:
        resource = find_resource(session, NEW)
        assert (resource.current_version, resource.storage) == (2, OLD)


def write_csv_rows(settings: Settings, rows: Sequence[Sequence[Any]]) -> Path:
    path = settings.data_dir.parent / "theft_again.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows([THEFT_HEADER, *rows])
    return path
