"""Publishing through the CKAN Action API with the real ``ckanapi`` client (its Python API
and its command line) against a live server of its own: tokens, package and resource writes
through the publish path, CKAN's errors, and ``ckanapi dump`` / ``ckanapi load``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import ckanapi
import httpx
import pytest

from kaifang.catalog import create_organization, create_token, create_user, open_catalog
from tests.api.conftest import Published, serving
from tests.api.data import ORG, OTHER_ORG, write_theft
from tests.catalogs import Catalogs

CKANAPI = str(Path(sys.executable).with_name("ckanapi"))


@dataclass(frozen=True)
class Site:
    url: str
    token: str  # an editor of ORG and OTHER_ORG
    member_token: str  # a member of ORG: may read, not publish
    files: Path


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, catalogs: Catalogs) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("ckan_writes")
    settings = catalogs.settings(root / "data", rate_limit=0)
    with open_catalog(settings) as catalog:
        create_organization(catalog, ORG, name="臺北市政府警察局")
        create_organization(catalog, OTHER_ORG, name="教育部")
        create_user(catalog, "editor", org=ORG, role="editor")
        catalog_user = create_user(catalog, "reader", org=ORG, role="member")
        from kaifang.catalog import grant_role

        grant_role(catalog, "editor", OTHER_ORG, "editor")
        token = create_token(catalog, "editor").token
        member_token = create_token(catalog, catalog_user.name).token
    with serving(settings) as url:
        yield Site(url, token, member_token, root / "files")


def remote(site: Site, token: str | None = None) -> ckanapi.RemoteCKAN:
    return ckanapi.RemoteCKAN(site.url, apikey=token)


PACKAGE = {
    "name": "theft_points",
    "title": "竊盜點位資訊",
    "notes": "臺北市竊盜案件的發生地點。",
    "owner_org": ORG.lower(),
    "tags": [{"name": "竊盜"}, {"name": "治安"}],
    "groups": [{"name": "e00"}],
    "license_id": "CC-BY-4.0",
    "maintainer": "王小明",
    "maintainer_email": "wang@example.gov.tw",
    "version": "2024.1",
    "author_email": "data@example.gov.tw",
    "extras": [{"key": "update_frequency", "value": "monthly"}, {"key": "source", "value": "x"}],
}


def test_writes_need_an_editor_token(site: Site) -> None:
    with pytest.raises(ckanapi.NotAuthorized):
        remote(site).action.package_create(**PACKAGE)
    with pytest.raises(ckanapi.NotAuthorized):
        remote(site, "kf_00000000_forged").action.package_create(**PACKAGE)
    with pytest.raises(ckanapi.NotAuthorized):
        remote(site, site.member_token).action.package_create(**PACKAGE)


def test_errors_have_ckans_shape_and_a_help_link_that_resolves(site: Site) -> None:
    answer = httpx.post(f"{site.url}/api/3/action/package_create", json=PACKAGE)
    assert answer.status_code == 403
    body = answer.json()
    assert body["success"] is False
    assert body["error"]["__type"] == "Authorization Error"
    helped = httpx.get(body["help"]).json()
    assert helped["success"] is True and "owner_org" in helped["result"]
    answer = httpx.post(f"{site.url}/api/3/action/package_show", json={"id": "nope"})
    assert (answer.status_code, answer.json()["error"]["__type"]) == (404, "Not Found Error")
    answer = httpx.post(
        f"{site.url}/api/3/action/package_create",
        json={**PACKAGE, "name": "invalid", "license_id": "no-such-licence"},
        headers={"Authorization": site.token},  # as CKAN sends a token: no "Bearer"
    )
    assert (answer.status_code, answer.json()["error"]["__type"]) == (409, "Validation Error")
    assert answer.json()["error"]["license_id"]  # per-field messages, as CKAN gives them


def test_validation_errors_name_each_field(site: Site) -> None:
    bad = {
        **PACKAGE,
        "name": "bad_one",
        "license_id": "no-such-licence",
        "maintainer_email": "not-an-address",
        "groups": [{"name": "e00"}, {"name": "a00"}],
    }
    with pytest.raises(ckanapi.ValidationError) as raised:
        remote(site, site.token).action.package_create(**bad)
    assert {"groups"} <= set(raised.value.error_dict)
    del bad["groups"]
    with pytest.raises(ckanapi.ValidationError) as raised:
        remote(site, site.token).action.package_create(**bad)
    assert {"license_id", "maintainer_email"} <= set(raised.value.error_dict)
    with pytest.raises(ckanapi.ValidationError) as raised:
        remote(site, site.token).action.package_create(**{**PACKAGE, "owner_org": ""})
    assert "owner_org" in raised.value.error_dict
    with pytest.raises(ckanapi.ValidationError) as raised:  # open data only
        remote(site, site.token).action.package_create(**{**PACKAGE, "private": True})
    assert "private" in raised.value.error_dict


def test_publish_round_trip(site: Site) -> None:
    """create → upload → show → search → datastore search → patch → new version → delete."""
    ckan = remote(site, site.token)
    created = ckan.action.package_create(**PACKAGE)
    assert created["name"] == "theft_points"
    assert created["groups"][0]["name"] == "e00"
    assert (created["version"], created["author_email"]) == ("2024.1", "data@example.gov.tw")
    assert created["creator_user_id"] == "editor"
    assert created["isopen"] is True
    assert {"key": "source", "value": "x"} in created["extras"]
    with pytest.raises(ckanapi.ValidationError) as taken:
        ckan.action.package_create(**PACKAGE)
    assert "name" in taken.value.error_dict

    path = write_theft(site.files / "theft.csv")
    with path.open("rb") as upload:
        resource = ckan.action.resource_create(
            package_id="theft_points", name="points", upload=upload
        )
    assert resource["datastore_active"] is True and resource["version"] == 1
    found = ckan.action.datastore_search(resource_id=resource["id"], q="汽車 士林")
    assert [r["_id"] for r in found["records"]] == [6]

    hits = ckan.action.package_search(q="title:竊盜", fq="groups:e00 OR groups:a00")
    assert [p["name"] for p in hits["results"]] == ["theft_points"]
    assert hits["results"][0]["num_resources"] == 1

    patched = ckan.action.package_patch(id="theft_points", notes="新的說明")
    assert patched["notes"] == "新的說明"
    assert patched["title"] == PACKAGE["title"] and patched["version"] == "2024.1"
    assert {t["name"] for t in patched["tags"]} == {"竊盜", "治安"}

    fewer = write_theft(site.files / "theft2.csv", rows=[(1, "住宅竊盜", "2023-01-01", "大安")])
    with fewer.open("rb") as upload:
        updated = ckan.action.resource_update(id=resource["id"], upload=upload)
    assert updated["version"] == 2 and updated["rows"] == 1

    ckan.action.package_delete(id="theft_points")
    assert "theft_points" not in ckan.action.package_list()
    assert ckan.action.package_search(q="竊盜")["count"] == 0
    withdrawn = ckan.action.package_show(id="theft_points")
    assert withdrawn["state"] == "deleted"
    assert ckan.action.datastore_search(resource_id=resource["id"])["total"] == 1  # kept
    listed = ckan.action.package_patch(id="theft_points", state="active")
    assert listed["state"] == "active"
    assert "theft_points" in ckan.action.package_list()


def test_an_upload_with_personal_data_is_refused_by_the_gate(site: Site) -> None:
    ckan = remote(site, site.token)
    ckan.action.package_create(name="people", title="人員", owner_org=ORG)
    path = site.files / "people.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "姓名,身分證字號\n" + "".join(f"王{i},A12345678{9}\n" for i in range(20)),
        encoding="utf-8",
    )
    with path.open("rb") as upload, pytest.raises(ckanapi.ValidationError) as refused:
        ckan.action.resource_create(package_id="people", name="people", upload=upload)
    assert "身分證字號" in " ".join(refused.value.error_dict["upload"])
    assert ckan.action.package_show(id="people")["resources"][0]["datastore_active"] is False


def test_datastore_writes_publish_versions(site: Site) -> None:
    """datastore_create publishes records; datastore_upsert publishes the current rows
    merged with new ones (insert, upsert and update by key); datastore_delete says why not."""
    ckan = remote(site, site.token)
    ckan.action.package_create(name="counts", title="Counts", owner_org=OTHER_ORG)
    created = ckan.action.datastore_create(
        resource={"package_id": "counts", "name": "counts"},
        records=[
            {"school": "A", "pupils": 10, "opened": "2001-09-01"},
            {"school": "B", "pupils": 12, "opened": "1999-09-01"},
        ],
    )
    resource_id = created["resource_id"]
    types = {f["id"]: f["type"] for f in created["fields"]}
    assert (types["pupils"], types["opened"], created["version"]) == ("int8", "date", 1)

    def rows() -> dict[str, int]:
        found = ckan.action.datastore_search(resource_id=resource_id, sort="school")
        return {r["school"]: r["pupils"] for r in found["records"]}

    inserted = ckan.action.datastore_upsert(
        resource_id=resource_id, method="insert", records=[{"school": "C", "pupils": 7}]
    )
    assert (inserted["version"], inserted["total"]) == (2, 3)
    assert {f["id"]: f["type"] for f in inserted["fields"]} == types  # types kept
    ckan.action.datastore_upsert(
        resource_id=resource_id,
        primary_key=["school"],
        records=[{"school": "A", "pupils": 11}, {"school": "D", "pupils": 3}],
    )
    assert rows() == {"A": 11, "B": 12, "C": 7, "D": 3}
    with pytest.raises(ckanapi.ValidationError) as unmatched:
        ckan.action.datastore_upsert(
            resource_id=resource_id,
            method="update",
            primary_key=["school"],
            records=[{"school": "Z", "pupils": 1}],
        )
    assert "records" in unmatched.value.error_dict
    with pytest.raises(ckanapi.ValidationError) as keyless:
        ckan.action.datastore_upsert(resource_id=resource_id, records=[{"school": "E"}])
    assert "method" in keyless.value.error_dict
    history = httpx.get(f"{site.url}/api/resources/{resource_id}").json()
    assert [v["rows"] for v in history["versions"]] == [2, 3, 4]  # every version kept
    with pytest.raises(ckanapi.ValidationError) as refused:
        ckan.action.datastore_delete(resource_id=resource_id)
    assert "immutable" in refused.value.error_dict["filters"][0]


def test_package_revise(site: Site) -> None:
    ckan = remote(site, site.token)
    ckan.action.package_create(name="revised", title="Before", owner_org=ORG)
    revised = ckan.action.package_revise(match={"name": "revised"}, update={"title": "After"})
    assert revised["package"]["title"] == "After"
    flat = ckan.action.package_revise(match__name="revised", update__notes="以參數修改")
    assert (flat["package"]["title"], flat["package"]["notes"]) == ("After", "以參數修改")
    with pytest.raises(ckanapi.NotFound):
        ckan.action.package_revise(match={"name": "no_such"}, update={"title": "x"})
    with pytest.raises(ckanapi.NotAuthorized):
        remote(site).action.package_revise(match={"name": "revised"}, update={"title": "x"})


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{Path(CKANAPI).parent}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(
        [CKANAPI, *args], capture_output=True, text=True, check=False, env=env, timeout=120
    )


def test_cli_action_creates_a_package(site: Site) -> None:
    done = _cli(
        "action", "package_create", "-r", site.url, "-a", site.token,
        "name=from_cli", "title=命令列", f"owner_org={ORG}", "notes=made by ckanapi",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["name"] == "from_cli"


def test_dump_and_load_recreate_the_datasets(
    site: Site, live_server: str, published: Published, tmp_path: Path
) -> None:
    """``ckanapi dump datasets`` from the fixture server, ``ckanapi load datasets
    --upload-resources`` into this one: the same datasets, with their data."""
    dump = tmp_path / "datasets.jsonl"
    done = _cli("dump", "datasets", "--all", "-r", live_server, "-O", str(dump), "-q")
    assert done.returncode == 0, done.stderr
    source = [json.loads(line) for line in dump.read_text(encoding="utf-8").splitlines()]
    assert len(source) == 3
    done = _cli(
        "load", "datasets", "-I", str(dump), "-r", site.url, "-a", site.token,
        "--upload-resources", "-p", "1",
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    ckan = remote(site)
    for package in source:
        copy = ckan.action.package_show(id=package["name"])
        for key in ("title", "notes", "license_id", "owner_org", "groups"):
            assert copy[key] == package[key], key
        assert {t["name"] for t in copy["tags"]} == {t["name"] for t in package["tags"]}
        for original, copied in zip(package["resources"], copy["resources"], strict=True):
            assert copied["id"] == original["id"]
            assert copied["rows"] == original["rows"] and copied["datastore_active"]
