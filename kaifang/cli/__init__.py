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
    "catalog": "kaifang.cli.catalog_cmd:catalog",
    "datasets": "kaifang.cli.datasets_cmd:datasets",
    "demo": "kaifang.cli.demo_cmd:demo",
    "diff": "kaifang.cli.diff_cmd:diff",
    "generate": "kaifang.cli.generate_cmd:generate",
    "harvest": "kaifang.cli.harvest_cmd:harvest",
    "history": "kaifang.cli.history_cmd:history",
    "import": "kaifang.cli.import_cmd:importer",
    "inspect": "kaifang.cli.inspect_cmd:inspect",
    "org": "kaifang.cli.org_cmd:org",
    "privacy": "kaifang.cli.privacy_cmd:privacy",
    "publish": "kaifang.cli.publish_cmd:publish",
    "query": "kaifang.cli.query_cmd:query",
    "requests": "kaifang.cli.requests_cmd:requests",
    "rollback": "kaifang.cli.history_cmd:rollback",
    "scan": "kaifang.cli.scan_cmd:scan",
    "schedule": "kaifang.cli.schedule_cmd:schedule",
    "score": "kaifang.cli.score_cmd:score",
    "serve": "kaifang.cli.serve_cmd:serve",
    "show": "kaifang.cli.datasets_cmd:show",
    "subscribe": "kaifang.cli.subscribe_cmd:subscribe",
    "token": "kaifang.cli.accounts_cmd:token",
    "user": "kaifang.cli.accounts_cmd:user",
    "worker": "kaifang.cli.harvest_cmd:worker",
}


# Each command's first sentence, for ``kaifang --help`` (which then imports no command module).
SUMMARIES: dict[str, str] = {
    "catalog": "The catalog database: moving it to PostgreSQL, renaming datasets and resources.",
    "datasets": "List published datasets, best matches first with --search.",
    "diff": "Schema difference and rows added, removed and changed between two versions of "
    "RESOURCE, matched by its key (metadata primary_key, else a unique column, else whole "
    "rows).",
    "demo": "Generate the flagship datasets (freeway, elections, theft, schools) in their "
    "upstream formats, import them into the data directory, and serve the portal.",
    "generate": "Write realistic demo data in each source's exact upstream format.",
    "harvest": "Gather other portals' catalogs (national spec, CKAN, DCAT) into this one.",
    "history": "List every version of RESOURCE (its id or national identifier) with the rows it "
    "added, removed and changed, its schema change and its reading problems.",
    "import": "Import a flagship source's files in their upstream layout.",
    "inspect": "Read FILE and report its encoding, dialect, header, columns, notes and problems.",
    "org": "Organizations (agencies) that publish.",
    "privacy": "Privacy reference: the legal bases a publish may record.",
    "publish": "Publish FILE as a new dataset, or as a new version of --dataset.",
    "query": "Run read-only SQL.",
    "requests": "Dataset requests: list them, and answer them for the organization asked.",
    "rollback": "Make version N of RESOURCE current again, as a new version (history only grows).",
    "scan": "Screen FILE for personal data: each column's category, evidence and action.",
    "schedule": "Re-import a flagship source's files on a schedule (run by kaifang worker).",
    "score": "Openness score of DATASET, of an organization (--org CODE), or rescore all (--all).",
    "serve": "Serve the portal and the Open API (native, national spec, CKAN).",
    "show": "Show DATASET (its id or national identifier): metadata and resources.",
    "subscribe": "Webhooks: changes to a dataset, an organization or a search, POSTed to a URL.",
    "token": "API tokens (only a hash is stored; the token is shown once).",
    "user": "Users and their roles in organizations.",
    "worker": "Run due harvests and scheduled imports and deliver webhooks until stopped (one "
    "worker per deployment).",
}


@click.group(
    cls=LazyGroup,
    lazy=COMMANDS,
    summaries=SUMMARIES,
    context_settings={"help_option_names": ["-h", "--help"]},
)
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
