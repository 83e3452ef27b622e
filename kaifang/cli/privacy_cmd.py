"""``kaifang privacy bases``: the legal bases kaifang ships, for ``--allow-personal-data``."""

from __future__ import annotations

from typing import Any

import click

from kaifang.cli.common import console, print_json
from kaifang.privacy.legal_basis import LISTED_BASES


def listed_bases() -> list[dict[str, Any]]:
    """Each listed basis: its label, law, article, the detector kinds it covers and a note
    (the library result behind ``kaifang privacy bases --json``)."""
    return [
        {
            "label": basis.label,
            "law": basis.law,
            "article": basis.article,
            "covers": sorted(basis.covers),
            "note": basis.note,
        }
        for basis in LISTED_BASES
    ]


@click.group()
def privacy() -> None:
    """Privacy reference: the legal bases a publish may record."""


@privacy.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def bases(as_json: bool) -> None:
    """List the legal bases kaifang ships (laws that make named personal data public), with
    the kinds of data each covers. Choose one with --allow-personal-data LABEL and name its
    columns with --basis-columns; an organization admin may cite another law with --law and
    --article."""
    data = listed_bases()
    if as_json:
        print_json({"bases": data})
        return
    for basis in data:  # one line each: a label must be copyable whole, never wrapped
        console.print(basis["label"], highlight=False, markup=False, soft_wrap=True)
        console.print(
            f"  covers: {', '.join(basis['covers'])}; {basis['note']}",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
