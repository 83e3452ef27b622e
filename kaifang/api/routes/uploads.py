"""Native API: the one write route — a new version through the publish pipeline."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from kaifang.api.responses import WITH_BODY, native_errors
from kaifang.errors import UnauthorizedError
from kaifang.service.access import service_of
from kaifang.service.models import PublishResult
from kaifang.service.uploads import upload_name

router = APIRouter(
    prefix="/api",
    tags=["publishing"],
    responses=native_errors(400, 401, 403, 404, 409, *WITH_BODY),
)


# declares the scheme in /openapi.json; the route answers 401 itself, after checking the form
BEARER = HTTPBearer(auto_error=False, description="An API token: kaifang token create USER")


def bearer_token(credentials: HTTPAuthorizationCredentials | None) -> str:
    if credentials is None or not credentials.credentials.strip():
        raise UnauthorizedError(
            "this route needs an API token",
            hint="Send 'Authorization: Bearer <token>'; create one with 'kaifang token create'.",
        )
    return credentials.credentials.strip()


@router.post(
    "/datasets/{dataset_id}/resources/{resource_name}/versions",
    summary="Publish a new version of a resource (editor or admin of the organization)",
    status_code=201,
    response_model=PublishResult,
)
def upload_version(
    request: Request,
    dataset_id: str,
    resource_name: str,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)],
    file: UploadFile = File(..., description="The file to publish (CSV, XLSX, ODS, JSON)."),
    allow_personal_data: str | None = Form(
        None,
        description="A listed legal basis, by its label (kaifang privacy bases), when a law "
        "makes personal data public; needs basis_columns.",
    ),
    basis_law: str | None = Form(
        None, description="Or cite another law (organization admins only): the law's name."
    ),
    basis_article: str | None = Form(None, description="The cited article, e.g. 第47條."),
    basis_note: str | None = Form(None, description="A note on the basis, for reviewers."),
    basis_columns: str | None = Form(
        None, description="The exact columns the basis covers, separated by commas."
    ),
    allow_ragged: bool = Form(
        False, description="Publish even when over 1 % of rows have more or fewer cells."
    ),
    allow_schema_change: bool = Form(
        False, description="Accept columns that differ from the current version's."
    ),
) -> dict[str, Any]:
    token = bearer_token(credentials)
    service = service_of(request)
    user = service.authenticate(token)
    name = upload_name(file.filename)
    with tempfile.TemporaryDirectory(prefix="kaifang-upload-") as tmp:
        path = Path(tmp) / name
        with path.open("wb") as out:
            shutil.copyfileobj(file.file, out, length=1024 * 1024)
        return service.publish_upload(
            user,
            dataset_id,
            resource_name,
            path,
            legal_basis={
                "legal_basis": allow_personal_data,
                "basis_law": basis_law,
                "basis_article": basis_article,
                "basis_note": basis_note,
                "basis_columns": basis_columns,
            },
            allow_ragged=allow_ragged,
            allow_schema_change=allow_schema_change,
        )
