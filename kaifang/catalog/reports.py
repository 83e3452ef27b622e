"""Data-quality reports: a signed-in reader reports a problem with a dataset (a wrong value at
a row and column, a broken link, outdated data, something else); the editors of the dataset's
organization answer it and close it. Open reports show on the dataset page and in the API, and
the days to a first answer count in the organization's response times.

Each filed and each answered report is an activity (``report_filed``, ``report_answered``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from kaifang.catalog.activity import record_activity
from kaifang.catalog.datasets import find_dataset
from kaifang.catalog.db import Catalog
from kaifang.catalog.models import (
    REPORT_KINDS,
    REPORT_STATUSES,
    DataReport,
    Dataset,
    Organization,
    utcnow,
)
from kaifang.catalog.records import UserRecord
from kaifang.errors import ConflictError, ForbiddenError, NotFoundError, ValidationError

MAX_PAGE = 200
MAX_TEXT = 4000


def _utc(moment: datetime | None) -> str | None:
    return moment.replace(tzinfo=UTC).isoformat() if moment is not None else None


def report_dict(row: DataReport) -> dict[str, Any]:
    return {
        "id": row.id,
        "dataset": row.dataset.slug,
        "dataset_title": row.dataset.title,
        "organization": row.dataset.organization.code,
        "kind": row.kind,
        "resource": row.resource or None,
        "row": row.row_number,
        "column": row.column_name or None,
        "description": row.description,
        "status": row.status,
        "reporter": row.reporter,
        "response": row.response or None,
        "responder": row.responder or None,
        "created": _utc(row.created),
        "answered": _utc(row.answered),
        "closed": _utc(row.closed),
    }


def _text(value: str, key: str) -> str:
    text = value.strip()
    if len(text) > MAX_TEXT:
        raise ValidationError(
            f"{key} is {len(text)} characters long; at most {MAX_TEXT} are kept",
            hint="Shorten it.",
            key=key,
        )
    return text


def file_report(
    catalog: Catalog,
    user: UserRecord,
    dataset: str,
    *,
    kind: str,
    description: str = "",
    resource: str = "",
    row: int | None = None,
    column: str = "",
) -> dict[str, Any]:
    """``user`` reports a problem with ``dataset``. A ``wrong_value`` names the row (from 1)
    and the column; ``resource``, when given, must be one of the dataset's tables."""
    if kind not in REPORT_KINDS:
        raise ValidationError(
            f"kind {kind!r} is not a kind of report",
            hint=f"Use one of: {', '.join(REPORT_KINDS)}.",
            key="kind",
        )
    text = _text(description, "description")
    if kind == "wrong_value" and (row is None or not column.strip()):
        raise ValidationError(
            "a wrong value needs its row and its column",
            hint="Give the row number (from 1) and the column's name.",
            key="row" if row is None else "column",
        )
    if row is not None and row < 1:
        raise ValidationError(
            f"row {row} is not a row number", hint="Rows count from 1.", key="row"
        )
    if kind == "other" and not text:
        raise ValidationError(
            "say what the problem is", hint="Describe it in the description.", key="description"
        )
    with catalog.write() as session:
        found = find_dataset(session, dataset)
        table = resource.strip()
        if table:
            names = [r.slug for r in found.resources]
            if table not in names and table not in [r.identifier for r in found.resources]:
                raise ValidationError(
                    f"dataset {found.slug} has no resource {table!r}",
                    hint=f"Resources: {', '.join(names)}.",
                    key="resource",
                )
        report = DataReport(
            dataset=found,
            reporter=user.name,
            kind=kind,
            resource=table,
            row_number=row,
            column_name=column.strip()[:200],
            description=text,
            status="open",
            response="",
            responder="",
            created=utcnow(),
        )
        session.add(report)
        session.flush()
        record_activity(
            session, "report_filed", found, actor=user.name, report=report.id, problem=kind
        )
        return report_dict(report)


def _find(session: Session, report_id: int) -> DataReport:
    report = session.get(DataReport, report_id)
    if report is None:
        raise NotFoundError(f"data-quality report {report_id} does not exist", key="report")
    return report


def respond(
    catalog: Catalog,
    user: UserRecord,
    report_id: int,
    *,
    response: str = "",
    close: bool = False,
) -> dict[str, Any]:
    """An editor of the dataset's organization answers the report, and closes it with
    ``close``. A closed report takes no more answers."""
    text = _text(response, "response")
    if not text and not close:
        raise ValidationError(
            "an answer needs a response",
            hint="Say what was corrected, or why the value is right.",
            key="response",
        )
    with catalog.write() as session:
        report = _find(session, report_id)
        org = report.dataset.organization.code
        if not user.may_write(org):
            raise ForbiddenError(
                f"only an editor or admin of {org} may answer reports on its datasets",
                hint="Sign in as a member of that organization with the editor role.",
            )
        if report.status == "closed":
            raise ConflictError(
                f"data-quality report {report_id} is closed", hint="File a new report."
            )
        now = utcnow()
        if text:
            report.response = text
            report.responder = user.name
            if report.answered is None:
                report.answered = now
            report.status = "answered"
        if close:
            report.status = "closed"
            report.closed = now
            if report.answered is None:
                report.answered = now
                report.responder = user.name
        session.flush()
        record_activity(
            session, "report_answered", report.dataset, actor=user.name, report=report.id,
            status=report.status,
        )  # fmt: skip
        return report_dict(report)


def list_reports(
    catalog: Catalog,
    *,
    dataset: str | None = None,
    organization: str | None = None,
    status: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    """Reports newest first, with the ``total`` matching; ``status`` ``open`` lists the
    reports not closed yet (open or answered)."""
    if status is not None and status not in REPORT_STATUSES:
        raise ValidationError(
            f"status {status!r} is not a report status",
            hint=f"Use one of: {', '.join(REPORT_STATUSES)}.",
            key="status",
        )
    if not 1 <= limit <= MAX_PAGE:
        raise ValidationError(f"limit must be between 1 and {MAX_PAGE}", key="limit")
    with catalog.read() as session:
        stmt = select(DataReport).join(Dataset, Dataset.id == DataReport.dataset_id)
        if dataset is not None:
            stmt = stmt.where(DataReport.dataset_id == find_dataset(session, dataset).id)
        if organization is not None:
            stmt = stmt.join(Organization, Organization.id == Dataset.organization_id).where(
                Organization.code == organization.upper()
            )
        if status == "open":
            stmt = stmt.where(DataReport.status != "closed")
        elif status is not None:
            stmt = stmt.where(DataReport.status == status)
        total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        rows = session.scalars(
            stmt.options(selectinload(DataReport.dataset).selectinload(Dataset.organization))
            .order_by(DataReport.created.desc(), DataReport.id.desc())
            .limit(limit)
            .offset(offset)
        )
        return {"total": total, "data": [report_dict(r) for r in rows]}


def get_report(catalog: Catalog, report_id: int) -> dict[str, Any]:
    with catalog.read() as session:
        return report_dict(_find(session, report_id))


def report_response_days(session: Session, organization_id: int) -> list[int]:
    """Whole days from filing to the first answer, for each answered report on the
    organization's datasets."""
    rows = session.execute(
        select(DataReport.created, DataReport.answered)
        .join(Dataset, Dataset.id == DataReport.dataset_id)
        .where(Dataset.organization_id == organization_id, DataReport.answered.is_not(None))
    )
    return [max(0, (answered - created).days) for created, answered in rows if answered]


def open_reports_per_organization(session: Session) -> dict[str, int]:
    """Organization code → its reports not closed yet (open or answered); organizations
    without one are left out."""
    stmt = (
        select(Organization.code, func.count())
        .select_from(DataReport)
        .join(Dataset, Dataset.id == DataReport.dataset_id)
        .join(Organization, Organization.id == Dataset.organization_id)
        .where(DataReport.status != "closed")
        .group_by(Organization.code)
    )
    return {code: int(n) for code, n in session.execute(stmt)}


__all__ = [
    "REPORT_KINDS",
    "REPORT_STATUSES",
    "file_report",
    "get_report",
    "list_reports",
    "open_reports_per_organization",
    "report_response_days",
    "respond",
]
