"""The community around the data: dataset requests, data-quality reports and showcases, as the
API, the portal and the CLI use them. Authorization is checked in the catalog functions (the
organization's editors answer, review and close); this module adds who may file what: a signed-in
user, or, for a dataset request only, an anonymous requester who leaves a contact e-mail and is
held to :data:`ANONYMOUS_REQUESTS_PER_HOUR` per address."""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict, deque
from typing import TYPE_CHECKING, Any

from kaifang.catalog import reports, showcases
from kaifang.catalog import requests as dataset_requests
from kaifang.catalog.accounts import find_organization
from kaifang.catalog.datasets import find_dataset
from kaifang.catalog.models import DatasetRequest
from kaifang.catalog.records import RequestRecord, UserRecord
from kaifang.errors import (
    ForbiddenError,
    NotFoundError,
    RateLimitedError,
    UnauthorizedError,
    ValidationError,
)

if TYPE_CHECKING:
    from kaifang.service import Service

ANONYMOUS_REQUESTS_PER_HOUR = 5
EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")
MAX_ADDRESSES = 10_000


class HourlyLimit:
    """At most ``per_hour`` events per address in any hour (kept in memory, per process)."""

    def __init__(self, per_hour: int) -> None:
        self.per_hour = per_hour
        self._events: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, address: str, now: float | None = None) -> bool:
        moment = time.monotonic() if now is None else now
        with self._lock:
            events = self._events.pop(address, deque())
            while events and moment - events[0] >= 3600:
                events.popleft()
            allowed = len(events) < self.per_hour
            if allowed:
                events.append(moment)
            self._events[address] = events
            while len(self._events) > MAX_ADDRESSES:
                self._events.popitem(last=False)
            return allowed


_LIMITS: dict[int, HourlyLimit] = {}
_LIMITS_LOCK = threading.Lock()


def _anonymous_limit(service: Service) -> HourlyLimit:
    with _LIMITS_LOCK:
        return _LIMITS.setdefault(id(service), HourlyLimit(ANONYMOUS_REQUESTS_PER_HOUR))


def signed_in(user: UserRecord | None) -> UserRecord:
    if user is None:
        raise UnauthorizedError(
            "sign in first", hint="Send an API token (Authorization: Bearer TOKEN) or log in."
        )
    return user


# -- dataset requests ------------------------------------------------------------------------


def create_request(
    service: Service,
    user: UserRecord | None,
    org: str,
    *,
    title: str,
    description: str = "",
    requester: str = "",
    contact: str = "",
    address: str = "",
) -> RequestRecord:
    """A signed-in user asks under their name; anyone else leaves a contact e-mail and is
    limited per address."""
    if not title.strip():  # named first: the field a requester fills first
        raise ValidationError(
            "a dataset request needs a title",
            hint="Say what data is wanted, e.g. 「學校營養午餐菜單」.",
            key="title",
        )
    email = contact.strip()
    if email and not EMAIL.match(email):
        raise ValidationError(
            f"{email!r} is not an e-mail address", hint="e.g. name@example.tw", key="contact"
        )
    if user is None:
        if not email:
            raise ValidationError(
                "an anonymous request needs a contact e-mail",
                hint="Leave an e-mail address for the answer, or sign in.",
                key="contact",
            )
        if not _anonymous_limit(service).take(address or "unknown"):
            raise RateLimitedError(
                f"at most {ANONYMOUS_REQUESTS_PER_HOUR} anonymous requests an hour from one "
                "address",
                hint="Try again later, or sign in.",
            )
    return dataset_requests.create_request(
        service.catalog,
        org,
        title=title,
        description=description,
        requester=(user.name if user is not None and not requester.strip() else requester),
        contact=email,
    )


def answer_request(
    service: Service, user: UserRecord | None, request_id: int, *, status: str, response: str
) -> RequestRecord:
    """An editor or admin of the asked organization answers its request."""
    with service.catalog.read() as session:
        row = session.get(DatasetRequest, request_id)
        if row is None:
            raise NotFoundError(f"dataset request {request_id} does not exist", key="request")
        org = row.organization.code
    if not signed_in(user).may_write(org):
        raise ForbiddenError(
            f"only an editor or admin of {org} may answer its requests",
            hint="Sign in (or send an API token) as an editor of that organization.",
        )
    return dataset_requests.answer_request(
        service.catalog, request_id, status=status, response=response
    )


def request_list(
    service: Service,
    *,
    org: str | None = None,
    status: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    total, rows = dataset_requests.list_requests(
        service.catalog, org=org, status=status, limit=limit, offset=offset
    )
    return {"total": total, "data": [r.to_dict() for r in rows]}


def request_detail(service: Service, request_id: int) -> dict[str, Any]:
    return dataset_requests.get_request(service.catalog, request_id).to_dict()


# -- data-quality reports ----------------------------------------------------------------------


def file_report(
    service: Service, user: UserRecord | None, dataset: str, **fields: Any
) -> dict[str, Any]:
    return reports.file_report(service.catalog, signed_in(user), dataset, **fields)


def answer_report(
    service: Service, user: UserRecord | None, report_id: int, *, response: str, close: bool
) -> dict[str, Any]:
    return reports.respond(
        service.catalog, signed_in(user), report_id, response=response, close=close
    )


def report_list(service: Service, **filters: Any) -> dict[str, Any]:
    return reports.list_reports(service.catalog, **filters)


def report_detail(service: Service, report_id: int) -> dict[str, Any]:
    return reports.get_report(service.catalog, report_id)


# -- showcases ---------------------------------------------------------------------------------


def submit_showcase(service: Service, user: UserRecord | None, **fields: Any) -> dict[str, Any]:
    return showcases.submit_showcase(service.catalog, signed_in(user), **fields)


def review_showcase(
    service: Service, user: UserRecord | None, showcase_id: int, *, decision: str
) -> dict[str, Any]:
    return showcases.review_showcase(
        service.catalog, signed_in(user), showcase_id, decision=decision
    )


def showcase_list(service: Service, **filters: Any) -> dict[str, Any]:
    page = showcases.list_showcases(service.catalog, **filters)
    with service.catalog.read() as session:
        page["datasets_in_use"] = showcases.datasets_in_use(session)
    return page


def showcase_detail(service: Service, showcase_id: int) -> dict[str, Any]:
    return showcases.get_showcase(service.catalog, showcase_id)


def pending_showcases_for(service: Service, user: UserRecord | None) -> list[dict[str, Any]]:
    """The pending showcases ``user`` may review."""
    if user is None:
        return []
    pending = showcases.list_showcases(service.catalog, status="pending", limit=200)["data"]
    return [s for s in pending if any(user.may_write(d["organization"]) for d in s["datasets"])]


# -- what the dataset and organization pages show ------------------------------------------------


def dataset_community(service: Service, dataset: str) -> dict[str, Any]:
    """A dataset's reports not closed yet and its approved showcases."""
    return {
        "reports": reports.list_reports(service.catalog, dataset=dataset, status="open")["data"],
        "showcases": showcases.list_showcases(service.catalog, dataset=dataset)["data"],
    }


def organization_community(service: Service, code: str, request_days: list[int]) -> dict[str, Any]:
    """The organization's open reports, its median days to answer (requests and reports
    together) and how many of its datasets an approved showcase uses."""
    with service.catalog.read() as session:
        organization = find_organization(session, code)
        days = sorted([*request_days, *reports.report_response_days(session, organization.id)])
        in_use = showcases.datasets_in_use(session, organization.id)
    open_reports = reports.list_reports(service.catalog, organization=code, status="open")
    return {
        "open_reports": open_reports["data"],
        "median_response_days": days[len(days) // 2] if days else None,
        "datasets_in_use": in_use,
    }


# -- what the openness views add: the datasets people use, and how the organization answers ----


def _median(days: list[int]) -> int | None:
    ordered = sorted(days)
    return ordered[len(ordered) // 2] if ordered else None


def with_use(service: Service, view: dict[str, Any]) -> dict[str, Any]:
    """An organization's openness view (``organization_openness``) with ``showcases`` on each
    of its ``scores`` and a ``community`` summary: approved showcases using its datasets, how
    many of its datasets they use, its reports not closed yet, and the median whole days to a
    first answer (dataset requests and data-quality reports together)."""
    code = view["organization"]
    with service.catalog.read() as session:
        organization = find_organization(session, code)
        per_dataset = showcases.showcases_per_dataset(session, organization.code)
        per_org = showcases.showcases_per_organization(session).get(organization.code, {})
        open_reports = reports.open_reports_per_organization(session).get(organization.code, 0)
        days = [
            *dataset_requests.response_days(session, organization.id),
            *reports.report_response_days(session, organization.id),
        ]
    for row in view["scores"]:
        row["showcases"] = per_dataset.get(row["dataset"], 0)
    view["community"] = {
        "showcases": per_org.get("showcases", 0),
        "datasets_in_use": per_org.get("datasets_in_use", 0),
        "open_reports": open_reports,
        "median_response_days": _median(days),
    }
    return view


def ranking_with_use(service: Service, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The ranking's rows with each organization's ``showcases``, ``datasets_in_use`` and
    ``open_reports`` (see :func:`with_use`)."""
    with service.catalog.read() as session:
        used = showcases.showcases_per_organization(session)
        open_reports = reports.open_reports_per_organization(session)
    for row in rows:
        counts = used.get(row["organization"], {})
        row["showcases"] = counts.get("showcases", 0)
        row["datasets_in_use"] = counts.get("datasets_in_use", 0)
        row["open_reports"] = open_reports.get(row["organization"], 0)
    return rows


def dataset_showcases(service: Service, ref: str) -> int:
    """How many approved showcases use dataset ``ref``."""
    with service.catalog.read() as session:
        dataset = find_dataset(session, ref)
        return showcases.showcases_per_dataset(session, dataset.organization.code).get(
            dataset.slug, 0
        )


def dataset_exists(service: Service, ref: str) -> str:
    with service.catalog.read() as session:
        return find_dataset(session, ref).slug
