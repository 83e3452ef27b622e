"""What a publish or a rollback reports (the ``kaifang publish --json`` object)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

Progress = Callable[[int, int], None]
"""Called with (rows written so far, total rows) while a version is written."""


@dataclass
class PublishResult:
    dataset: str
    dataset_identifier: str
    resource: str
    resource_identifier: str
    version: int
    rows: int
    unchanged: bool = False
    created_dataset: bool = False
    created_resource: bool = False
    source_file: str = ""
    source_hash: str = ""
    content_hash: str = ""
    clustered_by: list[str] = field(default_factory=list)
    legal_basis: str | None = None
    rollback_of: int | None = None
    screening: dict[str, Any] = field(default_factory=dict)
    # Reading problems of the published file: how many, and the first few (as inspect).
    problem_count: int = 0
    problems: list[dict[str, Any]] = field(default_factory=list)
    # How the columns differ from the version before (empty: they do not).
    schema_change: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
