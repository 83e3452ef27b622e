"""``kaifang harvest add|list|run|status`` and ``kaifang worker`` (due harvests and webhook
deliveries)."""

from __future__ import annotations

import click

from kaifang.catalog.db import open_catalog
from kaifang.catalog.models import HARVEST_MODES, HARVEST_TYPES
from kaifang.cli.common import console, print_json, rich_table
from kaifang.settings import Settings

JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")


@click.group()
def harvest() -> None:
    """Gather other portals' catalogs (national spec, CKAN, DCAT) into this one."""


@harvest.command("add")
@click.argument("name")
@click.argument("url")
@click.option("--type", "kind", type=click.Choice(HARVEST_TYPES), required=True,
              help="The source's API: tw-spec (/api/v1), ckan (Action API) or dcat.")  # fmt: skip
@click.option("--org", required=True, help="Organization code the datasets are filed under.")
@click.option("--mode", type=click.Choice(HARVEST_MODES), default="metadata", show_default=True,
              help="metadata: register links; mirror: also publish the files here.")  # fmt: skip
@click.option("--schedule", default="daily", show_default=True,
              help="hourly, daily, manual or a 5-field cron expression (UTC).")  # fmt: skip
@click.option("--filter", "filter_", default="", help="Harvest only datasets whose title, "
              "publisher or keywords contain this text.")  # fmt: skip
@JSON_OPTION
@click.pass_obj
def harvest_add(
    settings: Settings,
    name: str,
    url: str,
    kind: str,
    org: str,
    mode: str,
    schedule: str,
    filter_: str,
    as_json: bool,
) -> None:
    """Add harvest source NAME reading URL."""
    from kaifang.harvest.sources import add_source

    with open_catalog(settings) as catalog:
        added = add_source(catalog, name, url, kind=kind, org=org, mode=mode,
                           schedule=schedule, filter=filter_)  # fmt: skip
    if as_json:
        print_json(added)
        return
    console.print(f"Added harvest source {name} ({kind}, {mode}, {schedule}).")


@harvest.command("list")
@JSON_OPTION
@click.pass_obj
def harvest_list(settings: Settings, as_json: bool) -> None:
    """List the harvest sources."""
    from kaifang.harvest.sources import list_sources

    with open_catalog(settings) as catalog:
        sources = list_sources(catalog)
    if as_json:
        print_json({"data": sources, "count": len(sources)})
        return
    table = rich_table("name", "type", "mode", "schedule", "org", "last success", "url")
    for s in sources:
        table.add_row(s["name"], s["type"], s["mode"], s["schedule"], s["org"],
                      s["last_success"] or "-", s["url"])  # fmt: skip
    console.print(table)


@harvest.command("run")
@click.argument("name", required=False)
@click.option("--all", "run_all", is_flag=True, help="Run every source.")
@click.option("--full", is_flag=True, help="Compare every remote dataset, not only changed ones.")
@JSON_OPTION
@click.pass_obj
def harvest_run(
    settings: Settings, name: str | None, run_all: bool, full: bool, as_json: bool
) -> None:
    """Run harvest source NAME (or --all) now."""
    from kaifang.harvest.run import run_source
    from kaifang.harvest.sources import list_sources

    if bool(name) == run_all:
        raise click.UsageError("give a source NAME or --all")
    with open_catalog(settings) as catalog:
        names = [s["name"] for s in list_sources(catalog)] if run_all else [name or ""]
        reports = [run_source(settings, catalog, n, full=full).to_dict() for n in names]
    if as_json:
        print_json({"runs": reports})
    else:
        for report in reports:
            counts = ", ".join(f"{k} {v}" for k, v in report["counts"].items() if v)
            console.print(f"{report['source']}: {report['status']} ({counts or 'nothing'}; "
                          f"{report['requests']} requests)")  # fmt: skip
            for failure in report["failures"]:
                console.print(f"  {failure['kind']}: {failure['remote_id']}: {failure['reason']}",
                              markup=False)  # fmt: skip
    if any(r["status"] == "failed" for r in reports):
        raise SystemExit(1)


@harvest.command("status")
@click.argument("name")
@JSON_OPTION
@click.pass_obj
def harvest_status(settings: Settings, name: str, as_json: bool) -> None:
    """The last runs of NAME and its datasets that are withdrawn, held or failing."""
    from kaifang.harvest.sources import source_status

    with open_catalog(settings) as catalog:
        status = source_status(catalog, name)
    if as_json:
        print_json(status)
        return
    console.print(f"{status['name']} ({status['type']}, {status['mode']}) {status['url']}",
                  markup=False)  # fmt: skip
    console.print("datasets: " + (", ".join(f"{k} {v}" for k, v in status["datasets"].items())
                                  or "none yet"))  # fmt: skip
    for run in status["runs"]:
        counts = ", ".join(f"{k} {v}" for k, v in run["counts"].items() if v)
        console.print(f"  {run['started']} {run['status']}: {counts or 'nothing'}")
    for item in status["not_active"]:
        console.print(f"  {item['state']}: {item['remote_id']}: {item['reason']}", markup=False)


@click.command()
@click.option("--interval", default=60.0, show_default=True, help="Seconds between checks.")
@click.option("--once", is_flag=True, help="Run what is due once, then stop.")
@click.pass_obj
def worker(settings: Settings, interval: float, once: bool) -> None:
    """Run due harvests and scheduled imports and deliver webhooks until stopped (one worker
    per deployment)."""
    import time

    from kaifang.harvest.worker import run_due
    from kaifang.notify.deliver import run_once
    from kaifang.sources.reimports import run_due_imports

    with open_catalog(settings) as catalog:
        while True:
            for report in run_due(settings, catalog):
                console.print(f"harvest {report.source}: {report.status} {report.counts}",
                              markup=False)  # fmt: skip
            for run in run_due_imports(settings, catalog):
                console.print(f"import {run.name}: {run.status}"
                              + (f": {run.error}" if run.error else ""), markup=False)  # fmt: skip
            sent = run_once(settings, catalog)
            if any(sent.values()):
                console.print(f"webhooks: {sent}", markup=False)
            if once:
                return
            time.sleep(interval)
