"""The theft points source (臺北市政府警察局 竊盜點位資訊) as the CLI, API and dashboards see it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kaifang.sources.source import GenerateOption, Generator, ReadableIds, Source, SourceData
from kaifang.sources.theft.generate import TheftPlan, generate_theft
from kaifang.sources.theft.importer import RESOURCE, TITLE, import_theft


def generate(out_dir: Path, *, seed: int, scale: float, year: int) -> dict[str, Any]:
    result = generate_theft(out_dir, TheftPlan(year=year, seed=seed, scale=scale))
    return {"out": str(out_dir), "files": len(result.files), "rows": result.rows}


GENERATOR = Generator(
    summary="Taipei theft points, Big5 and UTF-8-with-BOM files per category.",
    run=generate,
    options=(GenerateOption("year", "Gregorian year of the points.", default=2023, kind=int),),
)


def theft_choices(data: SourceData) -> dict[str, Any]:
    """The dashboard's forms offer the fixed categories; the map counts the points resource
    through the aggregate API."""
    return {"points": RESOURCE}


SOURCE = Source(
    name="theft",
    summary="Import Taipei theft point files (Big5 or UTF-8 with BOM), a file or a folder.",
    import_files=import_theft,
    dashboard=theft_choices,
    generator=GENERATOR,
    readable_ids=lambda title: ReadableIds(RESOURCE) if title == TITLE else None,
)
