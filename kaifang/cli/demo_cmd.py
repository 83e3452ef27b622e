"""``kaifang demo``: load the demo data, then serve the portal."""

from __future__ import annotations

import click

from kaifang.cli.common import err_console, print_json
from kaifang.demo import load_demo
from kaifang.server import serve as run_server
from kaifang.settings import Settings


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, help="Port to listen on.")
@click.option("--no-serve", is_flag=True, help="Only load the demo data.")
@click.option("--no-city", is_flag=True, help="Skip the second, fictional city portal that the "
              "main portal harvests (federation).")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print what was loaded as JSON.")
@click.pass_obj
def demo(
    settings: Settings, host: str, port: int, no_serve: bool, no_city: bool, as_json: bool
) -> None:
    """Generate the flagship datasets (freeway, elections, theft, schools) in their upstream
    formats, import them into the data directory, and serve the portal. Running it again
    changes nothing."""

    def say(message: str) -> None:
        if not as_json:
            err_console.print(f"[bold]demo[/]: {message}", highlight=False)

    report = load_demo(settings, say=say).to_dict()
    city = None
    if not no_city:
        from kaifang.cli.demo_city import city_settings, harvest_city, start_city

        city = start_city(city_settings(settings), host=host, port=port + 1)
        say(f"a fictional city portal serves at {city.url}; harvesting it (national spec)")
        report["harvest"] = harvest_city(settings, city)
    if as_json:
        print_json(report)
    if not no_serve:
        say(f"serving the portal at http://{host}:{port}")
        run_server(settings, host=host, port=port)
    if city is not None:
        city.stop()
