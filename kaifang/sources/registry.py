"""The flagship sources, registered explicitly: the CLI's ``import`` subcommands, the
dashboards and the service's analyses all start from this list. Add a source here."""

from __future__ import annotations

from kaifang.errors import NotFoundError
from kaifang.sources.elections.source import SOURCE as ELECTIONS
from kaifang.sources.freeway.source import SOURCE as FREEWAY
from kaifang.sources.schools.source import SOURCE as SCHOOLS
from kaifang.sources.source import Source
from kaifang.sources.theft.source import SOURCE as THEFT

SOURCES: tuple[Source, ...] = (FREEWAY, ELECTIONS, THEFT, SCHOOLS)


def source_named(name: str) -> Source:
    """The registered source called ``name``; NotFoundError listing the names otherwise."""
    for source in SOURCES:
        if source.name == name:
            return source
    raise NotFoundError(
        f"no source {name!r}", hint=f"Sources: {', '.join(s.name for s in SOURCES)}."
    )


def dashboard_sources() -> tuple[Source, ...]:
    """The sources with a dashboard, in registry order."""
    return tuple(source for source in SOURCES if source.dashboard is not None)
