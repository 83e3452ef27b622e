"""``kaifang generate catalog``: a synthetic national catalog through batched registration,
searchable at once on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re

from click.testing import CliRunner

from kaifang.catalog import list_datasets, open_catalog
from kaifang.catalog.aliases import rename_dataset
from kaifang.catalog.bulk import Entry, register_entries
from kaifang.catalog.finder import Filters, facet_counts
from kaifang.catalog.identifiers import readable_id
from kaifang.catalog.metadata import DatasetMetadata
from kaifang.cli import cli
from kaifang.settings import Settings
from kaifang.sources.national_catalog import CatalogPlan, generate_catalog


def test_generated_catalog_is_searchable_with_exact_counts(catalog_settings: Settings) -> None:
    with open_catalog(catalog_settings) as catalog:
        summary = generate_catalog(catalog, CatalogPlan(datasets=120, seed=3))
        again = generate_catalog(catalog, CatalogPlan(datasets=30, seed=4))  # a second load
        everything = list_datasets(catalog, limit=5)
        parking = list_datasets(catalog, search="停車")
        with catalog.read() as session:
            facets = facet_counts(session, Filters(), ["organization", "band"])
    assert summary["organizations"] == 2 and summary["datasets"] == 120
    assert again["datasets"] == 30
    assert everything.count == 150 and len(everything.data) == 5
    assert sum(facets["organization"].values()) == 150
    assert sum(facets["band"].values()) == 150
    assert parking.count == len(parking.data) > 0
    assert all("停車" in d.title + d.description + " ".join(d.keywords) for d in parking.data)


def test_generated_ids_are_readable_and_never_a_former_id(catalog_settings: Settings) -> None:
    with open_catalog(catalog_settings) as catalog:
        generate_catalog(catalog, CatalogPlan(datasets=60, seed=5))
        listed = list_datasets(catalog, limit=None).data
        # as a publish makes them: the title in pinyin (numbered when taken), not the file
        for dataset in listed:
            assert re.fullmatch(re.escape(readable_id(dataset.title)) + r"(_\d+)?", dataset.slug)
        first = listed[0]
        rename_dataset(catalog, first.slug, "renamed_one")
        with catalog.write() as session:
            meta = DatasetMetadata(title=first.title, description="again")
            org = first.organization.code
            [new_id] = register_entries(session, [Entry(org=org, metadata=meta, file_name="x.csv")])
        again = [d for d in list_datasets(catalog, limit=None).data if d.description == "again"]
    assert [d.slug for d in again] != [first.slug]  # the former id still redirects
    assert again[0].slug.startswith(readable_id(first.title))
    assert new_id


def test_cli_loads_into_the_data_directory(runner: CliRunner, settings: Settings) -> None:
    args = ["--data-dir", str(settings.data_dir), "generate", "catalog", "--datasets", "40"]
    result = runner.invoke(cli, [*args, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["datasets"] == 40
    with open_catalog(settings) as catalog:
        assert list_datasets(catalog, limit=1).count == 40
    listed = runner.invoke(
        cli,
        ["--data-dir", str(settings.data_dir), "datasets", "--sort", "title", "--limit", "3",
         "--json"],
    )  # fmt: skip
    page = json.loads(listed.output)
    assert page["count"] == 40 and len(page["data"]) == 3
    titles = [d["title"] for d in page["data"]]
    assert titles == sorted(titles)
    bad = runner.invoke(cli, [*args[:-1], "0"])
    assert bad.exit_code == 2 and "--datasets" in bad.output
