"""The organization view reads its datasets through Core statements
(kaifang.catalog.fact_rows), not the ORM: the openness facts must be the same either way."""

from __future__ import annotations

from kaifang.catalog import open_catalog
from kaifang.catalog.accounts import find_organization
from kaifang.catalog.editing import withdraw_dataset
from kaifang.catalog.fact_rows import organization_fact_rows
from kaifang.scoring.facts import dataset_facts
from kaifang.scoring.service import _datasets
from kaifang.settings import Settings
from kaifang.storage import VersionStore
from tests.scoring.conftest import (
    ORG,
    OTHER_ORG,
    SCHOOL_HEADER,
    SCHOOL_ROWS,
    Publish,
    metadata,
)


def test_the_facts_are_those_the_orm_path_reads(
    backend_settings: Settings, publish: Publish
) -> None:
    first = publish(backend_settings, "schools.csv", title="國小名錄")
    # a second version of the same resource: only the current one counts
    publish(
        backend_settings,
        "schools.csv",
        dataset=first.dataset,
        rows=[*SCHOOL_ROWS, ("013604", "國立花蓮國小", "花蓮縣", "03-832-0004")],
    )
    publish(backend_settings, "junior.csv", title="國中名錄", meta=metadata(keywords=["國中"]))
    publish(
        backend_settings,
        "unscreened.csv",
        title="高中名錄",
        screening=None,
        meta=metadata(license="OGDL-Taiwan-1.0", update_frequency="daily"),
    )
    gone = publish(backend_settings, "old.csv", title="舊名錄", header=SCHOOL_HEADER)
    publish(backend_settings, "theft.csv", title="竊盜點位", org=OTHER_ORG)
    store = VersionStore(backend_settings)
    with open_catalog(backend_settings) as catalog:
        withdraw_dataset(catalog, gone.dataset)
        with catalog.read() as session:
            org_id = find_organization(session, ORG).id
            orm = [
                dataset_facts(d, has_version=store.has_version)
                for d in _datasets(session, organization_id=org_id)
            ]
            rows = organization_fact_rows(session, org_id)
            core = [dataset_facts(d, has_version=store.has_version) for d in rows]
        assert [f.id for f in core] == [f.id for f in orm]
        assert len(core) == 4  # the withdrawn one too, not the other organization's
        assert core == orm
        # each resource holds its current version alone
        [schools] = [d for d in rows if d.slug == first.dataset]
        assert [[v.number for v in r.versions] for r in schools.resources] == [[2]]
