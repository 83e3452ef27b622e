"""The school directories source (教育部 學校名錄) as the CLI sees it (no dashboard)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kaifang.sources.schools.generate import SchoolsPlan, generate_schools
from kaifang.sources.schools.importer import import_schools
from kaifang.sources.source import GenerateOption, Generator, Source


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

SOURCE = Source(
    name="schools",
    summary="Import MOE school directories (e1, j1, high, u1, k1, sp1), a file or a folder.",
    import_files=import_schools,
    generator=GENERATOR,
)
