"""Editing a dataset's record without data (kaifang.catalog.editing), withdrawal, and the
finder's boolean queries, exact filters and explicit orders, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from kaifang.catalog import create_organization, open_catalog, show_dataset
from kaifang.catalog.editing import (
    ResourceSpec,
    create_dataset,
    update_dataset,
    withdraw_dataset,
)
from kaifang.catalog.finder import Choice, Filters, Match, facet_counts, find_ids
from kaifang.catalog.metadata import DatasetMetadata
from kaifang.catalog.models import Dataset
from kaifang.catalog.search import Either, term
from kaifang.errors import ConflictError, ValidationError
from kaifang.publish import publish_file
from kaifang.settings import Settings

ORG = "379130000E"


def _slugs(settings: Settings, f: Filters, sort: object = "relevance") -> list[str]:
    with open_catalog(settings) as catalog, catalog.read() as session:
        ids, count = find_ids(session, f, sort=sort, limit=None)  # type: ignore[arg-type]
        slugs = dict(session.query(Dataset.id, Dataset.slug))
        assert count == len(ids)
        return [slugs[i] for i in ids]


@pytest.fixture
def edited(catalog_settings: Settings) -> Settings:
    with open_catalog(catalog_settings) as catalog:
        create_organization(catalog, ORG, name="臺北市政府警察局")
        create_dataset(
            catalog,
            org=ORG,
            slug="theft",
            metadata=DatasetMetadata(title="竊盜點位", keywords=["竊盜"], category="E00"),
            resources=[ResourceSpec(name="points", slug="points")],
        )
        create_dataset(
            catalog,
            org=ORG,
            slug="parking",
            metadata=DatasetMetadata(title="停車場 parking", description="收費標準"),
        )
    return catalog_settings


def test_create_and_replace_metadata(edited: Settings) -> None:
    with open_catalog(edited) as catalog:
        shown = show_dataset(catalog, "theft")
        assert (shown.title, shown.keywords, shown.category) == ("竊盜點位", ("竊盜",), "E00")
        assert [r.slug for r in shown.resources] == ["points"]
        assert shown.resources[0].current_version is None
        update_dataset(catalog, "theft", metadata=DatasetMetadata(title="竊盜點位資訊"))
        shown = show_dataset(catalog, "theft")
        assert (shown.title, shown.keywords, shown.category) == ("竊盜點位資訊", (), None)
        with pytest.raises(ConflictError):
            create_dataset(catalog, org=ORG, slug="theft", metadata=DatasetMetadata(title="x"))
        with pytest.raises(ValidationError):
            create_dataset(catalog, org=ORG, slug="Bad-Name", metadata=DatasetMetadata(title="x"))


def test_withdrawal_hides_a_dataset_and_a_publish_lists_it_again(
    edited: Settings, tmp_path: Path
) -> None:
    with open_catalog(edited) as catalog:
        withdraw_dataset(catalog, "theft")
        assert show_dataset(catalog, "theft").withdrawn is not None
        with catalog.read() as session:
            assert facet_counts(session, Filters(), ["groups"]) == {"groups": {}}
    assert _slugs(edited, Filters()) == ["parking"]
    assert _slugs(edited, Filters(q="竊盜")) == []
    data = tmp_path / "points.csv"
    data.write_text("案類,分局\n住宅竊盜,大安\n", encoding="utf-8")
    publish_file(edited, data, org=ORG, dataset="theft", resource="points")
    assert _slugs(edited, Filters(q="竊盜")) == ["theft"]
    with open_catalog(edited) as catalog:
        with pytest.raises(ValidationError, match="published"):
            update_dataset(
                catalog, "theft", metadata=DatasetMetadata(title="竊盜點位"), resources=[]
            )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (term("竊盜", "title"), ["theft"]),
        (term("收費", "title"), []),
        (term("收費", "notes"), ["parking"]),
        (Either((term("竊盜"), term("parking")), any_of=True), ["parking", "theft"]),
        (Either((term("竊盜"), term("parking"))), []),
        (term("停車場 parking"), ["parking"]),
        (term("parking 停車場"), []),
    ],
)
def test_boolean_queries(edited: Settings, query: object, expected: list[str]) -> None:
    assert sorted(_slugs(edited, Filters(query=query))) == expected  # type: ignore[arg-type]


def test_exact_filters_and_explicit_orders(edited: Settings) -> None:
    either = Choice((Match("tags", "竊盜"), Match("groups", "e00")), any_of=True)
    assert _slugs(edited, Filters(exact=either)) == ["theft"]
    assert _slugs(edited, Filters(exact=Match("res_format", "csv"))) == []  # no data yet
    assert _slugs(edited, Filters(), sort=(("name", False),)) == ["parking", "theft"]
    assert _slugs(edited, Filters(), sort=(("title", True),)) == ["theft", "parking"]
