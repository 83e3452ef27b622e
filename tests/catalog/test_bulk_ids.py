"""Ids of a bulk load when titles and file names clash (kaifang.catalog.bulk): numbered in
order, never a taken id, a former id (renamed away) or a resource's storage name. On SQLite a
clash's numbered ids are looked up as one family, on PostgreSQL one by one: the same ids."""

from __future__ import annotations

from sqlalchemy import select

from kaifang.catalog import create_organization, open_catalog
from kaifang.catalog.aliases import rename_dataset, rename_resource
from kaifang.catalog.bulk import Entry, register_entries
from kaifang.catalog.db import Catalog
from kaifang.catalog.metadata import DatasetMetadata
from kaifang.catalog.models import Dataset, Resource
from kaifang.settings import Settings
from kaifang.storage import VersionStore

ORG = "379130000E"


def _load(catalog: Catalog, titles: list[str]) -> list[tuple[str, list[str]]]:
    """Register one dataset per title (each with a file called theft.csv); each one's id
    and its resources' ids, in order."""
    entries = [
        Entry(org=ORG, metadata=DatasetMetadata(title=t), file_name="theft.csv") for t in titles
    ]
    with catalog.write() as session:
        ids = register_entries(session, entries)
    with catalog.read() as session:
        return [
            (
                session.scalars(select(Dataset.slug).where(Dataset.id == number)).one(),
                list(session.scalars(select(Resource.slug).where(Resource.dataset_id == number))),
            )
            for number in ids
        ]


def test_clashing_titles_and_files_are_numbered_past_every_taken_id(
    catalog_settings: Settings,
) -> None:
    with open_catalog(catalog_settings) as catalog:
        create_organization(catalog, ORG, name="臺北市政府警察局")
        # a Chinese title slugifies to nothing, so the file's stem is a resource's only name
        first = _load(catalog, ["竊盜點位", "竊盜點位", "竊盜點位二"])
        assert first == [
            ("qie_dao_dian_wei", ["theft"]),
            ("qie_dao_dian_wei_2", ["theft_2"]),
            ("qie_dao_dian_wei_er", ["theft_3"]),
        ]
        # qie_dao_dian_wei_2 becomes a former id, and theft_3 keeps its storage name
        rename_dataset(catalog, "qie_dao_dian_wei_2", "renamed_two")
        rename_resource(catalog, VersionStore(catalog_settings), "theft_3", "renamed_three")
        second = _load(catalog, ["竊盜點位"] * 3)
        assert second == [
            ("qie_dao_dian_wei_3", ["theft_4"]),
            ("qie_dao_dian_wei_4", ["theft_5"]),
            ("qie_dao_dian_wei_5", ["theft_6"]),
        ]
        third = _load(catalog, ["竊盜點位", "Theft"])
        assert third == [("qie_dao_dian_wei_6", ["theft_7"]), ("theft", ["theft_8"])]
