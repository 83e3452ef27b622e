"""The ``kaifang`` command. Thin: every command calls one library function.

Commands are registered explicitly at the bottom of this module.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from kaifang import __version__
from kaifang.cli.common import run_cli
from kaifang.settings import Settings, load_settings


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kaifang")
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="KAIFANG_DATA_DIR",
    default=None,
    help="Data directory (catalog and tables). Default: ./kaifang-data",
    show_envvar=True,
)
@click.pass_context
def cli(ctx: click.Context, data_dir: Path | None) -> None:
    """開放 kaifang — read, screen, publish, serve and score open government data."""
    settings: Settings = load_settings(os.environ, data_dir=data_dir)
    ctx.obj = settings


def main() -> None:
    run_cli(cli)


# Explicit registration: one import and one add_command per command module.
from kaifang.cli import (  # noqa: E402
    accounts_cmd,
    datasets_cmd,
    history_cmd,
    import_cmd,
    inspect_cmd,
    publish_cmd,
    query_cmd,
    scan_cmd,
    serve_cmd,
)

cli.add_command(inspect_cmd.inspect)
cli.add_command(publish_cmd.publish)
cli.add_command(datasets_cmd.datasets)
cli.add_command(datasets_cmd.show)
cli.add_command(history_cmd.history)
cli.add_command(history_cmd.rollback)
cli.add_command(query_cmd.query)
cli.add_command(accounts_cmd.org)
cli.add_command(accounts_cmd.user)
cli.add_command(accounts_cmd.token)
cli.add_command(serve_cmd.serve)
cli.add_command(scan_cmd.scan)
cli.add_command(import_cmd.importer)
