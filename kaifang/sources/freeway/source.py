"""The freeway source (交通部高速公路局 TDCS, M03A–M08A) as the CLI, API and dashboards see it."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from kaifang.sources.freeway.analyses import freeway_choices
from kaifang.sources.freeway.catalog_entries import (
    GANTRY_RESOURCE,
    GANTRY_TITLE,
    ORG_CODE,
    dataset_title,
    resource_name,
)
from kaifang.sources.freeway.columns import DATASETS
from kaifang.sources.freeway.generate import ALL_DATASETS, FreewayPlan, generate_freeway
from kaifang.sources.freeway.importer import import_freeway
from kaifang.sources.source import GenerateOption, Generator, ImportOption, ReadableIds, Source


def generate(
    out_dir: Path,
    *,
    seed: int,
    scale: float,
    days: int,
    start: date,
    datasets: str,
    archive: bool,
    trips: int | None,
) -> dict[str, Any]:
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
    return {
        "out": str(out_dir),
        "gantries": result.gantries,
        "files": len(result.files),
        "rows": result.rows,
        "gantry_table": str(result.gantry_table),
    }


GENERATOR = Generator(
    summary="TDCS M03A–M08A days and the gantry coordinate table.",
    run=generate,
    options=(
        GenerateOption("days", "Days.", default=1, kind=int, minimum=1),
        GenerateOption("start", "First day.", default="2024-03-25", kind=date),
        GenerateOption(
            "datasets", "Comma-separated TDCS codes to write.", default=",".join(ALL_DATASETS)
        ),
        GenerateOption("archive", "Write daily M0xA_YYYYMMDD.tar.gz archives."),
        GenerateOption("trips", "M06A trips per day.", default=None, kind=int, minimum=1),
    ),
)

READABLE_IDS = {
    **{dataset_title(code): resource_name(code) for code in DATASETS},
    GANTRY_TITLE: GANTRY_RESOURCE,
}
"""Each freeway dataset's id by its title: its table's name (``etc_m03a`` -> ``freeway_m03a``)."""


def readable_ids(title: str) -> ReadableIds | None:
    wanted = READABLE_IDS.get(title)
    return ReadableIds(wanted) if wanted is not None else None


SOURCE = Source(
    name="freeway",
    summary="Import TDCS M03A…M08A files (a CSV, a day folder, a daily .tar.gz or a folder of "
    "them) and the gantry coordinate table, partitioned by day.",
    import_files=import_freeway,
    options=(
        ImportOption(
            "org",
            "Organization code of 交通部高速公路局 (created when missing).",
            default=ORG_CODE,
        ),
        ImportOption(
            "engine",
            "spark parses bulk history (M03A, M04A, M05A, M08A) and parses and protects trips "
            "(M06A) on KAIFANG_SPARK_MASTER; M07A and the gantry table stay on DuckDB.",
            default="duckdb",
            choices=("duckdb", "spark"),
        ),
        ImportOption(
            "accept_utility_loss",
            "Publish M06A trips even when their protection loses more than "
            "freeway_trip_max_loss of the trips or vehicle-km (recorded in the version).",
        ),
    ),
    path_must_exist=False,
    dashboard=freeway_choices,
    generator=GENERATOR,
    readable_ids=readable_ids,
)
