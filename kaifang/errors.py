"""The exception tree. Findings (reading problems, screening results, openness checks) are
data, not exceptions; these are for failures that stop an operation.

::

    class                         HTTP  what it means
    KaifangError                   400  base of every error raised on purpose (CLI: exit 1)
    ├── ReadError                  400  a file cannot be read as a table (names file, row, column)
    │   ├── NotTabularError        400  the file is not tabular data at all
    │   └── RaggedRowsError        400  over 1 % of rows have more or fewer cells than the header
    ├── ValidationError            400  bad metadata, policy or parameters (names the key)
    ├── NotFoundError              404  no such dataset, resource, version, organization
    ├── UnauthorizedError          401  no or unknown token
    ├── ForbiddenError             403  the token's user may not do this
    ├── ConflictError              409  the thing already exists
    ├── PublishRefusedError        422  the privacy gate refuses the publish
    ├── SchemaChangeError          409  a new version's columns differ, not accepted
    ├── QueryError                 400  SQL refused by the query guard
    │   ├── QueryLimitError        400  a time, row or memory limit stopped the query
    │   └── FilterValueError       400  a filter's value is not of its column's type
    ├── StoredDataError            500  published data the catalog lists cannot be read
    ├── RateLimitedError           429  too many requests from one address
    ├── SpillError                 500  a query could not spill to the server's disk
    ├── EngineUnavailableError     503  a scale-out part (Spark, Java) is missing or unreachable
    ├── HarvestError               502  a harvest source failed or answered something unusable
    └── BusyError                  503  the server's capacity for heavy work is full

Every error carries a ``message`` (what failed and where) and an optional ``hint`` (the next
step). ``code`` is a stable slug for the JSON error envelope.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar


class KaifangError(Exception):
    """Base of every error kaifang raises on purpose."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "error"

    def __init__(self, message: str, *, hint: str | None = None, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.details = {k: v for k, v in details.items() if v is not None}

    def __str__(self) -> str:
        return f"{self.message}\nHint: {self.hint}" if self.hint else self.message

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.hint:
            out["hint"] = self.hint
        if self.details:
            out["details"] = self.details
        return out


class ReadError(KaifangError):
    """A file cannot be read as a table."""

    code = "read_error"

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        row: int | None = None,
        column: str | None = None,
        hint: str | None = None,
    ) -> None:
        where = ", ".join(
            part
            for part in (
                f"file {Path(file).name}" if file is not None else "",
                f"row {row}" if row is not None else "",
                f"column {column!r}" if column is not None else "",
            )
            if part
        )
        super().__init__(
            f"{where}: {message}" if where else message,
            hint=hint,
            file=Path(file).name if file is not None else None,  # no server paths in bodies
            row=row,
            column=column,
        )
        self.file = file
        self.row = row
        self.column = column


class NotTabularError(ReadError):
    """The file is not tabular data (an image, a PDF, an empty file...)."""

    code = "not_tabular"


class RaggedRowsError(ReadError):
    """Too many rows have more or fewer cells than the header to publish without consent."""

    code = "ragged_rows"


class ValidationError(KaifangError):
    """Metadata, a policy file or request parameters are invalid."""

    code = "validation_error"


class NotFoundError(KaifangError):
    status = 404
    code = "not_found"


class UnauthorizedError(KaifangError):
    status = 401
    code = "unauthorized"


class ForbiddenError(KaifangError):
    status = 403
    code = "forbidden"


class ConflictError(KaifangError):
    status = 409
    code = "conflict"


class PublishRefusedError(KaifangError):
    """The privacy gate refuses to publish; ``details['columns']`` lists each column's fix."""

    status = 422
    code = "publish_refused"


class SchemaChangeError(KaifangError):
    """A new version's columns differ from the current version's and the publisher did not
    accept the change; ``details['schema_change']`` lists the difference."""

    status = 409
    code = "schema_changed"


class QueryError(KaifangError):
    """SQL that the query guard refuses."""

    code = "query_refused"


class QueryLimitError(QueryError):
    """A query stopped by the time, row or memory limit."""

    code = "query_limit"


class FilterValueError(QueryError):
    """A filter's value cannot be read as its column's type (``start_hour=abc``). Carries
    the message in zh-TW and English (``translations``): the HTTP layer answers in the
    request's language."""

    code = "bad_filter_value"

    def __init__(
        self, *, column: str, value: str, expected: str, translations: dict[str, tuple[str, str]]
    ) -> None:
        message, hint = translations["en"]
        super().__init__(message, hint=hint, column=column, value=value, expected=expected)
        self.translations = translations


class StoredDataError(KaifangError):
    """Published data the catalog lists cannot be read (files missing or damaged): the
    server's fault, not the request's, so a 500 on every surface."""

    status = 500
    code = "stored_data_error"


class RateLimitedError(KaifangError):
    status = 429
    code = "rate_limited"


class EngineUnavailableError(KaifangError):
    """A configured scale-out part (Spark, Java) is missing or cannot be reached."""

    status = 503
    code = "engine_unavailable"


class BusyError(KaifangError):
    """Every worker for heavy requests stayed busy: retry after ``details['retry_after']``
    seconds (sent as ``Retry-After``)."""

    status = 503
    code = "busy"


class SpillError(KaifangError):
    """A query outgrew memory and its spill folder (``<data_dir>/tmp/query``) could not be
    written: the server's fault, not the data's nor the query's."""

    status = 500
    code = "spill_error"


class HarvestError(KaifangError):
    """A harvest source failed after its retries or answered something unusable."""

    status = 502
    code = "harvest_error"
