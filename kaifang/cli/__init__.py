"""The ``kaifang`` command. Thin: every command calls one library function.

Commands are listed in ``COMMANDS`` and imported only when they run (:mod:`kaifang.cli.lazy`).
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from kaifang import __version__
from kaifang.cli.common import run_cli
from kaifang.cli.lazy import LazyGroup
from kaifang.settings import Settings, load_settings

# One line per command: "module:attribute", imported when the command runs; kept sorted.
COMMANDS: dict[str, str] = {
    "datasets": "kaifang.cli.datasets_cmd:datasets",
    "demo": "kaifang.cli.demo_cmd:demo",
    "diff": "kaifang.cli.diff_cmd:diff",
    "generate": "kaifang.cli.generate_cmd:generate",
    "history": "kaifang.cli.history_cmd:history",
    "import": "kaifang.cli.import_cmd:importer",
    "inspect": "kaifang.cli.inspect_cmd:inspect",
    "org": "kaifang.cli.accounts_cmd:org",
    "publish": "kaifang.cli.publish_cmd:publish",
    "query": "kaifang.cli.query_cmd:query",
    "rollback": "kaifang.cli.history_cmd:rollback",
    "scan": "kaifang.cli.scan_cmd:scan",
    "score": "kaifang.cli.score_cmd:score",
    "serve": "kaifang.cli.serve_cmd:serve",
    "show": "kaifang.cli.datasets_cmd:show",
    "token": "kaifang.cli.accounts_cmd:token",
    "user": "kaifang.cli.accounts_cmd:user",
}


@click.group(cls=LazyGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
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
