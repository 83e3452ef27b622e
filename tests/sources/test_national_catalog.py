"""``kaifang generate catalog``: a synthetic national catalog through batched registration,
searchable at once on SQLite and PostgreSQL."""

from __future__ import annotations

import json

from click.testing import CliRunner

from kaifang.catalog import list_datasets, open_catalog
from kaifang.catalog.finder import Filters, facet_counts
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
