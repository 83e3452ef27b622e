"""What the rubric looks at: plain, frozen facts about a dataset and its resources.

The openness library reads no catalog and no files. Whoever calls it (the catalog, the API,
the CLI, a test) gathers these facts from the current version of each resource and the
dataset's metadata, so the rubric stays a pure function of its inputs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

_NAME_NOISE = re.compile(r"[\s_\-./()（）［］\[\]「」:：,，]+")


def normalize_column_name(name: str) -> str:
    """The column name as people mean it: NFKC (full-width → half-width), case-folded, with
    spaces, underscores, dashes, dots and brackets removed (``"學校 名稱"`` == ``"學校名稱"``,
    ``"School_Name"`` == ``"schoolname"``)."""
    return _NAME_NOISE.sub("", unicodedata.normalize("NFKC", name).casefold())


@dataclass(frozen=True)
class ColumnFacts:
    """One column of a resource's current version (Table Schema ``name``/``type``)."""

    name: str
    type: str = "string"
    description: str = ""


@dataclass(frozen=True)
class ResourceFacts:
    """One resource (table) as its current version stands.

    ``sniffed_format`` is what reading detected in the agency's file (``csv``, ``xlsx``,
    ``ods``, ``json``, ``pdf``...); ``declared_format`` is what the metadata claims.
    ``source_encoding`` is the encoding the agency's file was read in (the published output is
    always UTF-8). ``problems`` are the reading problems of the current version
    (``{row, column, code, message}``); when only the first few are kept, ``problem_count``
    gives how many there were in all. ``files_present`` is false when the catalog points at
    a version whose files the store cannot find.
    """

    id: str
    name: str
    sniffed_format: str
    declared_format: str | None = None
    source_encoding: str | None = "utf-8"
    rows: int = 0
    columns: Sequence[ColumnFacts] = ()
    problems: Sequence[Mapping[str, Any]] = ()
    problem_count: int | None = None
    bulk_download: bool = True
    files_present: bool = True

    @property
    def total_problems(self) -> int:
        """How many reading problems the current version had (``problems`` may list fewer)."""
        return max(len(self.problems), self.problem_count or 0)

    @property
    def schema_signature(self) -> frozenset[tuple[str, str]]:
        """The set of ``(normalized column name, type)`` pairs: two resources with the same
        signature hold the same kind of table, whatever the column order or spelling."""
        return frozenset((normalize_column_name(c.name), c.type) for c in self.columns)


@dataclass(frozen=True)
class DatasetFacts:
    """A dataset's metadata and its resources' current versions.

    ``screening`` is the privacy report summary of the current version
    (``{publishable: bool, legal_basis: str | None, unresolved: [...]}``); ``None`` means the
    data was never screened. ``contact`` is a mapping with ``name`` and ``email`` and/or
    ``phone``. ``temporal_coverage`` is ``{start, end}`` (ISO dates; either may be missing).
    ``current_version_created`` must be timezone-aware.
    """

    id: str
    title: str
    org_code: str
    license: str
    description: str = ""
    license_url: str | None = None
    cost: str | None = None
    keywords: Sequence[str] = ()
    category: str | None = None
    spatial: str | None = None
    temporal_coverage: Mapping[str, Any] | None = None
    contact: Mapping[str, Any] | None = None
    publisher: str | None = None
    update_frequency: str | None = None
    grace_days: int | None = None
    current_version_created: datetime | None = None
    resources: Sequence[ResourceFacts] = ()
    screening: Mapping[str, Any] | None = None
    requires_login: bool = False
