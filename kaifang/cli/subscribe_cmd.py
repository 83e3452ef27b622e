"""``kaifang subscribe add|list|remove|log``: a user's webhooks."""

from __future__ import annotations

import click

from kaifang.catalog.db import open_catalog
from kaifang.cli.common import console, print_json
from kaifang.settings import Settings

JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")


@click.group()
def subscribe() -> None:
    """Webhooks: changes to a dataset, an organization or a search, POSTed to a URL."""


@subscribe.command("add")
@click.argument("user_name", metavar="USER")
@click.argument("url")
@click.option("--dataset", default=None, help="Follow one dataset (its id).")
@click.option("--org", default=None, help="Follow an organization's datasets (its code).")
@click.option("--search", default=None, help="Follow datasets matching these words.")
@JSON_OPTION
@click.pass_obj
def subscribe_add(
    settings: Settings,
    user_name: str,
    url: str,
    dataset: str | None,
    org: str | None,
    search: str | None,
    as_json: bool,
) -> None:
    """Subscribe URL for USER; prints the signing secret once."""
    from kaifang.notify.subscriptions import subscribe as add

    chosen = [(t, v) for t, v in (("dataset", dataset), ("organization", org),
                                  ("search", search)) if v]  # fmt: skip
    if len(chosen) != 1:
        raise click.UsageError("give exactly one of --dataset, --org, --search")
    with open_catalog(settings) as catalog:
        created = add(settings, catalog, user_name, chosen[0][0], chosen[0][1], url)
    if as_json:
        print_json(created)
        return
    console.print(f"Subscription {created['id']}: {created['target']} {created['value']} → "
                  f"{created['url']}", markup=False)  # fmt: skip
    console.print(f"Signing secret (shown once; {created['signature_header']}: sha256=HMAC):")
    click.echo(created["secret"])


@subscribe.command("list")
@click.argument("user_name", metavar="USER")
@JSON_OPTION
@click.pass_obj
def subscribe_list(settings: Settings, user_name: str, as_json: bool) -> None:
    """USER's subscriptions and their delivery counts."""
    from kaifang.notify.subscriptions import list_subscriptions

    with open_catalog(settings) as catalog:
        subs = list_subscriptions(catalog, user_name)
    if as_json:
        print_json({"user": user_name, "subscriptions": subs})
        return
    for sub in subs:
        console.print(f"{sub['id']}: {sub['target']} {sub['value']} → {sub['url']} "
                      f"{sub['deliveries']}", markup=False)  # fmt: skip


@subscribe.command("remove")
@click.argument("user_name", metavar="USER")
@click.argument("subscription_id", type=int)
@JSON_OPTION
@click.pass_obj
def subscribe_remove(
    settings: Settings, user_name: str, subscription_id: int, as_json: bool
) -> None:
    """Remove one of USER's subscriptions."""
    from kaifang.notify.subscriptions import remove_subscription

    with open_catalog(settings) as catalog:
        removed = remove_subscription(catalog, user_name, subscription_id)
    if as_json:
        print_json(removed)
    else:
        console.print(f"Removed subscription {subscription_id}.")


@subscribe.command("log")
@click.argument("user_name", metavar="USER")
@click.argument("subscription_id", type=int)
@JSON_OPTION
@click.pass_obj
def subscribe_log(settings: Settings, user_name: str, subscription_id: int, as_json: bool) -> None:
    """The deliveries of one of USER's subscriptions, newest first."""
    from kaifang.notify.subscriptions import delivery_log

    with open_catalog(settings) as catalog:
        log = delivery_log(catalog, user_name, subscription_id)
    if as_json:
        print_json({"subscription": subscription_id, "deliveries": log})
        return
    for d in log:
        console.print(f"{d['created']} {d['event']}: {d['status']} after {d['attempts']} "
                      f"tries {d['last_error']}", markup=False)  # fmt: skip
