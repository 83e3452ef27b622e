"""What a publish or a rollback reports (the ``kaifang publish --json`` object)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import select

from kaifang.catalog.db import Catalog
from kaifang.catalog.models import Resource

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


def result_for(catalog: Catalog, storage: str, **extra: Any) -> PublishResult:
    """The result of a publish that left the resource stored as ``storage`` at its current
    version (with its id now); ``extra`` sets the flags (``unchanged``, ``created_dataset``,
    ``created_resource``)."""
    with catalog.read() as session:
        resource = session.scalar(select(Resource).where(Resource.storage == storage))
        assert resource is not None  # registered by this publish or found by plan_target
        current = resource.current
        assert current is not None  # a publish leaves its resource at a version
        reading = current.summary.get("reading") or {}
        return PublishResult(
            dataset=resource.dataset.slug,
            dataset_identifier=resource.dataset.identifier,
            resource=resource.slug,
            resource_identifier=resource.identifier,
            version=current.number,
            rows=current.rows,
            source_file=current.source_file,
            source_hash=current.source_hash,
            content_hash=current.content_hash,
            legal_basis=current.legal_basis or None,
            rollback_of=current.rollback_of,
            screening=current.summary.get("screening", {}),
            clustered_by=current.summary.get("clustered_by", []),
            problem_count=int(reading.get("problem_count") or 0),
            problems=list(reading.get("problems") or []),
            schema_change=current.summary.get("schema_change") or {},
            **extra,
        )
