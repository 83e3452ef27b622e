"""The catalog cache (kaifang.service.catalog_cache): an answer is kept while the catalog is
unchanged and computed again after any write that could change it, so counts stay exact."""

from __future__ import annotations

from kaifang.catalog import create_organization, open_catalog
from kaifang.catalog.bulk import Entry, register_entries
from kaifang.catalog.finder import Filters, facet_counts
from kaifang.catalog.metadata import DatasetMetadata
from kaifang.catalog.requests import create_request
from kaifang.service.catalog_cache import CatalogCache
from kaifang.settings import Settings

ORG = "379130000E"


def _entry(title: str) -> Entry:
    return Entry(org=ORG, metadata=DatasetMetadata(title=title), file_name=f"{title}.csv")


def test_an_answer_is_kept_until_the_catalog_changes(catalog_settings: Settings) -> None:
    with open_catalog(catalog_settings) as catalog:
        create_organization(catalog, ORG, name="臺北市政府警察局")
        with catalog.write() as session:
            register_entries(session, [_entry("竊盜點位")])
        cache = CatalogCache(catalog)
        computed: list[int] = []

        def count() -> dict[str, dict[str, int]]:
            computed.append(1)
            with catalog.read() as session:
                return facet_counts(session, Filters(), ["organization"])

        first = cache.get("orgs", count)
        again = cache.get("orgs", count)
        assert first == again == {"organization": {ORG.lower(): 1}}
        assert len(computed) == 1  # kept
        with catalog.write() as session:
            register_entries(session, [_entry("警察機關名錄")])
        assert cache.get("orgs", count) == {"organization": {ORG.lower(): 2}}
        assert len(computed) == 2  # a registration changes the stamp
        before = cache.stamp()
        create_request(catalog, ORG, title="路口監視器位置")
        assert cache.stamp() != before  # so does a dataset request (the ranking counts them)


def test_answers_kept_weigh_at_most_their_budget(catalog_settings: Settings) -> None:
    with open_catalog(catalog_settings) as catalog:
        cache = CatalogCache(catalog, limit=10, max_bytes=1000)
        for n in range(4):
            cache.get(f"page {n}", lambda n=n: bytes([n]) * 300)
        kept = [key for key in (f"page {n}" for n in range(4)) if cache._kept(key, cache.stamp())]
        assert kept == ["page 1", "page 2", "page 3"]  # 1,200 bytes: the oldest went first
        cache.get("page 1", lambda: b"")  # asked again: the most recent now
        cache.get("big", lambda: b"x" * 700)
        kept = [k for k in ("page 1", "page 2", "page 3", "big") if cache._kept(k, cache.stamp())]
        assert kept == ["page 1", "big"]
        assert cache._answers.total == 1000
