"""Map tiles are optional: by default no page names a tile server and images come only from
the portal; with ``map_tiles_url`` set, the dashboards hand the address to charts.js and the
pages' Content-Security-Policy allows images from that origin, and from no other."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from kaifang.app import create_app
from kaifang.errors import ValidationError
from kaifang.settings import Settings, load_settings
from kaifang.web.security import PORTAL_CSP

TILES = "https://tiles.example.tw/osm/{z}/{x}/{y}.png"


def test_offline_by_default(client: TestClient) -> None:
    page = client.get("/dashboards/freeway")
    assert page.headers["content-security-policy"] == PORTAL_CSP
    assert "img-src 'self' data:;" in PORTAL_CSP
    assert "data-tiles" not in page.text


def test_a_tile_server_is_allowed_only_when_set(settings: Settings) -> None:
    tiled = settings.replace(map_tiles_url=TILES, map_tiles_attribution='© OSM <b>"x"</b>')
    with TestClient(create_app(tiled)) as client:
        page = client.get("/dashboards/freeway")
        policy = page.headers["content-security-policy"]
        assert "img-src 'self' data: https://tiles.example.tw;" in policy
        assert policy.replace(" https://tiles.example.tw", "") == PORTAL_CSP
        assert f'data-tiles="{TILES}"' in page.text
        assert 'data-tiles-attribution="© OSM &lt;b&gt;&#34;x&#34;&lt;/b&gt;"' in page.text
        # every page carries the same policy; only the dashboards name the tiles
        home = client.get("/")
        assert home.headers["content-security-policy"] == policy
        assert "data-tiles" not in home.text


@pytest.mark.parametrize(
    "value",
    [
        "javascript:alert(1)//{z}/{x}/{y}",
        "https://tiles.example.tw/{z}/{x}.png",  # no {y}
        "https://tiles.example.tw; script-src *; /{z}/{x}/{y}.png",
        "https://tiles.example.tw/{z}/{x}/{y}.png' 'unsafe-inline",
        "//tiles.example.tw/{z}/{x}/{y}.png",
    ],
)
def test_a_bad_tile_address_is_refused(value: str) -> None:
    with pytest.raises(ValidationError, match="map_tiles_url") as refused:
        load_settings({"KAIFANG_MAP_TILES_URL": value})
    assert "{z}, {x} and {y}" in (refused.value.hint or "")


def test_a_tile_address_is_read_from_the_environment() -> None:
    assert load_settings({"KAIFANG_MAP_TILES_URL": TILES}).map_tiles_url == TILES
