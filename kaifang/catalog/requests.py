"""Dataset requests: the public asks an organization for data, the organization answers.

A request is ``open`` until answered; an answer sets its status to ``answered`` (a reply
without data yet), ``fulfilled`` (published: name the dataset in the response) or
``rejected`` (say why). An ``answered`` request may be answered again (with the data, or a
refusal); ``fulfilled`` and ``rejected`` close it (listed together as ``closed``). Open
requests count in the organization's openness view, oldest first with their age in days.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kaifang.catalog.accounts import find_organization
from kaifang.catalog.db import Catalog
from kaifang.catalog.models import REQUEST_STATUSES, DatasetRequest, utcnow
from kaifang.catalog.records import RequestRecord
from kaifang.errors import ConflictError, NotFoundError, ValidationError

ANSWERS = tuple(s for s in REQUEST_STATUSES if s != "open")
CLOSED = ("fulfilled", "rejected")
FILTERS = (*REQUEST_STATUSES, "closed")
MAX_PAGE = 200


def create_request(
    catalog: Catalog,
    org: str,
    *,
    title: str,
    description: str = "",
    requester: str = "",
    contact: str = "",
    at: datetime | None = None,
) -> RequestRecord:
    """Open a request that organization ``org`` publish some data; ``contact`` is an e-mail
    to answer to (required of anonymous requesters by the API and the portal)."""
    if not title.strip():
        raise ValidationError(
            "a dataset request needs a title",
            hint="Say what data is wanted, e.g. 「學校營養午餐菜單」.",
            key="title",
        )
    with catalog.write() as session:
        request = DatasetRequest(
            organization=find_organization(session, org),
            title=title.strip(),
            description=description.strip(),
            requester=requester.strip()[:200],
            contact=contact.strip()[:200],
            status="open",
            response="",
            created=at.astimezone(UTC).replace(tzinfo=None) if at is not None else utcnow(),
        )
        session.add(request)
        session.flush()
        return RequestRecord.from_row(request)


def _find_request(session: Session, request_id: int) -> DatasetRequest:
    request = session.get(DatasetRequest, request_id)
    if request is None:
        raise NotFoundError(
            f"dataset request {request_id} does not exist",
            hint="List an organization's open requests with open_requests(catalog, ORG).",
            key="request",
        )
    return request


def answer_request(
    catalog: Catalog, request_id: int, *, status: str, response: str
) -> RequestRecord:
    """Answer an open request: ``status`` is one of answered, fulfilled, rejected."""
    if status not in ANSWERS:
        raise ValidationError(
            f"status {status!r} is not an answer",
            hint=f"Use one of: {', '.join(ANSWERS)}.",
            key="status",
        )
    if not response.strip():
        raise ValidationError(
            "an answer needs a response",
            hint="Say what was published (fulfilled), when it will be (answered) or why not "
            "(rejected).",
            key="response",
        )
    with catalog.write() as session:
        request = _find_request(session, request_id)
        if request.status not in ("open", "answered"):
            raise ConflictError(
                f"dataset request {request_id} was already answered ({request.status})",
                hint="Open a new request to ask again.",
            )
        request.status = status
        request.response = response.strip()
        request.answered = utcnow()
        session.flush()
        return RequestRecord.from_row(request)


def response_days(session: Session, organization_id: int) -> list[int]:
    """Whole days from asking to the answer, for each answered request to the organization."""
    rows = session.execute(
        select(DatasetRequest.created, DatasetRequest.answered).where(
            DatasetRequest.organization_id == organization_id,
            DatasetRequest.answered.is_not(None),
        )
    )
    return [max(0, (answered - created).days) for created, answered in rows if answered]


def open_requests_of(session: Session, organization_id: int) -> list[DatasetRequest]:
    return list(
        session.scalars(
            select(DatasetRequest)
            .where(
                DatasetRequest.organization_id == organization_id,
                DatasetRequest.status == "open",
            )
            .order_by(DatasetRequest.created, DatasetRequest.id)
        )
    )


def open_requests(catalog: Catalog, org: str, *, now: datetime) -> list[RequestRecord]:
    """The organization's open requests, oldest first, each with ``age_days`` at ``now``."""
    with catalog.read() as session:
        organization = find_organization(session, org)
        return [
            RequestRecord.from_row(r, now=now) for r in open_requests_of(session, organization.id)
        ]


def list_requests(
    catalog: Catalog,
    *,
    org: str | None = None,
    status: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[int, list[RequestRecord]]:
    """Requests newest first, and how many match; ``status`` ``closed`` is fulfilled or
    rejected."""
    if status is not None and status not in FILTERS:
        raise ValidationError(
            f"status {status!r} is not a request status",
            hint=f"Use one of: {', '.join(FILTERS)}.",
            key="status",
        )
    if not 1 <= limit <= MAX_PAGE:
        raise ValidationError(f"limit must be between 1 and {MAX_PAGE}", key="limit")
    with catalog.read() as session:
        stmt = select(DatasetRequest)
        if org is not None:
            stmt = stmt.where(DatasetRequest.organization_id == find_organization(session, org).id)
        if status == "closed":
            stmt = stmt.where(DatasetRequest.status.in_(CLOSED))
        elif status is not None:
            stmt = stmt.where(DatasetRequest.status == status)
        total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        rows = session.scalars(
            stmt.order_by(DatasetRequest.created.desc(), DatasetRequest.id.desc())
            .limit(limit)
            .offset(offset)
        )
        return total, [RequestRecord.from_row(r) for r in rows]


def get_request(catalog: Catalog, request_id: int) -> RequestRecord:
    with catalog.read() as session:
        return RequestRecord.from_row(_find_request(session, request_id))
