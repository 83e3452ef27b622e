"""The school directories source (教育部 學校名錄) as the CLI, API and dashboards see it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kaifang.catalog.aliases import named_resource
from kaifang.sources.schools.generate import SchoolsPlan, generate_schools
from kaifang.sources.schools.importer import (
    COMBINED,
    DATASET_ID,
    TITLE,
    import_schools,
    resource_name,
)
from kaifang.sources.source import GenerateOption, Generator, ReadableIds, Source, SourceData


def generate(out_dir: Path, *, seed: int, scale: float, academic_year: int) -> dict[str, Any]:
    result = generate_schools(
        out_dir, SchoolsPlan(academic_year=academic_year, seed=seed, scale=scale)
    )
    return {"out": str(out_dir), "files": len(result.files), "rows": result.rows}


GENERATOR = Generator(
    summary="MOE school directories for every level.",
    run=generate,
    options=(GenerateOption("academic_year", "ROC 學年度.", default=114, kind=int),),
)


def school_choices(data: SourceData) -> dict[str, Any]:
    """The dashboard reads the combined directory (every level, with a ``level`` column)
    through the aggregate API: its resource id, or none before the schools are published."""
    combined = resource_name(COMBINED)
    with data.catalog.read() as session:
        resource = named_resource(session, combined)
        if resource is None or resource.current_version is None:
            return {"schools": None}
        return {"schools": resource.slug}  # renamed: its id now


SOURCE = Source(
    name="schools",
    summary="Import MOE school directories (e1, j1, high, u1, k1, sp1), a file or a folder.",
    import_files=import_schools,
    dashboard=school_choices,
    generator=GENERATOR,
    readable_ids=lambda title: ReadableIds(DATASET_ID) if title == TITLE else None,
)
