"""The one interface of a flagship source, which the CLI, the API and the dashboards use.

A :class:`Source` says what ``kaifang import <name>`` and ``kaifang generate <name>`` call
and with which options, and what the source's dashboard offers. Sources are registered explicitly in
:data:`kaifang.sources.registry.SOURCES` (no discovery by naming convention); a new source
declares a :class:`Source` in its package and is added to that list.

A source's analyses and dashboard read published tables through :class:`SourceData`: the
server's query engine, the resolver of published tables, the catalog and the version store
(the service composes it), so every analysis runs through the guard, sandbox and limits of
the safe query layer like any client's SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from kaifang.catalog.db import Catalog
from kaifang.errors import ValidationError
from kaifang.jsonable import record
from kaifang.query import Resolver
from kaifang.query.engines import SqlRunner
from kaifang.settings import Settings
from kaifang.storage import VersionStore

MAX_LIMIT = 10_000
"""Most rows an analysis answers at once."""


@dataclass(frozen=True)
class SourceData:
    """What a source's analyses and dashboard read (composed by the service)."""

    engine: SqlRunner
    resolver: Resolver
    catalog: Catalog
    store: VersionStore

    def records(self, sql: str, params: Sequence[Any], limit: int) -> list[dict[str, Any]]:
        """The rows of ``sql`` (bound ``params``, at most ``limit``) as JSON-ready dicts."""
        result = self.engine.run_sql(
            sql, resolver=self.resolver, params=list(params), max_rows=limit
        )
        return [record(result.columns, row) for row in result.rows]


def checked_limit(value: int) -> int:
    """``value`` if it is a row limit an analysis accepts (1 to :data:`MAX_LIMIT`)."""
    if not 1 <= value <= MAX_LIMIT:
        raise ValidationError(f"limit must be between 1 and {MAX_LIMIT}, not {value}", key="limit")
    return value


class ImportReport(Protocol):
    """What an importer returns: its ``--json`` object."""

    def to_dict(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class ImportOption:
    """One option of ``kaifang import <source>``, passed to the importer as ``name=value``.
    A ``False`` default makes a flag; ``choices`` limits the values."""

    name: str
    help: str
    default: str | bool = False
    choices: tuple[str, ...] = ()

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")


@dataclass(frozen=True)
class GenerateOption:
    """One option of ``kaifang generate <source>`` besides ``--out``, ``--seed``, ``--scale``
    and ``--json``, passed to the generator as ``name=value``. A ``False`` default makes a
    flag; ``kind`` is ``str``, ``int`` (at least ``minimum``) or ``date`` (YYYY-MM-DD)."""

    name: str
    help: str
    default: str | int | bool | None = False
    kind: type = str
    minimum: int | None = None
    flag_name: str | None = None  # the flag, when it is not the name with dashes

    @property
    def flag(self) -> str:
        return self.flag_name or "--" + self.name.replace("_", "-")


@dataclass(frozen=True)
class Generator:
    """``run(out_dir, seed=..., scale=..., **options)`` writes realistic files in the source's
    upstream format and answers a summary (the ``--json`` object)."""

    summary: str
    run: Callable[..., dict[str, Any]]
    options: tuple[GenerateOption, ...] = ()


@dataclass(frozen=True)
class ReadableIds:
    """The ids a source's importer gives one of its datasets today: the dataset's, and each
    resource's by the id importers gave it before readable ids (``cec_2020_1a2b3c_elctks``
    -> ``cec_2020_president_elctks``)."""

    dataset: str
    resources: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Source:
    """A flagship source: ``import_files(settings, path, **options)`` publishes its files in
    their upstream layout; ``generator`` writes such files; ``dashboard(data)`` (None: no
    dashboard) is what the dashboard page's forms offer; ``readable_ids(title)`` the ids its
    importer gives the dataset titled so today (None: not one of its datasets), which
    ``kaifang catalog readable-ids`` gives the datasets older importers made."""

    name: str
    summary: str
    import_files: Callable[..., ImportReport]
    options: tuple[ImportOption, ...] = ()
    path_must_exist: bool = True
    dashboard: Callable[[SourceData], dict[str, Any]] | None = None
    generator: Generator | None = None
    readable_ids: Callable[[str], ReadableIds | None] | None = None

    def run_import(self, settings: Settings, path: Path, **options: Any) -> ImportReport:
        """Import ``path`` with the given options (refused: an option the source lacks)."""
        known = {option.name for option in self.options}
        unknown = sorted(set(options) - known)
        if unknown:
            raise ValidationError(
                f"the {self.name} importer has no option {', '.join(unknown)}",
                hint=f"Its options: {', '.join(sorted(known)) or 'none'}.",
            )
        return self.import_files(settings, path, **options)
