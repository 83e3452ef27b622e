"""``kaifang serve``: the portal and the Open API."""

from __future__ import annotations

from pathlib import Path

import click

from kaifang.query.engines import check_sql_settings
from kaifang.server import serve as run_server
from kaifang.settings import Settings


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, help="Port to listen on.")
@click.option("--workers", default=1, show_default=True, help="Worker processes.")
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Data directory (overrides the global --data-dir).",
)
@click.pass_obj
def serve(settings: Settings, host: str, port: int, workers: int, data_dir: Path | None) -> None:
    """Serve the portal and the Open API (native, national spec, CKAN)."""
    if data_dir is not None:
        settings = settings.replace(data_dir=data_dir)
    check_sql_settings(settings)  # one clear line here, not a traceback from uvicorn
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    run_server(settings, host=host, port=port, workers=workers)
