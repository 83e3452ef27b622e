"""The catalog's change stamp (kaifang.catalog.stamp): still while nobody writes, moved by
every commit, from this process or another, and never equal twice on an in-memory catalog."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from kaifang.catalog import create_organization, open_catalog
from kaifang.catalog.db import Catalog
from kaifang.settings import Settings, load_settings


def test_the_stamp_stays_while_nobody_writes_and_moves_on_each_commit(
    catalog_settings: Settings,
) -> None:
    with open_catalog(catalog_settings) as catalog, open_catalog(catalog_settings) as other:
        before = catalog.stamp.read()
        with catalog.read() as session:  # reading changes nothing
            session.execute(text("SELECT count(*) FROM datasets"))
        assert catalog.stamp.read() == before
        create_organization(catalog, "379130000E", name="臺北市政府警察局")  # this process
        moved = catalog.stamp.read()
        assert moved != before
        create_organization(other, "315000000H", name="交通部高速公路局")  # another catalog
        assert catalog.stamp.read() != moved
        assert catalog.stamp.is_local == catalog.is_sqlite


@pytest.mark.sqlite
def test_an_in_memory_catalog_keeps_nothing() -> None:
    catalog = Catalog(load_settings({}, database_url="sqlite://"))
    try:
        assert catalog.stamp.read() != catalog.stamp.read()
    finally:
        catalog.close()
