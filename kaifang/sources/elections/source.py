"""The elections source (中選會 voteData) as the CLI, API and dashboards see it."""

from __future__ import annotations

from kaifang.sources.elections.analyses import election_choices
from kaifang.sources.elections.importer import import_elections
from kaifang.sources.source import ImportOption, Source

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
)
