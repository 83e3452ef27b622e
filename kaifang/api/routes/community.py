"""Native API: dataset requests, data-quality reports and showcases.

Reading is open to all. A dataset request may be filed anonymously with a contact e-mail (a few
an hour from one address) or with an API token; reports and showcases need a token. Answers,
closing and reviews belong to the editors of the organization concerned (403 for anyone
else)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import BaseModel, ConfigDict, Field

from kaifang.api.responses import WITH_BODY, native_errors
from kaifang.api.routes.uploads import BEARER, bearer_token
from kaifang.catalog.records import UserRecord
from kaifang.errors import NotFoundError
from kaifang.service import community
from kaifang.service.access import service_of

router = APIRouter(prefix="/api", tags=["community"], responses=native_errors())
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)]
Id = Annotated[str, Path(max_length=20, description="The numeric id.")]
Limit = Annotated[int, Query(ge=1, le=200, description="At most this many, newest first.")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Skip this many.")]
Org = Annotated[str | None, Query(max_length=16, description="Organization code.")]


def number(value: str, what: str) -> int:
    """A path id as a number; an id nothing can have is not found."""
    if not value.isdigit() or not 1 <= int(value) < 2**31:
        raise NotFoundError(f"no {what} {value!r}", key=what)
    return int(value)


def optional_user(request: Request, credentials: HTTPAuthorizationCredentials | None) -> Any:
    """The token's user, or None without a token (a wrong token is still a 401)."""
    if credentials is None or not credentials.credentials.strip():
        return None
    return service_of(request).authenticate(credentials.credentials.strip())


def user_of(request: Request, credentials: HTTPAuthorizationCredentials | None) -> UserRecord:
    return service_of(request).authenticate(bearer_token(credentials))


# -- models --------------------------------------------------------------------------------------


class DatasetRequest(BaseModel):
    id: int
    organization: str
    title: str
    description: str
    requester: str
    status: str = Field(description="open, answered, fulfilled or rejected.")
    response: str | None
    created: str
    answered: str | None
    age_days: int | None = None


class RequestPage(BaseModel):
    total: int
    data: list[DatasetRequest]


class NewRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    organization: str = Field(max_length=16, description="The organization asked.")
    title: str = Field(max_length=300, description="What data is wanted.")
    description: str = Field("", max_length=4000)
    requester: str = Field("", max_length=200, description="A name to show (optional).")
    contact: str = Field(
        "", max_length=200, description="An e-mail for the answer; required without a token."
    )


class RequestAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: Literal["answered", "fulfilled", "rejected"]
    response: str = Field(max_length=4000, description="The answer text.")


class Report(BaseModel):
    id: int
    dataset: str
    dataset_title: str
    organization: str
    kind: str = Field(description="wrong_value, broken_link, outdated or other.")
    resource: str | None
    row: int | None
    column: str | None
    description: str
    status: str = Field(description="open, answered or closed.")
    reporter: str
    response: str | None
    responder: str | None
    created: str | None
    answered: str | None
    closed: str | None


class ReportPage(BaseModel):
    total: int
    data: list[Report]


class NewReport(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["wrong_value", "broken_link", "outdated", "other"]
    description: str = Field("", max_length=4000)
    resource: str = Field("", max_length=100, description="The resource (table) concerned.")
    row: int | None = Field(None, ge=1, le=2**62, description="Row number, from 1.")
    column: str = Field("", max_length=200, description="The column's name.")


class ReportAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    response: str = Field("", max_length=4000, description="The answer text.")
    close: bool = Field(False, description="Close the report with this answer.")


class ShowcaseDataset(BaseModel):
    id: str
    title: str
    organization: str


class Showcase(BaseModel):
    id: int
    title: str
    url: str
    image_url: str | None
    description: str
    kind: str = Field(description="app, map, article or analysis.")
    status: str = Field(description="pending, approved or rejected.")
    submitter: str
    reviewer: str | None
    created: str | None
    reviewed: str | None
    datasets: list[ShowcaseDataset]


class ShowcasePage(BaseModel):
    total: int
    datasets_in_use: int = Field(description="Datasets that an approved showcase uses.")
    data: list[Showcase]


class NewShowcase(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=1, max_length=300)
    url: str = Field(max_length=2000, description="An http(s) address.")
    kind: Literal["app", "map", "article", "analysis"]
    datasets: list[str] = Field(min_length=1, max_length=20, description="Dataset ids used.")
    description: str = Field("", max_length=4000)
    image_url: str = Field("", max_length=2000, description="An http(s) image address.")


class ShowcaseReview(BaseModel):
    model_config = ConfigDict(extra="forbid")
    decision: Literal["approved", "rejected"]


# -- dataset requests ---------------------------------------------------------------------------


@router.get(
    "/requests", summary="Dataset requests, newest first", responses=native_errors(400, 404)
)
def requests(
    request: Request,
    organization: Org = None,
    status: Literal["open", "answered", "fulfilled", "rejected", "closed"] | None = Query(
        None, description="closed: fulfilled or rejected."
    ),
    limit: Limit = 50,
    offset: Offset = 0,
) -> RequestPage:
    page = community.request_list(
        service_of(request), org=organization, status=status, limit=limit, offset=offset
    )
    return RequestPage.model_validate(page)


@router.post(
    "/requests",
    summary="Ask an organization for data (a token, or a contact e-mail; anonymous requests "
    "are limited per address)",
    status_code=201,
    responses=native_errors(400, 401, 403, 404, *WITH_BODY),
)
def create_request(request: Request, body: NewRequest, credentials: Credentials) -> DatasetRequest:
    service = service_of(request)
    created = community.create_request(
        service,
        optional_user(request, credentials),
        body.organization,
        title=body.title,
        description=body.description,
        requester=body.requester,
        contact=body.contact,
        address=request.client.host if request.client else "",
    )
    return DatasetRequest.model_validate(created.to_dict())


@router.get("/requests/{request_id}", summary="One dataset request", responses=native_errors(404))
def get_request(request: Request, request_id: Id) -> DatasetRequest:
    found = community.request_detail(service_of(request), number(request_id, "request"))
    return DatasetRequest.model_validate(found)


@router.post(
    "/requests/{request_id}/answer",
    summary="Answer a request and set its status (editors of the organization asked)",
    responses=native_errors(400, 401, 403, 404, 409, *WITH_BODY),
)
def answer_request(
    request: Request, request_id: Id, body: RequestAnswer, credentials: Credentials
) -> DatasetRequest:
    user = user_of(request, credentials)
    answered = community.answer_request(
        service_of(request), user, number(request_id, "request"), status=body.status,
        response=body.response,
    )  # fmt: skip
    return DatasetRequest.model_validate(answered.to_dict())


# -- data-quality reports ------------------------------------------------------------------------

ReportStatus = Literal["open", "answered", "closed"]


@router.get(
    "/reports",
    summary="Data-quality reports, newest first (status open: not closed yet)",
    responses=native_errors(400, 404),
)
def reports(
    request: Request,
    organization: Org = None,
    status: ReportStatus | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> ReportPage:
    page = community.report_list(
        service_of(request), organization=organization, status=status, limit=limit,
        offset=offset,
    )  # fmt: skip
    return ReportPage.model_validate(page)


@router.get(
    "/datasets/{dataset_id}/reports",
    summary="A dataset's data-quality reports (status open: not closed yet)",
    responses=native_errors(400, 404),
)
def dataset_reports(
    request: Request,
    dataset_id: Annotated[str, Path(max_length=100)],
    status: ReportStatus | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> ReportPage:
    page = community.report_list(
        service_of(request), dataset=dataset_id, status=status, limit=limit, offset=offset
    )
    return ReportPage.model_validate(page)


@router.post(
    "/datasets/{dataset_id}/reports",
    summary="Report a problem with a dataset (signed in)",
    status_code=201,
    responses=native_errors(400, 401, 403, 404, *WITH_BODY),
)
def file_report(
    request: Request,
    dataset_id: Annotated[str, Path(max_length=100)],
    body: NewReport,
    credentials: Credentials,
) -> Report:
    user = user_of(request, credentials)
    filed = community.file_report(
        service_of(request), user, dataset_id, kind=body.kind, description=body.description,
        resource=body.resource, row=body.row, column=body.column,
    )  # fmt: skip
    return Report.model_validate(filed)


@router.get("/reports/{report_id}", summary="One data-quality report", responses=native_errors(404))
def get_report(request: Request, report_id: Id) -> Report:
    return Report.model_validate(
        community.report_detail(service_of(request), number(report_id, "report"))
    )


@router.post(
    "/reports/{report_id}/answer",
    summary="Answer a report, and close it with close=true (editors of the dataset's organization)",
    responses=native_errors(400, 401, 403, 404, 409, *WITH_BODY),
)
def answer_report(
    request: Request, report_id: Id, body: ReportAnswer, credentials: Credentials
) -> Report:
    user = user_of(request, credentials)
    answered = community.answer_report(
        service_of(request), user, number(report_id, "report"), response=body.response,
        close=body.close,
    )  # fmt: skip
    return Report.model_validate(answered)


class ReportClose(BaseModel):
    model_config = ConfigDict(extra="forbid")
    response: str = Field("", max_length=4000, description="A last answer (optional).")


@router.post(
    "/reports/{report_id}/close",
    summary="Close a report (editors of the dataset's organization)",
    responses=native_errors(400, 401, 403, 404, 409, *WITH_BODY),
)
def close_report(
    request: Request, report_id: Id, body: ReportClose, credentials: Credentials
) -> Report:
    user = user_of(request, credentials)
    closed = community.answer_report(
        service_of(request), user, number(report_id, "report"), response=body.response, close=True
    )
    return Report.model_validate(closed)


# -- showcases -----------------------------------------------------------------------------------


@router.get(
    "/showcases",
    summary="Approved showcases, newest first, and how many datasets they use",
    responses=native_errors(400, 404),
)
def showcases(
    request: Request,
    dataset: Annotated[str | None, Query(max_length=100, description="A dataset id.")] = None,
    organization: Org = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> ShowcasePage:
    page = community.showcase_list(
        service_of(request), dataset=dataset, organization=organization, limit=limit,
        offset=offset,
    )  # fmt: skip
    return ShowcasePage.model_validate(page)


@router.get(
    "/showcases/pending",
    summary="Showcases waiting for your review (editors)",
    responses=native_errors(401, 403),
)
def pending_showcases(request: Request, credentials: Credentials) -> ShowcasePage:
    user = user_of(request, credentials)
    pending = community.pending_showcases_for(service_of(request), user)
    return ShowcasePage.model_validate(
        {"total": len(pending), "datasets_in_use": 0, "data": pending}
    )


@router.post(
    "/showcases",
    summary="Submit something built on the data (signed in); shown once an editor approves",
    status_code=201,
    responses=native_errors(400, 401, 403, 404, *WITH_BODY),
)
def submit_showcase(request: Request, body: NewShowcase, credentials: Credentials) -> Showcase:
    user = user_of(request, credentials)
    submitted = community.submit_showcase(
        service_of(request), user, title=body.title, url=body.url, kind=body.kind,
        datasets=body.datasets, description=body.description, image_url=body.image_url,
    )  # fmt: skip
    return Showcase.model_validate(submitted)


@router.get(
    "/showcases/{showcase_id}", summary="One approved showcase", responses=native_errors(404)
)
def get_showcase(request: Request, showcase_id: Id) -> Showcase:
    found = community.showcase_detail(service_of(request), number(showcase_id, "showcase"))
    if found["status"] != "approved":
        raise NotFoundError(f"no showcase {showcase_id!r}", key="showcase")
    return Showcase.model_validate(found)


@router.post(
    "/showcases/{showcase_id}/review",
    summary="Approve or reject a showcase (editors of an organization whose dataset it uses)",
    responses=native_errors(400, 401, 403, 404, 409, *WITH_BODY),
)
def review_showcase(
    request: Request, showcase_id: Id, body: ShowcaseReview, credentials: Credentials
) -> Showcase:
    user = user_of(request, credentials)
    reviewed = community.review_showcase(
        service_of(request), user, number(showcase_id, "showcase"), decision=body.decision
    )
    return Showcase.model_validate(reviewed)
