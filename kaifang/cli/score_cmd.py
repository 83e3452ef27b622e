"""``kaifang score DATASET``, ``kaifang score --org CODE`` and ``kaifang score --all``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import click

from kaifang.catalog.quick import QuickCatalog, read_quickly
from kaifang.cli import common
from kaifang.cli.common import print_json, rich_table
from kaifang.errors import ValidationError
from kaifang.settings import Settings
from kaifang.storage.filesystem import local_has_version


def _moment(value: str | None) -> datetime:
    if value is None:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            f"--at {value!r} is not an ISO 8601 date or time",
            hint="e.g. --at 2026-03-01 or --at 2026-03-01T09:00:00+08:00",
            key="at",
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _quick_score(settings: Settings, ref: str, now: datetime) -> dict[str, Any] | None:
    """``dataset_openness`` on the quick read path (:mod:`kaifang.catalog.quick`) of a SQLite
    catalog and a local store: the same facts from the same rows, scored by the same rubric;
    None when the full path must answer."""
    has_version = local_has_version(settings)
    if has_version is None:
        return None

    def scored(quick: QuickCatalog) -> dict[str, Any] | None:
        from kaifang.openness import score_dataset
        from kaifang.scoring.facts import dataset_facts

        row = quick.find_dataset(ref)
        if row is None:
            return None
        return score_dataset(dataset_facts(row, has_version=has_version), now=now).to_dict()

    return read_quickly(settings, scored)


def _band(band: dict[str, Any] | None) -> str:
    return f"{band['zh']} {band['en']}" if band else "—"


def _print_dataset(item: dict[str, Any]) -> None:
    common.console.print(
        f"[bold]{item['title']}[/] ({item['dataset']}): {item['score']}/{item['max_score']} · "
        f"{_band(item['band'])} · {item['stars']['symbol'] or '☆'}",
        highlight=False,
    )
    if item["band_note"]:
        common.console.print(item["band_note"]["zh"], highlight=False, markup=False)
    table = rich_table("check", "points", "result")
    table.add_column("reason / fix", overflow="fold")
    for check in item["checks"]:
        mark = "✓" if check["passed"] else "✗"
        text = check["reason"]["zh"]
        if check["fix"]:
            text += f"\n→ {check['fix']['zh']}"
        table.add_row(
            f"{check['code']} {check['title']['zh']}",
            f"{check['points'] - check['points_lost']}/{check['points']}",
            mark,
            text,
        )
    common.console.print(table)


def _print_organization(item: dict[str, Any]) -> None:
    mean = "—" if item["mean"] is None else f"{item['mean']}"
    common.console.print(
        f"[bold]{item['name'] or item['organization']}[/] ({item['organization']}): mean {mean}"
        f" over {item['counted_datasets']} counted of {item['datasets']} dataset(s)",
        highlight=False,
    )
    common.console.print(
        "distribution: " + ", ".join(f"{k} {v}" for k, v in item["distribution"].items()),
        highlight=False,
    )
    table = rich_table("dataset", "title", "score", "band", "stars")
    for row in item["scores"]:
        table.add_row(
            row["dataset"], row["title"], str(row["score"]), row["band"] or "—", "★" * row["stars"]
        )
    common.console.print(table)
    for group in item["split_groups"]:
        common.console.print(f"split: {group['suggestion']['zh']}", highlight=False, markup=False)
    for late in item["overdue"]:
        common.console.print(
            f"overdue: {late['dataset']} due {late['due']} ({late['days_overdue']} days)",
            highlight=False,
        )
    for request in item["requests"]:
        common.console.print(
            f"open request #{request['id']}: {request['title']} ({request['age_days']} days)",
            highlight=False,
            markup=False,
        )
    if item["trend"]:
        common.console.print(
            "trend: " + ", ".join(f"{p['month']} {p['mean']}" for p in item["trend"]),
            highlight=False,
        )


@click.command()
@click.argument("dataset", required=False)
@click.option("--org", "org", default=None, help="Score organization CODE instead.")
@click.option(
    "--all", "rescore", is_flag=True, help="Rescore every dataset and record changed scores."
)
@click.option("--at", "at", default=None, help="Score as of this ISO time (default: now).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_obj
def score(
    settings: Settings,
    dataset: str | None,
    org: str | None,
    rescore: bool,
    at: str | None,
    as_json: bool,
) -> None:
    """Openness score of DATASET, of an organization (--org CODE), or rescore all (--all)."""
    if sum((dataset is not None, org is not None, rescore)) != 1:
        raise click.UsageError("Give exactly one of DATASET, --org CODE or --all.")
    now = _moment(at)
    result = None if dataset is None else _quick_score(settings, dataset, now)
    if result is None:
        from kaifang.catalog import open_catalog  # lazy: SQLAlchemy's start-up
        from kaifang.scoring import dataset_openness, organization_openness, rescore_all
        from kaifang.storage import VersionStore

        store = VersionStore(settings)
        with open_catalog(settings) as catalog:
            if rescore:
                result = rescore_all(catalog, store, now=now).to_dict()
            elif org is not None:
                result = organization_openness(catalog, store, org, now=now).to_dict()
            else:
                assert dataset is not None
                result = dataset_openness(catalog, store, dataset, now=now).to_dict()
    if as_json:
        print_json(result)
    elif rescore:
        common.console.print(
            f"scored {result['scored']} dataset(s); recorded {result['recorded']} changed score(s)",
            highlight=False,
        )
    elif org is not None:
        _print_organization(result)
    else:
        _print_dataset(result)
