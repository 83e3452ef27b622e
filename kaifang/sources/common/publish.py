"""What the civic importers (elections, theft, schools) share: their result objects, the
organization they publish under, the privacy screen and gate every resource passes, and one
call to :func:`kaifang.publish.relation.publish_relation` per resource.

The rows are a DuckDB table the importer built with SQL; nothing here loops over rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import duckdb
from sqlalchemy import select

from kaifang.catalog.db import Catalog, open_catalog
from kaifang.catalog.metadata import DatasetMetadata
from kaifang.catalog.models import Organization
from kaifang.errors import PublishRefusedError
from kaifang.privacy import gate, screen
from kaifang.privacy.exception import PublicByNature
from kaifang.privacy.gate import GateFailure
from kaifang.privacy.legal_basis import LegalBasis, covered_columns
from kaifang.publish.relation import (
    RelationPublishResult,
    RelationSpec,
    check_fields,
    publish_batch,
    publish_relation,
    relation_item,
)
from kaifang.settings import Settings
from kaifang.sources.model import SourceColumn

LICENSE = "OGDL-Taiwan-1.0"


@dataclass(frozen=True)
class Publisher:
    """An organization the importer registers: national organization code and names."""

    code: str
    name: str
    name_en: str


@dataclass
class ResourceImport:
    """One resource's outcome: ``version`` is the current version after the import."""

    resource: str
    version: int
    rows: int
    unchanged: bool
    dataset: str = ""
    name: str = ""
    screening: dict[str, Any] = field(default_factory=dict)


@dataclass
class DatasetImport:
    """One dataset's report: the files read and those skipped (``{file, reason}``), the data
    rows read from the files (``rows_in``) and published from them (``rows_out``), rows the
    privacy rules suppressed (``{rows, reason}``), what the new version replaced and kept
    (``changes``), and the resources with their versions."""

    dataset: str
    title: str
    resources: list[ResourceImport] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)
    files_read: list[str] = field(default_factory=list)
    files_skipped: list[dict[str, str]] = field(default_factory=list)
    rows_in: int = 0
    rows_out: int = 0
    suppressed: list[dict[str, Any]] = field(default_factory=list)
    changes: dict[str, Any] = field(default_factory=dict)

    @property
    def versions_made(self) -> list[str]:
        """``resource vN`` for every resource this import gave a new version."""
        return [f"{r.resource} v{r.version}" for r in self.resources if not r.unchanged]


@dataclass
class ImportResult:
    """The ``--json`` object: ``{dataset, resources, problems, files_skipped}``; an elections
    tree imports several datasets, listed in ``datasets`` (``dataset`` is then the first one).
    ``files_skipped`` lists every file not read, with the reason: those of each dataset and
    those in no dataset's folder."""

    datasets: list[DatasetImport] = field(default_factory=list)
    files_skipped: list[dict[str, str]] = field(default_factory=list)  # in no dataset's folder

    def to_dict(self) -> dict[str, Any]:
        first = self.datasets[0].dataset if self.datasets else None
        return {
            "dataset": first,
            "files_skipped": [
                *self.files_skipped,
                *(s for d in self.datasets for s in d.files_skipped),
            ],
            "resources": [
                {"dataset": d.dataset, **_resource(r)} for d in self.datasets for r in d.resources
            ],
            "problems": [p for d in self.datasets for p in d.problems],
            "datasets": [
                {
                    **asdict(d),
                    "resources": [_resource(r) for r in d.resources],
                    "versions_made": d.versions_made,
                }
                for d in self.datasets
            ],
        }


def _resource(item: ResourceImport) -> dict[str, Any]:
    return {
        "resource": item.resource,
        "name": item.name,
        "version": item.version,
        "rows": item.rows,
        "unchanged": item.unchanged,
    }


def ensure_publisher(settings: Settings, publisher: Publisher) -> None:
    """Create the organization when the catalog does not have it yet."""
    with open_catalog(settings) as catalog:
        _ensure(catalog, publisher)


def _ensure(catalog: Catalog, publisher: Publisher) -> None:
    with catalog.write() as session:
        found = session.scalar(select(Organization.id).where(Organization.code == publisher.code))
        if found is None:
            session.add(
                Organization(code=publisher.code, name=publisher.name, name_en=publisher.name_en)
            )


def field_for(
    column: SourceColumn, *, name: str | None = None, kind: str | None = None
) -> dict[str, Any]:
    """A Table Schema field with the publisher's title and description."""
    unit = f"（單位：{column.unit}）" if column.unit else ""
    return {
        "name": name or column.name,
        "type": kind or column.type,
        "title": column.title,
        "description": f"{column.description}{unit}",
    }


def screened(
    settings: Settings,
    relation: duckdb.DuckDBPyRelation,
    *,
    where: str,
    legal_basis: LegalBasis | None = None,
    institutional: tuple[str, ...] = (),
    exception: PublicByNature | None = None,
) -> dict[str, Any]:
    """Screen the rows as they will be published and pass them through the privacy gate.

    No importer skips the screen: rows that describe areas, parties or vote counts rather
    than people record that as an ``exception`` of kind ``not_about_people`` (reason,
    columns, approver), which lets a k-anonymity or small-cell failure through only for the
    columns it names; direct identifiers still block. A ``legal_basis`` (the election law
    for candidates) lets the identifier columns it names through. Returns the summary kept
    in the manifest; raises PublishRefusedError when the gate blocks.

    ``institutional`` names columns the source documents as an institution's own contact
    data (a school's phone, address, web site): a detector firing there (a site given as an
    IP address looks like a person's IP) is recorded in the summary, not gating.

    ``exception`` records why rows failing k-anonymity are public by nature (the police's
    coarsened theft points): the failure is waived only for the columns it names, and the
    exception is kept in the summary for review."""
    report = screen(relation, settings=settings, table_name=where)
    if legal_basis is not None:
        identifiers = {
            c.name: c.detectors for c in report.columns if c.category == "direct_identifier"
        }
        legal_basis = covered_columns(legal_basis, identifiers, columns=relation.columns)

    def blocking(waiver: PublicByNature | None) -> list[GateFailure]:
        found = gate(report, None, allow_personal_data=legal_basis, exception=waiver)
        return [f for f in found if f.column not in institutional]

    failures = blocking(exception)
    if failures:
        listing = "; ".join(f.message for f in failures)
        raise PublishRefusedError(
            f"{where}: the privacy gate blocks publishing ({listing})",
            hint=failures[0].fix,
        )
    personal = [c for c in report.direct_identifiers if c not in institutional]
    waived = exception is not None and len(blocking(None)) > len(failures)
    about_people = exception is None or exception.kind != "not_about_people"
    return {
        "status": "legal_basis"
        if personal and legal_basis
        else ("exception" if waived else "passed"),
        "exception": exception.to_dict() if exception is not None else None,  # for review
        "publishable": True,  # the gate above passed (the scoring's privacy check reads it)
        "legal_basis": legal_basis.display() if personal and legal_basis else None,
        "legal_basis_detail": legal_basis.to_dict() if personal and legal_basis else None,
        "direct_identifiers": personal,
        "quasi_identifiers": report.quasi_identifiers,
        "k_anonymity": report.k_anonymity.k,
        "institutional_contact": [
            {"column": c.name, "detectors": list(c.detectors)}
            for c in report.columns
            if c.name in institutional and c.category == "direct_identifier"
        ],
        "about_people": about_people,
        "rows": report.rows,
    }


@dataclass
class StagedRows:
    """Rows screened and checked, ready for :func:`publish_staged` (an importer stages every
    table before publishing any, so that a failure publishes none)."""

    spec: RelationSpec
    summary: dict[str, Any]


def stage_rows(
    settings: Settings,
    relation: duckdb.DuckDBPyRelation,
    *,
    publisher: Publisher,
    title: str,
    resource: str,
    fields: list[dict[str, Any]],
    metadata: DatasetMetadata,
    source_file: str,
    order_by: tuple[str, ...] = (),
    legal_basis: LegalBasis | None = None,
    institutional: tuple[str, ...] = (),
    exception: PublicByNature | None = None,
    dataset_id: str | None = None,
    former_names: tuple[str, ...] = (),
) -> StagedRows:
    """Screen ``relation`` (see :func:`screened`) and check its fields; nothing is written.
    ``dataset_id`` is the readable id a new dataset gets; ``former_names`` the resource's
    names under earlier importers (see :class:`kaifang.publish.relation.RelationSpec`)."""
    summary = screened(
        settings,
        relation,
        where=resource,
        legal_basis=legal_basis,
        institutional=institutional,
        exception=exception,
    )
    spec = RelationSpec(
        org=publisher.code,
        title=title,
        resource=resource,
        fields=fields,
        metadata=metadata,
        order_by=order_by,
        publisher=publisher.name,
        legal_basis=summary.get("legal_basis"),
        source_file=source_file,
        screening=summary,
        dataset_id=dataset_id,
        former_names=former_names,
    )
    check_fields(spec, list(relation.columns))
    return StagedRows(spec, summary)


def publish_staged(
    settings: Settings, relation: duckdb.DuckDBPyRelation, staged: StagedRows
) -> ResourceImport:
    """Publish rows :func:`stage_rows` screened as the next version of their resource."""
    return _outcome(publish_relation(settings, relation, staged.spec), staged)


def publish_all_staged(
    settings: Settings, tables: Sequence[tuple[duckdb.DuckDBPyRelation, StagedRows]]
) -> list[ResourceImport]:
    """Publish every staged table all or none (:func:`kaifang.publish.relation.publish_batch`:
    every version written, then registered in one catalog transaction)."""
    items = [relation_item(relation, staged.spec) for relation, staged in tables]
    results = publish_batch(settings, items)
    return [_outcome(r, staged) for r, (_, staged) in zip(results, tables, strict=True)]


def _outcome(result: RelationPublishResult, staged: StagedRows) -> ResourceImport:
    return ResourceImport(
        resource=result.resource,
        version=result.version,
        rows=result.rows,
        unchanged=result.unchanged,
        dataset=result.dataset,
        name=staged.spec.resource,
        screening=staged.summary,
    )


def publish_rows(
    settings: Settings,
    relation: duckdb.DuckDBPyRelation,
    *,
    publisher: Publisher,
    title: str,
    resource: str,
    fields: list[dict[str, Any]],
    metadata: DatasetMetadata,
    source_file: str,
    order_by: tuple[str, ...] = (),
    legal_basis: LegalBasis | None = None,
    institutional: tuple[str, ...] = (),
    exception: PublicByNature | None = None,
    dataset_id: str | None = None,
) -> ResourceImport:
    """Screen ``relation`` (see :func:`screened`), then publish it as ``resource``."""
    staged = stage_rows(
        settings,
        relation,
        publisher=publisher,
        title=title,
        resource=resource,
        fields=fields,
        metadata=metadata,
        source_file=source_file,
        order_by=order_by,
        legal_basis=legal_basis,
        institutional=institutional,
        exception=exception,
        dataset_id=dataset_id,
    )
    return publish_staged(settings, relation, staged)
