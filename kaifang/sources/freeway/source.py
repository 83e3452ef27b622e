"""The freeway source (交通部高速公路局 TDCS, M03A–M08A) as the CLI, API and dashboards see it."""

from __future__ import annotations

from kaifang.sources.freeway.analyses import freeway_choices
from kaifang.sources.freeway.catalog_entries import ORG_CODE
from kaifang.sources.freeway.importer import import_freeway
from kaifang.sources.source import ImportOption, Source

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
)
