"""``kaifang generate freeway|elections|theft|schools|catalog``: realistic files in upstream
formats, and a synthetic national catalog."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click

from kaifang.cli.common import print_json
from kaifang.settings import Settings
from kaifang.sources.elections.generate import ElectionsPlan, generate_elections
from kaifang.sources.freeway.generate import ALL_DATASETS, FreewayPlan, generate_freeway
from kaifang.sources.schools.generate import SchoolsPlan, generate_schools
from kaifang.sources.theft.generate import TheftPlan, generate_theft

_OUT = click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write into (created if missing).",
)
_SEED = click.option("--seed", default=0, show_default=True, help="Same seed, same bytes.")
_SCALE = click.option(
    "--scale",
    default=1.0,
    show_default=True,
    type=click.FloatRange(0, 1, min_open=True),
    help="Shrink the data (fewer areas, gantries or rows) for tests and demos.",
)
_JSON = click.option("--json", "as_json", is_flag=True, help="Print one JSON summary object.")


def _report(as_json: bool, summary: dict[str, object]) -> None:
    if as_json:
        print_json(summary)
        return
    for key, value in summary.items():
        click.echo(f"{key}: {value}")


@click.group()
def generate() -> None:
    """Write realistic demo data in each source's exact upstream format."""


def _parse_date(_ctx: click.Context, _param: click.Parameter, value: str) -> date:
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD.") from None


@generate.command()
@_OUT
@click.option("--days", default=1, show_default=True, type=click.IntRange(1), help="Days.")
@click.option(
    "--start", default="2024-03-25", show_default=True, callback=_parse_date, help="First day."
)
@click.option(
    "--datasets",
    default=",".join(ALL_DATASETS),
    show_default=True,
    help="Comma-separated TDCS codes to write.",
)
@click.option("--archive", is_flag=True, help="Write daily M0xA_YYYYMMDD.tar.gz archives.")
@click.option("--trips", type=click.IntRange(1), default=None, help="M06A trips per day.")
@_SEED
@_SCALE
@_JSON
def freeway(
    out_dir: Path,
    days: int,
    start: date,
    datasets: str,
    archive: bool,
    trips: int | None,
    seed: int,
    scale: float,
    as_json: bool,
) -> None:
    """TDCS M03A–M08A days and the gantry coordinate table."""
    plan = FreewayPlan(
        start=start,
        days=days,
        datasets=tuple(d.strip().upper() for d in datasets.split(",") if d.strip()),
        seed=seed,
        scale=scale,
        archive=archive,
        trips_per_day=trips,
    )
    result = generate_freeway(out_dir, plan)
    _report(
        as_json,
        {
            "out": str(out_dir),
            "gantries": result.gantries,
            "files": len(result.files),
            "rows": result.rows,
            "gantry_table": str(result.gantry_table),
        },
    )


@generate.command()
@_OUT
@click.option("--zip", "zip_archive", is_flag=True, help="Also write votedata.zip.")
@_SEED
@_SCALE
@_JSON
def elections(out_dir: Path, zip_archive: bool, seed: int, scale: float, as_json: bool) -> None:
    """CEC voteData election folders (2008, 2020, 2022 and 2024 spellings)."""
    result = generate_elections(
        out_dir, ElectionsPlan(seed=seed, scale=scale, zip_archive=zip_archive)
    )
    _report(
        as_json,
        {
            "out": str(out_dir),
            "folders": [str(f.relative_to(out_dir)) for f in result.folders],
            "files": len(result.files),
            "zip": str(result.zip_path) if result.zip_path else None,
        },
    )


@generate.command()
@_OUT
@click.option("--year", default=2023, show_default=True, help="Gregorian year of the points.")
@_SEED
@_SCALE
@_JSON
def theft(out_dir: Path, year: int, seed: int, scale: float, as_json: bool) -> None:
    """Taipei theft points, Big5 and UTF-8-with-BOM files per category."""
    result = generate_theft(out_dir, TheftPlan(year=year, seed=seed, scale=scale))
    _report(as_json, {"out": str(out_dir), "files": len(result.files), "rows": result.rows})


@generate.command()
@_OUT
@click.option("--academic-year", default=114, show_default=True, help="ROC 學年度.")
@_SEED
@_SCALE
@_JSON
def schools(out_dir: Path, academic_year: int, seed: int, scale: float, as_json: bool) -> None:
    """MOE school directories for every level."""
    result = generate_schools(
        out_dir, SchoolsPlan(academic_year=academic_year, seed=seed, scale=scale)
    )
    _report(as_json, {"out": str(out_dir), "files": len(result.files), "rows": result.rows})


@generate.command("catalog")
@click.option(
    "--datasets", "count", required=True, type=click.IntRange(1), help="Datasets to register."
)
@_SEED
@_JSON
@click.pass_obj
def catalog_cmd(settings: Settings, count: int, seed: int, as_json: bool) -> None:
    """Load a synthetic national catalog (zh-TW datasets, organizations, columns, score
    records) into the data directory's catalog, through the catalog's registration path."""
    from kaifang.catalog import open_catalog  # lazy: only this command opens the catalog
    from kaifang.sources.national_catalog import CatalogPlan, generate_catalog

    with open_catalog(settings) as catalog:
        summary = generate_catalog(catalog, CatalogPlan(datasets=count, seed=seed))
    _report(as_json, summary)
