"""Native API: the one write route — a new version through the publish pipeline."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, File, Form, Request, UploadFile

from kaifang.api.deps import service_of
from kaifang.errors import UnauthorizedError
from kaifang.service.uploads import upload_name

router = APIRouter(prefix="/api", tags=["publishing"])


def bearer_token(request: Request) -> str:
    header = request.headers.get("authorization", "")
    if header[:7].lower() != "bearer " or not header[7:].strip():
        raise UnauthorizedError(
            "this route needs an API token",
            hint="Send 'Authorization: Bearer <token>'; create one with 'kaifang token create'.",
        )
    return header[7:].strip()


@router.post(
    "/datasets/{dataset_id}/resources/{resource_name}/versions",
    summary="Publish a new version of a resource (editor or admin of the organization)",
    status_code=201,
)
def upload_version(
    request: Request,
    dataset_id: str,
    resource_name: str,
    file: UploadFile = File(..., description="The file to publish (CSV, XLSX, ODS, JSON)."),
    allow_personal_data: str | None = Form(
        None, description="Legal basis, when a law makes the data public."
    ),
) -> dict[str, Any]:
    token = bearer_token(request)
    service = service_of(request)
    user = service.authenticate(token)
    name = upload_name(file.filename)
    with tempfile.TemporaryDirectory(prefix="kaifang-upload-") as tmp:
        path = Path(tmp) / name
        with path.open("wb") as out:
            shutil.copyfileobj(file.file, out, length=1024 * 1024)
        return service.publish_upload(
            user, dataset_id, resource_name, path, allow_personal_data=allow_personal_data
        )
