"""``kaifang org create`` and ``kaifang org list``."""

from __future__ import annotations

import click

from kaifang.catalog.quick import read_quickly
from kaifang.cli import common
from kaifang.cli.common import print_json
from kaifang.settings import Settings

JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")


@click.group()
def org() -> None:
    """Organizations (agencies) that publish."""


@org.command("create")
@click.argument("code")
@click.option("--name", required=True, help="The organization's name, e.g. 臺北市政府警察局.")
@click.option("--name-en", default="", help="English name.")
@JSON_OPTION
@click.pass_obj
def org_create(settings: Settings, code: str, name: str, name_en: str, as_json: bool) -> None:
    """Create organization CODE (the national organization code, e.g. 379130000E)."""
    from kaifang.catalog import create_organization, open_catalog

    with open_catalog(settings) as catalog:
        created = create_organization(catalog, code, name=name, name_en=name_en)
    if as_json:
        print_json(created.to_dict())
    else:
        common.console.print(f"Created organization {created.code} {created.name}", highlight=False)


@org.command("list")
@JSON_OPTION
@click.pass_obj
def org_list(settings: Settings, as_json: bool) -> None:
    """List organizations."""
    orgs = read_quickly(settings, lambda q: q.list_organizations())
    if orgs is None:
        from kaifang.catalog import list_organizations, open_catalog  # lazy: SQLAlchemy

        with open_catalog(settings) as catalog:
            orgs = list_organizations(catalog)
    if as_json:
        print_json({"data": [o.to_dict() for o in orgs], "count": len(orgs)})
        return
    for item in orgs:
        common.console.print(f"{item.code}  {item.name}", highlight=False)
