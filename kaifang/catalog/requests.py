"""Dataset requests: the public asks an organization for data, the organization answers.

A request is ``open`` until answered; an answer sets its status to ``answered`` (a reply
without data yet), ``fulfilled`` (published: name the dataset in the response) or
``rejected`` (say why). Open requests count in the organization's openness view, oldest first
with their age in days.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kaifang.catalog.accounts import find_organization
from kaifang.catalog.db import Catalog
from kaifang.catalog.models import REQUEST_STATUSES, DatasetRequest, utcnow
from kaifang.errors import ConflictError, NotFoundError, ValidationError

ANSWERS = tuple(s for s in REQUEST_STATUSES if s != "open")


def _aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def request_dict(request: DatasetRequest, *, now: datetime | None = None) -> dict[str, Any]:
    created = _aware(request.created)
    assert created is not None  # the column is NOT NULL
    answered = _aware(request.answered)
    out: dict[str, Any] = {
        "id": request.id,
        "organization": request.organization.code,
        "title": request.title,
        "description": request.description,
        "requester": request.requester,
        "status": request.status,
        "response": request.response or None,
        "created": created.isoformat(),
        "answered": answered.isoformat() if answered else None,
    }
    if now is not None and request.status == "open":
        out["age_days"] = max(0, (now - created).days)
    return out


def create_request(
    catalog: Catalog,
    org: str,
    *,
    title: str,
    description: str = "",
    requester: str = "",
    at: datetime | None = None,
) -> dict[str, Any]:
    """Open a request that organization ``org`` publish some data."""
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
            requester=requester.strip(),
            status="open",
            response="",
            created=at.astimezone(UTC).replace(tzinfo=None) if at is not None else utcnow(),
        )
        session.add(request)
        session.flush()
        return request_dict(request)


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
) -> dict[str, Any]:
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
        if request.status != "open":
            raise ConflictError(
                f"dataset request {request_id} was already answered ({request.status})",
                hint="Open a new request to ask again.",
            )
        request.status = status
        request.response = response.strip()
        request.answered = utcnow()
        session.flush()
        return request_dict(request)


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


def open_requests(catalog: Catalog, org: str, *, now: datetime) -> list[dict[str, Any]]:
    """The organization's open requests, oldest first, each with ``age_days`` at ``now``."""
    with catalog.read() as session:
        organization = find_organization(session, org)
        return [request_dict(r, now=now) for r in open_requests_of(session, organization.id)]
