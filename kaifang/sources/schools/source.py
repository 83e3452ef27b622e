"""The school directories source (教育部 學校名錄) as the CLI sees it (no dashboard)."""

from __future__ import annotations

from kaifang.sources.schools.importer import import_schools
from kaifang.sources.source import Source

SOURCE = Source(
    name="schools",
    summary="Import MOE school directories (e1, j1, high, u1, k1, sp1), a file or a folder.",
    import_files=import_schools,
)
