"""``kaifang catalog rename``: a dataset's new id, its former id recorded and followed."""

from __future__ import annotations

import pytest

from kaifang.catalog import create_organization, open_catalog, show_dataset
from kaifang.catalog.aliases import moved_to, rename_dataset
from kaifang.catalog.editing import create_dataset
from kaifang.catalog.metadata import DatasetMetadata
from kaifang.errors import ConflictError, NotFoundError, ValidationError
from kaifang.settings import Settings

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
