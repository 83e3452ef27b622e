"""``frictionless validate`` passes on the Data Package of every demo dataset (M06A's nested
``TripInformation`` included), with the CSV downloads the packages link to, and the links
point at the server that answered (no base_url configured)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import frictionless
import pytest
from fastapi.testclient import TestClient

from kaifang.app import create_app
from kaifang.demo import DemoPlan, load_demo
from tests.catalogs import Catalogs

SMALL = DemoPlan(
    freeway_days=1,
    freeway_scale=0.02,
    freeway_trips_per_day=2000,
    elections_scale=0.05,
    theft_scale=0.05,
    schools_scale=0.05,
)
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, catalogs: Catalogs) -> Iterator[TestClient]:
    settings = catalogs.settings(tmp_path_factory.mktemp("demo") / "data", rate_limit=0)
    load_demo(settings, SMALL)
    with TestClient(create_app(settings)) as client:
        yield client


def validate_offline(client: TestClient, descriptor: dict[str, object], folder: Path) -> None:
    """Point each resource at its downloaded CSV and validate the package with frictionless."""
    resources = descriptor["resources"]
    assert isinstance(resources, list) and resources
    for resource in resources:
        path = str(resource["path"])
        assert path.startswith("http://testserver/api/resources/"), path
        local = folder / f"{resource['name']}.csv"
        local.write_bytes(client.get(path.removeprefix("http://testserver")).content)
        resource["path"] = local.name
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    package = frictionless.Package.from_descriptor(
        str(folder / "datapackage.json"), basepath=str(folder)
    )
    report = package.validate()
    assert report.valid, report.flatten(["resourcePath", "rowNumber", "fieldName", "type", "note"])


def test_every_demo_package_validates(demo: TestClient, tmp_path: Path) -> None:
    datasets = demo.get("/api/datasets?limit=100").json()["data"]
    assert len(datasets) >= 5
    nested = False
    for dataset in datasets:
        descriptor = demo.get(f"/api/datasets/{dataset['id']}/datapackage.json").json()
        folder = tmp_path / dataset["id"]
        folder.mkdir()
        for resource in descriptor["resources"]:
            types = {f["name"]: f["type"] for f in resource["schema"]["fields"]}
            nested = nested or types.get("TripInformation") == "array"
        validate_offline(demo, descriptor, folder)
    assert nested, "M06A's TripInformation was not among the packages"
