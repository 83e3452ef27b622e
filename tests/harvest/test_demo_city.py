"""``make demo`` shows federation: a fictional city portal, served by a second kaifang in the
same process, is harvested into the main portal through the national spec; doing it again
changes nothing."""

from __future__ import annotations

from pathlib import Path

from kaifang.catalog import open_catalog
from kaifang.catalog.datasets import list_datasets
from kaifang.cli.demo_city import CITY_CODE, harvest_city, start_city
from kaifang.settings import Settings
from tests.api.conftest import free_port
from tests.catalogs import Catalogs


def test_the_demo_city_is_harvested_once(
    settings: Settings, catalogs: Catalogs, tmp_path: Path
) -> None:
    city = start_city(catalogs.settings(tmp_path / "city"), host="127.0.0.1", port=free_port())
    try:
        first = harvest_city(settings, city)
        again = harvest_city(settings, city)
    finally:
        city.stop()
    assert first["status"] == "ok" and first["counts"]["created"] == 2
    assert again["counts"]["created"] == 0 and again["counts"]["unchanged"] == 2
    with open_catalog(settings) as catalog:
        titles = {d.title: d.to_dict() for d in list_datasets(catalog).data}
    assert set(titles) == {"示範市公園一覽", "示範市公共自行車站"}
    parks = titles["示範市公園一覽"]
    assert parks["organization"]["code"] == CITY_CODE
    assert parks["harvest"]["source"] == "demo-city"
    assert parks["distributions"][0]["url"].startswith(city.url)
