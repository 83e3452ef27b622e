"""``kaifang generate freeway|elections|theft|schools|catalog``: realistic files in upstream
formats, and a synthetic national catalog.

The source subcommands are built from the registered sources' generators
(:data:`kaifang.sources.registry.SOURCES`, :class:`kaifang.sources.source.Generator`), each
with ``--out``, the source's own options, ``--seed``, ``--scale`` and ``--json``."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from kaifang.cli.common import print_json
from kaifang.settings import Settings
from kaifang.sources.registry import SOURCES
from kaifang.sources.source import GenerateOption, Generator

_OUT = click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write into (created if missing).",
)
_SEED = click.option("--seed", default=0, show_default=True, help="Same seed, same bytes.")
_SCALE = click.option(
    "--scale",
    default=1.0,
    show_default=True,
    type=click.FloatRange(0, 1, min_open=True),
    help="Shrink the data (fewer areas, gantries or rows) for tests and demos.",
)
_JSON = click.option("--json", "as_json", is_flag=True, help="Print one JSON summary object.")


def _report(as_json: bool, summary: dict[str, object]) -> None:
    if as_json:
        print_json(summary)
        return
    for key, value in summary.items():
        click.echo(f"{key}: {value}")


@click.group()
def generate() -> None:
    """Write realistic demo data in each source's exact upstream format."""


def _parse_date(_ctx: click.Context, _param: click.Parameter, value: str) -> date:
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD.") from None


def _option(option: GenerateOption) -> Any:
    if option.default is False:
        return click.option(option.flag, option.name, is_flag=True, help=option.help)
    if option.kind is date:
        return click.option(
            option.flag,
            option.name,
            default=option.default,
            show_default=True,
            callback=_parse_date,
            help=option.help,
        )
    kind: Any = option.kind
    if option.kind is int and option.minimum is not None:
        kind = click.IntRange(option.minimum)
    return click.option(
        option.flag,
        option.name,
        default=option.default,
        show_default=option.default is not None,
        type=kind,
        help=option.help,
    )


def _command(name: str, generator: Generator) -> click.Command:
    def run(out_dir: Path, seed: int, scale: float, as_json: bool, **options: Any) -> None:
        _report(as_json, generator.run(out_dir, seed=seed, scale=scale, **options))

    command: Any = _SEED(_SCALE(_JSON(run)))
    for option in reversed(generator.options):
        command = _option(option)(command)
    built: click.Command = click.command(name=name, help=generator.summary)(_OUT(command))
    return built


for _source in SOURCES:  # one subcommand per registered source that has a generator
    if _source.generator is not None:
        generate.add_command(_command(_source.name, _source.generator))


@generate.command("catalog")
@click.option(
    "--datasets", "count", required=True, type=click.IntRange(1), help="Datasets to register."
)
@_SEED
@_JSON
@click.pass_obj
def catalog_cmd(settings: Settings, count: int, seed: int, as_json: bool) -> None:
    """Load a synthetic national catalog (zh-TW datasets, organizations, columns, score
    records) into the data directory's catalog, through the catalog's registration path."""
    from kaifang.catalog import open_catalog  # lazy: only this command opens the catalog
    from kaifang.sources.national_catalog import CatalogPlan, generate_catalog

    with open_catalog(settings) as catalog:
        summary = generate_catalog(catalog, CatalogPlan(datasets=count, seed=seed))
    _report(as_json, summary)
