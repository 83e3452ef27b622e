"""``kaifang user create``, ``kaifang token create|list|revoke``."""

from __future__ import annotations

import click

from kaifang.catalog import (
    create_token,
    create_user,
    list_tokens,
    open_catalog,
    revoke_token,
)
from kaifang.catalog.models import ROLES
from kaifang.cli.common import console, print_json
from kaifang.settings import Settings

JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")


@click.group()
def user() -> None:
    """Users and their roles in organizations."""


@user.command("create")
@click.argument("name")
@click.option("--email", default="", help="E-mail address.")
@click.option("--org", "org_code", default=None, help="Organization code to join.")
@click.option(
    "--role", type=click.Choice(ROLES), default="editor", show_default=True, help="Role in --org."
)
@JSON_OPTION
@click.pass_obj
def user_create(
    settings: Settings, name: str, email: str, org_code: str | None, role: str, as_json: bool
) -> None:
    """Create user NAME, optionally with a role in an organization."""
    with open_catalog(settings) as catalog:
        created = create_user(catalog, name, email=email, org=org_code, role=role)
    if as_json:
        print_json(created.to_dict())
        return
    roles = ", ".join(f"{r} of {o}" for o, r in created.roles.items())
    console.print(f"Created user {created.name}" + (f" ({roles})" if roles else ""))


@click.group()
def token() -> None:
    """API tokens (only a hash is stored; the token is shown once)."""


@token.command("create")
@click.argument("user_name", metavar="USER")
@click.option("--label", default="", help="What the token is for.")
@JSON_OPTION
@click.pass_obj
def token_create(settings: Settings, user_name: str, label: str, as_json: bool) -> None:
    """Create an API token for USER and print it once."""
    with open_catalog(settings) as catalog:
        new = create_token(catalog, user_name, label=label)
    if as_json:
        print_json(new.to_dict())
        return
    click.echo(new.token)
    click.echo("Store this token now: it is not shown again.", err=True)


@token.command("list")
@click.argument("user_name", metavar="USER")
@JSON_OPTION
@click.pass_obj
def token_list(settings: Settings, user_name: str, as_json: bool) -> None:
    """List USER's tokens by prefix (never the tokens themselves)."""
    with open_catalog(settings) as catalog:
        tokens = list_tokens(catalog, user_name)
    if as_json:
        print_json({"user": user_name, "tokens": [t.to_dict() for t in tokens]})
        return
    for row in (t.to_dict() for t in tokens):
        state = f"revoked {row['revoked']}" if row["revoked"] else "active"
        used = row["last_used"] or "never used"
        click.echo(f"{row['prefix']}  {state:28}  created {row['created']}  {used}  {row['label']}")


@token.command("revoke")
@click.argument("user_name", metavar="USER")
@click.argument("prefix")
@JSON_OPTION
@click.pass_obj
def token_revoke(settings: Settings, user_name: str, prefix: str, as_json: bool) -> None:
    """Revoke USER's token PREFIX; it and the portal sessions made with it stop at once."""
    with open_catalog(settings) as catalog:
        result = revoke_token(catalog, user_name, prefix)
    if as_json:
        print_json(result.to_dict())
        return
    click.echo(f"revoked token {result.prefix} of {result.user}")
