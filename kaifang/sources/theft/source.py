"""The theft points source (臺北市政府警察局 竊盜點位資訊) as the CLI, API and dashboards see it."""

from __future__ import annotations

from typing import Any

from kaifang.sources.source import Source, SourceData
from kaifang.sources.theft.importer import import_theft


def theft_choices(data: SourceData) -> dict[str, Any]:
    """The dashboard's forms offer the fixed categories and districts: nothing to look up."""
    return {}


SOURCE = Source(
    name="theft",
    summary="Import Taipei theft point files (Big5 or UTF-8 with BOM), a file or a folder.",
    import_files=import_theft,
    dashboard=theft_choices,
)
