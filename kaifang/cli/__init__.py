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


# Explicit registration, one line per command module and per command, kept sorted.
from kaifang.cli import (  # noqa: E402
    accounts_cmd,
    datasets_cmd,
    generate_cmd,
    history_cmd,
    inspect_cmd,
    publish_cmd,
    query_cmd,
    scan_cmd,
    score_cmd,
    serve_cmd,
)

COMMANDS: tuple[click.Command, ...] = (
    datasets_cmd.datasets,
    generate_cmd.generate,
    history_cmd.history,
    inspect_cmd.inspect,
    accounts_cmd.org,
    publish_cmd.publish,
    query_cmd.query,
    history_cmd.rollback,
    scan_cmd.scan,
    score_cmd.score,
    serve_cmd.serve,
    datasets_cmd.show,
    accounts_cmd.token,
    accounts_cmd.user,
)
for _command in COMMANDS:
    cli.add_command(_command)
