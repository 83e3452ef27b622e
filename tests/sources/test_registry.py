"""The registered sources: the import command, the dashboards and the service start from them."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from kaifang.cli.import_cmd import importer
from kaifang.errors import NotFoundError, ValidationError
from kaifang.settings import Settings
from kaifang.sources.registry import SOURCES, dashboard_sources, source_named


def test_names_are_unique_and_found() -> None:
    names = [source.name for source in SOURCES]
    assert names == ["freeway", "elections", "theft", "schools"]
    assert [source_named(name).name for name in names] == names
    with pytest.raises(NotFoundError, match="no source 'nope'") as raised:
        source_named("nope")
    assert raised.value.hint == "Sources: freeway, elections, theft, schools."


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("freeway", ["path", "org", "engine", "accept_utility_loss", "as_json"]),
        ("elections", ["path", "keep_birth_date", "as_json"]),
        ("theft", ["path", "as_json"]),
        ("schools", ["path", "as_json"]),
    ],
)
def test_each_source_is_an_import_subcommand_with_its_options(
    name: str, options: list[str]
) -> None:
    command = importer.commands[name]
    assert [param.name for param in command.params] == options
    assert command.help == source_named(name).summary


def test_the_engine_option_offers_its_choices() -> None:
    engine = next(p for p in importer.commands["freeway"].params if p.name == "engine")
    assert isinstance(engine.type, click.Choice)
    assert list(engine.type.choices) == ["duckdb", "spark"]
    assert engine.default == "duckdb"


def test_an_option_the_source_lacks_is_refused(settings: Settings, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="the theft importer has no option engine") as e:
        source_named("theft").run_import(settings, tmp_path, engine="spark")
    assert e.value.hint == "Its options: none."


def test_dashboards_are_the_sources_with_one() -> None:
    assert [source.name for source in dashboard_sources()] == [
        "freeway",
        "elections",
        "theft",
        "schools",
    ]
