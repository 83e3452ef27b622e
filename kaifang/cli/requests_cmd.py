"""``kaifang requests list|answer``: dataset requests, read and answered from the server's own
command line (no token: whoever runs it holds the data directory)."""

from __future__ import annotations

import click

from kaifang.catalog.db import open_catalog
from kaifang.catalog.requests import ANSWERS, FILTERS
from kaifang.cli.common import console, print_json
from kaifang.settings import Settings


@click.group()
def requests() -> None:
    """Dataset requests: list them, and answer them for the organization asked."""


@requests.command("list")
@click.option("--org", default=None, help="Only requests to this organization (its code).")
@click.option("--status", type=click.Choice(FILTERS), default=None,
              help="Only this status (closed: fulfilled or rejected).")  # fmt: skip
@click.option("--limit", type=click.IntRange(1, 200), default=50, show_default=True)
@click.option("--offset", type=click.IntRange(0), default=0)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_obj
def requests_list(
    settings: Settings, org: str | None, status: str | None, limit: int, offset: int,
    as_json: bool,
) -> None:  # fmt: skip
    """Requests newest first, with the requester's contact e-mail (never shown on the web)."""
    from kaifang.catalog.requests import list_requests

    with open_catalog(settings) as catalog:
        total, rows = list_requests(catalog, org=org, status=status, limit=limit, offset=offset)
    if as_json:
        print_json({"total": total, "data": [r.to_dict() for r in rows]})
        return
    console.print(f"{total} request(s)", markup=False)
    for r in rows:
        who = r.requester or "anonymous"
        contact = f" <{r.contact}>" if r.contact else ""
        console.print(f"#{r.id} [{r.status}] {r.organization} {r.title} — {who}{contact} "
                      f"{r.created:%Y-%m-%d}", markup=False)  # fmt: skip
        if r.response:
            console.print(f"    → {r.response}", markup=False)


@requests.command("answer")
@click.argument("request_id", metavar="ID", type=int)
@click.option("--text", required=True, help="The answer.")
@click.option("--status", type=click.Choice(ANSWERS), default="answered", show_default=True,
              help="answered: a reply; fulfilled: published; rejected: say why.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_obj
def requests_answer(
    settings: Settings, request_id: int, text: str, status: str, as_json: bool
) -> None:
    """Answer request ID with --text and set its --status."""
    from kaifang.catalog.requests import answer_request

    with open_catalog(settings) as catalog:
        answered = answer_request(catalog, request_id, status=status, response=text)
    if as_json:
        print_json(answered.to_dict())
        return
    console.print(f"#{answered.id} {answered.status}: {answered.response}", markup=False)
