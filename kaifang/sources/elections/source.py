"""The elections source (中選會 voteData) as the CLI, API and dashboards see it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kaifang.sources.elections.analyses import election_choices
from kaifang.sources.elections.columns import FILES
from kaifang.sources.elections.discover import ElectionFolder
from kaifang.sources.elections.generate import ElectionsPlan, generate_elections
from kaifang.sources.elections.importer import (
    TITLE_PREFIX,
    dataset_id,
    former_resource_name,
    import_elections,
    resource_name,
)
from kaifang.sources.source import GenerateOption, Generator, ImportOption, ReadableIds, Source


def readable_ids(title: str) -> ReadableIds | None:
    """``中選會選舉資料庫 2020總統立委 總統`` -> ``cec_2020_president``, its resources
    ``cec_2020_<hash>_<file>`` -> ``cec_2020_president_<file>``."""
    if not title.startswith(TITLE_PREFIX):
        return None
    election = ElectionFolder(Path(), title.removeprefix(TITLE_PREFIX))
    resources = {former_resource_name(election, s): resource_name(election, s) for s in FILES}
    return ReadableIds(dataset_id(election), resources)


def generate(out_dir: Path, *, seed: int, scale: float, zip_archive: bool) -> dict[str, Any]:
    result = generate_elections(
        out_dir, ElectionsPlan(seed=seed, scale=scale, zip_archive=zip_archive)
    )
    return {
        "out": str(out_dir),
        "folders": [str(f.relative_to(out_dir)) for f in result.folders],
        "files": len(result.files),
        "zip": str(result.zip_path) if result.zip_path else None,
    }


GENERATOR = Generator(
    summary="CEC voteData election folders (2008, 2020, 2022 and 2024 spellings).",
    run=generate,
    options=(GenerateOption("zip_archive", "Also write votedata.zip.", flag_name="--zip"),),
)

SOURCE = Source(
    name="elections",
    summary="Import CEC voteData: an election folder, a tree of them, or votedata.zip.",
    import_files=import_elections,
    options=(
        ImportOption(
            "keep_birth_date", "Publish candidates' full birth dates instead of the birth year."
        ),
    ),
    dashboard=election_choices,
    generator=GENERATOR,
    readable_ids=readable_ids,
)
