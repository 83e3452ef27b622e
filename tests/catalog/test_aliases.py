"""``kaifang catalog rename``: a dataset's or resource's new id, its former id recorded and
followed, the rename recorded as an activity; a resource keeps its storage name."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kaifang.catalog import create_organization, open_catalog, show_dataset
from kaifang.catalog.activity import list_activity
from kaifang.catalog.aliases import moved_to, rename_dataset, rename_resource, resource_id_taken
from kaifang.catalog.datasets import add_downloads, find_resource
from kaifang.catalog.editing import ResourceSpec, add_resource, create_dataset
from kaifang.catalog.metadata import DatasetMetadata
from kaifang.catalog.models import Dataset, Resource
from kaifang.errors import ConflictError, NotFoundError, ValidationError
from kaifang.settings import Settings
from kaifang.storage import VersionStore

ORG = "379130000E"


@pytest.fixture
def catalog_with_two(catalog_settings: Settings) -> Settings:
    with open_catalog(catalog_settings) as catalog:
        create_organization(catalog, ORG, name="臺北市政府警察局")
        create_dataset(catalog, org=ORG, metadata=DatasetMetadata(title="2020 總統"), slug="t_2020")
        create_dataset(catalog, org=ORG, metadata=DatasetMetadata(title="竊盜"), slug="theft")
    return catalog_settings


def test_rename_records_the_former_id(catalog_with_two: Settings) -> None:
    with open_catalog(catalog_with_two) as catalog:
        renamed = rename_dataset(catalog, "t_2020", "cec_2020_president")
        assert (renamed.old, renamed.new) == ("t_2020", "cec_2020_president")
        assert show_dataset(catalog, "cec_2020_president").title == "2020 總統"
        with pytest.raises(NotFoundError, match="renamed to 'cec_2020_president'") as gone:
            show_dataset(catalog, "t_2020")
        assert gone.value.details["moved_to"] == {
            "kind": "dataset",
            "old": "t_2020",
            "new": "cec_2020_president",
        }
        # renamed again: every former id points at the id now, no chains
        rename_dataset(catalog, "cec_2020_president", "president_2020")
        with catalog.read() as session:
            assert moved_to(session, "dataset", "t_2020") == "president_2020"
            assert moved_to(session, "dataset", "cec_2020_president") == "president_2020"
        # and back: the id is the dataset's again, not a former one
        rename_dataset(catalog, "president_2020", "t_2020")
        with catalog.read() as session:
            assert moved_to(session, "dataset", "t_2020") is None
            assert moved_to(session, "dataset", "president_2020") == "t_2020"
        assert show_dataset(catalog, "t_2020").title == "2020 總統"


@pytest.mark.parametrize(
    ("old", "new", "error", "message"),
    [
        ("t_2020", "theft", ConflictError, "already in use"),
        ("t_2020", "cec-2020", ValidationError, "not a valid id"),
        ("nope", "cec_2020", NotFoundError, "does not exist"),
    ],
)
def test_rename_refuses(
    catalog_with_two: Settings, old: str, new: str, error: type[Exception], message: str
) -> None:
    with open_catalog(catalog_with_two) as catalog:
        with pytest.raises(error, match=message):
            rename_dataset(catalog, old, new)
        assert show_dataset(catalog, "t_2020").title == "2020 總統"


def test_a_dataset_rename_is_an_activity(catalog_with_two: Settings) -> None:
    with open_catalog(catalog_with_two) as catalog:
        rename_dataset(catalog, "t_2020", "cec_2020_president", actor="admin")
        with catalog.read() as session:
            latest = list_activity(session, dataset="cec_2020_president", limit=1)[0]
    assert latest["kind"] == "dataset_renamed"
    assert latest["actor"] == "admin"
    assert latest["detail"] == {"old": "t_2020", "new": "cec_2020_president"}


@pytest.fixture
def two_resources(catalog_with_two: Settings) -> Settings:
    with open_catalog(catalog_with_two) as catalog:
        add_resource(catalog, "t_2020", ResourceSpec(name="elbase", slug="cec_2020_4d1bc4_elbase"))
        add_resource(catalog, "theft", ResourceSpec(name="points", slug="theft_points"))
    return catalog_with_two


def _storage(settings: Settings, slug: str) -> str:
    with open_catalog(settings) as catalog, catalog.read() as session:
        return str(session.scalar(select(Resource.storage).where(Resource.slug == slug)))


def test_a_resource_rename_keeps_its_storage_name(two_resources: Settings) -> None:
    store = VersionStore(two_resources)
    with open_catalog(two_resources) as catalog:
        renamed = rename_resource(catalog, store, "cec_2020_4d1bc4_elbase", "president_elbase")
        assert (renamed.kind, renamed.old, renamed.new) == (
            "resource",
            "cec_2020_4d1bc4_elbase",
            "president_elbase",
        )
        assert _storage(two_resources, "president_elbase") == "cec_2020_4d1bc4_elbase"
        with pytest.raises(NotFoundError, match="renamed to 'president_elbase'") as gone:
            with catalog.read() as session:
                find_resource(session, "cec_2020_4d1bc4_elbase")
        assert gone.value.details["moved_to"]["kind"] == "resource"
        with catalog.read() as session:
            latest = list_activity(session, dataset="t_2020", limit=1)[0]
            assert latest["kind"] == "resource_renamed"
            # a new resource takes neither the former id nor the storage name
            assert resource_id_taken(session, "cec_2020_4d1bc4_elbase")
        # renamed again, then back: no chains, and its own storage name is free for it
        rename_resource(catalog, store, "president_elbase", "cec_2020_president_elbase")
        with catalog.read() as session:
            assert moved_to(session, "resource", "president_elbase") == (
                "cec_2020_president_elbase"
            )
        rename_resource(catalog, store, "cec_2020_president_elbase", "cec_2020_4d1bc4_elbase")
        with catalog.read() as session:
            assert moved_to(session, "resource", "cec_2020_4d1bc4_elbase") is None
    assert _storage(two_resources, "cec_2020_4d1bc4_elbase") == "cec_2020_4d1bc4_elbase"


@pytest.mark.parametrize(
    ("old", "new", "error", "message"),
    [
        ("cec_2020_4d1bc4_elbase", "theft_points", ConflictError, "already in use"),
        ("cec_2020_4d1bc4_elbase", "Elbase", ValidationError, "not a valid id"),
        ("nope", "elbase", NotFoundError, "does not exist"),
    ],
)
def test_a_resource_rename_refuses(
    two_resources: Settings, old: str, new: str, error: type[Exception], message: str
) -> None:
    with open_catalog(two_resources) as catalog:
        with pytest.raises(error, match=message):
            rename_resource(catalog, VersionStore(two_resources), old, new)
    assert _storage(two_resources, "cec_2020_4d1bc4_elbase") == "cec_2020_4d1bc4_elbase"


def test_another_resources_storage_name_is_not_free(two_resources: Settings) -> None:
    store = VersionStore(two_resources)
    with open_catalog(two_resources) as catalog:
        rename_resource(catalog, store, "theft_points", "taipei_theft")
        # theft_points is now a former id (it redirects) and still a storage name
        with pytest.raises(ConflictError, match="already in use"):
            rename_resource(catalog, store, "cec_2020_4d1bc4_elbase", "theft_points")


def test_requests_counted_before_a_rename_are_added_after_it(two_resources: Settings) -> None:
    """Row and download requests are counted per resource id and added to the catalog once
    a minute: a rename in between must not drop them (the popularity sort reads them)."""
    store = VersionStore(two_resources)
    with open_catalog(two_resources) as catalog:
        pending = {"theft_points": 7, "cec_2020_4d1bc4_elbase": 2, "never_was": 5}
        rename_resource(catalog, store, "theft_points", "taipei_theft_points")
        add_downloads(catalog, pending)  # the counts still name the former id
        add_downloads(catalog, {"taipei_theft_points": 1})
        with catalog.read() as session:
            downloads = dict(session.execute(select(Dataset.slug, Dataset.downloads)).all())
    assert downloads == {"theft": 8, "t_2020": 2}
