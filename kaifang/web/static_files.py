"""The portal's static files served from memory, before routing and without a thread.

Starlette's ``StaticFiles`` looks each file up, stats, opens, reads and closes it on the
server's thread pool: five trips between the event loop and a thread for a 10 KB stylesheet,
each of which waits for a core when heavy queries keep the machine busy (a load test's static
file waited as long as its rows page). The portal's files ship with the package and do not
change while the server runs, so :class:`PackagedFiles` reads them once, with the headers
``StaticFiles`` would send (type, length, ``ETag``, ``Last-Modified``), and answers a ``GET``
or ``HEAD`` of one of them from memory (304 when the browser's copy is current). Anything
else under the prefix (another method, a range, a name it does not hold) goes on to the
``StaticFiles`` mount, which answers as before.
"""

from __future__ import annotations

import os
from email.utils import parsedate
from pathlib import Path

from starlette.datastructures import Headers
from starlette.responses import FileResponse
from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["PackagedFiles"]

Kept = tuple[list[tuple[bytes, bytes]], bytes, bytes, bytes]
"""(headers, body, etag, last-modified)."""


class PackagedFiles:
    def __init__(self, app: ASGIApp, *, directory: Path, prefix: str) -> None:
        self.app = app
        self.files: dict[str, Kept] = {}
        for path in sorted(directory.iterdir()):
            if path.is_file():
                headers = FileResponse(path, stat_result=os.stat(path)).headers
                self.files[f"{prefix.rstrip('/')}/{path.name}"] = (
                    headers.raw,
                    path.read_bytes(),
                    headers["etag"].encode("latin-1"),
                    headers["last-modified"].encode("latin-1"),
                )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kept = self.files.get(scope["path"]) if scope["type"] == "http" else None
        method = scope.get("method")
        if kept is None or method not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        request = Headers(scope=scope)
        if "range" in request:
            await self.app(scope, receive, send)
            return
        headers, body, etag, modified = kept
        if _not_modified(request, etag, modified):
            start = {"type": "http.response.start", "status": 304, "headers": [(b"etag", etag)]}
            await send(start)
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": 200, "headers": list(headers)})
        await send({"type": "http.response.body", "body": body if method == "GET" else b""})


def _not_modified(request: Headers, etag: bytes, modified: bytes) -> bool:
    """As ``StaticFiles.is_not_modified`` decides: by ``If-None-Match`` when sent, else by
    ``If-Modified-Since``."""
    if if_none_match := request.get("if-none-match"):
        if if_none_match.strip() == "*":
            return True
        tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
        return etag.decode("latin-1") in tags
    since = parsedate(request.get("if-modified-since", ""))
    last = parsedate(modified.decode("latin-1"))
    return since is not None and last is not None and since >= last
