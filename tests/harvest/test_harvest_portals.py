"""Harvesting another kaifang server through the national spec and through CKAN's Action API:
the remote datasets are registered here with their links, publisher and provenance; a second
run with nothing changed changes nothing; a remote change updates only its dataset."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from kaifang.catalog import open_catalog
from kaifang.catalog.models import Dataset, HarvestRecord
from kaifang.harvest.run import run_source
from kaifang.harvest.sources import add_source, source_status
from kaifang.scoring import latest_records
from kaifang.scoring.service import dataset_openness
from kaifang.settings import Settings
from kaifang.storage import VersionStore
from tests.harvest.conftest import HOME_ORG, City, republish_parks


def harvested(settings: Settings, source: str) -> dict[str, dict[str, Any]]:
    """Every dataset harvested from ``source``: title → its catalog row's fields."""
    with open_catalog(settings) as catalog, catalog.read() as session:
        rows = session.scalars(select(Dataset)).all()
        return {
            d.title: {
                "slug": d.slug,
                "org": d.organization.code,
                "licence": d.license_id,
                "keywords": sorted(t.name for t in d.tags),
                "extras": dict(d.extras),
                "modified": d.modified,
                "description": d.description,
            }
            for d in rows
            if (d.extras.get("harvest") or {}).get("source") == source
        }


@pytest.mark.parametrize(
    ("kind", "path"),
    [("tw-spec", ""), ("ckan", ""), ("dcat", "/catalog.ttl"), ("dcat", "/catalog.rdf")],
)
def test_a_portal_is_harvested_then_left_alone_until_it_changes(
    city: City, home: Settings, kind: str, path: str
) -> None:
    """The DCAT cases are issue 18's harvester reading kaifang's own catalog back."""
    with open_catalog(home) as catalog:
        add_source(catalog, "tainan", city.url + path, kind=kind, org=HOME_ORG)
        first = run_source(home, catalog, "tainan")
    assert first.status == "ok", first.failures
    assert first.counts["created"] == 2 and first.counts["failed"] == 0
    got = harvested(home, "tainan")
    assert set(got) == {"臺南市公園一覽", "臺南市公車路線"}
    parks = got["臺南市公園一覽"]
    assert parks["org"] == HOME_ORG
    assert parks["keywords"] == ["公園", "綠地"]
    assert parks["licence"] == "OGDL-Taiwan-1.0"
    assert got["臺南市公車路線"]["licence"] == "CC-BY-4.0"
    provenance = parks["extras"]["harvest"]
    assert provenance["source_type"] == kind and provenance["publisher"] == "臺南市政府"
    assert provenance["withdrawn"] is None and provenance["remote_id"]
    links = [d["url"] for d in parks["extras"]["distributions"]]
    assert links and all(link.startswith(city.url) for link in links)
    assert provenance["checks"]["links_alive"] == len(links)  # the city serves its files
    assert provenance["checks"]["open_licence"] is True

    with open_catalog(home) as catalog:
        score = dataset_openness(catalog, VersionStore(home), parks["slug"], now=datetime.now(UTC))
        with catalog.read() as session:
            recorded = latest_records(session, [session.scalar(
                select(Dataset.id).where(Dataset.slug == parks["slug"]))])  # fmt: skip
    assert [r.score for r in recorded.values()] == [score.score]  # scored at harvest
    assert score.check("F1").passed and score.check("L1").passed  # CSV links, open licence
    assert not score.check("G").passed  # not screened here: nothing claims otherwise

    with open_catalog(home) as catalog:
        second = run_source(home, catalog, "tainan")
    assert second.status == "ok", second.failures
    assert second.counts["created"] == second.counts["updated"] == 0
    assert second.counts["unchanged"] == 2
    assert harvested(home, "tainan") == got  # not even the modified time moved

    republish_parks(city)
    with open_catalog(home) as catalog:
        third = run_source(home, catalog, "tainan")
        status = source_status(catalog, "tainan")
    assert (third.counts["updated"], third.counts["unchanged"]) == (1, 1), third.to_dict()
    after = harvested(home, "tainan")
    assert after["臺南市公園一覽"]["slug"] == parks["slug"]  # same local id
    assert after["臺南市公車路線"] == got["臺南市公車路線"]
    assert [r["status"] for r in status["runs"]] == ["ok", "ok", "ok"]
    assert status["datasets"] == {"active": 2}


def test_remote_ids_map_to_stable_local_records(city: City, home: Settings) -> None:
    with open_catalog(home) as catalog:
        add_source(catalog, "tainan-spec", city.url + "/api/v1", kind="tw-spec", org=HOME_ORG)
        run_source(home, catalog, "tainan-spec")
        run_source(home, catalog, "tainan-spec", full=True)
        with catalog.read() as session:
            records = session.scalars(select(HarvestRecord)).all()
            pairs = sorted((r.remote_id, r.dataset_id) for r in records)
    assert len(pairs) == 2 and len({d for _, d in pairs}) == 2
    assert {r for r, _ in pairs} == {city.parks.dataset_identifier, city.buses.dataset_identifier}


def test_the_same_dataset_from_two_sources_is_reported(city: City, home: Settings) -> None:
    with open_catalog(home) as catalog:
        add_source(catalog, "via-spec", city.url, kind="tw-spec", org=HOME_ORG)
        add_source(catalog, "via-ckan", city.url, kind="ckan", org=HOME_ORG)
        run_source(home, catalog, "via-spec")
        second = run_source(home, catalog, "via-ckan")
    assert second.counts["duplicates"] == 2
    kinds = {(f["kind"], f["reason"].split(":")[0]) for f in second.failures}
    assert kinds == {("duplicates", "same dataset as via-spec")}
