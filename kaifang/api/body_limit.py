"""Refuse request bodies larger than ``upload_max_mb`` with 413, before they are stored.

A declared ``Content-Length`` past the limit is answered at once, unread. A body sent
without one (chunked) is counted as it arrives; the chunk that passes the limit raises a
413 ``HTTPException`` inside the route that reads it (FastAPI passes those through its body
parsing), so neither memory nor the upload's temporary file grows past the limit.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kaifang.api.errors import native_error


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._too_large(scope)(scope, receive, send)
            return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise HTTPException(413, self._message())
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except HTTPException as error:  # raised outside a route: answer it here
            if error.status_code != 413 or started:
                raise
            await self._too_large(scope)(scope, receive, send)

    def _message(self) -> str:
        return f"the request body is larger than {self.max_bytes // 2**20:,} MB"

    def _too_large(self, scope: Scope) -> Response:
        hint = "Split the file, compress it as XLSX, or ask the operator to raise upload_max_mb."
        if str(scope.get("path", "")).startswith("/api/"):
            return native_error(413, "too_large", self._message(), hint=hint)
        return PlainTextResponse(f"{self._message()}. {hint}", status_code=413)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
