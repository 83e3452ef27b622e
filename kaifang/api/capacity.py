"""Separate capacity for heavy requests, so that cheap ones stay fast while heavy ones run.

Heavy requests (users' SQL, aggregates, analyses, downloads and dumps) pass through here:
at most ``heavy_requests`` run at once; up to ``heavy_queue`` more wait (awaiting, on the
event loop, without holding one of the threads that answer the cheap requests: pages,
metadata, rows pages, static files); past that they get 503 with ``Retry-After``. One
client (its address) may have at most ``heavy_per_client`` heavy requests running or
waiting; more get 429 with ``Retry-After``. Counted per server process: ``kaifang serve
--workers N`` divides these settings between the N processes (kaifang.server.per_process).
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter

from starlette.types import ASGIApp, Receive, Scope, Send

from kaifang.api.errors import native_error
from kaifang.settings import Settings

HEAVY_PATHS = re.compile(
    r"^/api/(sql"
    r"|resources/[^/]+/(aggregate|download\.[a-z]+)"
    r"|analyses/.*"
    r"|(3/)?action/datastore_search_sql"
    r"|v1/dump/.*)$"
)
RETRY_AFTER_SECONDS = 2


def is_heavy(path: str) -> bool:
    return HEAVY_PATHS.match(path) is not None


class CapacityMiddleware:
    def __init__(self, app: ASGIApp, *, settings: Settings) -> None:
        self.app = app
        self.slots = max(1, settings.heavy_requests)
        self.queue = max(0, settings.heavy_queue)
        self.per_client = max(1, settings.heavy_per_client)
        self._semaphore: asyncio.Semaphore | None = None
        self._waiting = 0
        self._by_client: Counter[str] = Counter()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_heavy(str(scope.get("path", ""))):
            await self.app(scope, receive, send)
            return
        if self._semaphore is None:
            self._semaphore = asyncio.Semaphore(self.slots)
        client = scope["client"][0] if scope.get("client") else ""
        if self._by_client[client] >= self.per_client:
            response = native_error(
                429,
                "rate_limited",
                f"this client already has {self.per_client} heavy requests running or waiting",
                hint="Wait for an answer before sending the next query, aggregate or download.",
                details={"retry_after": RETRY_AFTER_SECONDS},
            )
            await response(scope, receive, send)
            return
        if self._semaphore.locked() and self._waiting >= self.queue:
            response = native_error(
                503,
                "busy",
                "the server is answering as many heavy requests as it can hold",
                hint="Retry after a few seconds.",
                details={"retry_after": RETRY_AFTER_SECONDS},
            )
            await response(scope, receive, send)
            return
        self._by_client[client] += 1
        self._waiting += 1
        try:
            await self._semaphore.acquire()
        except BaseException:  # cancelled while waiting (the client went away)
            self._waiting -= 1
            self._release(client)
            raise
        self._waiting -= 1
        try:
            await self.app(scope, receive, send)
        finally:
            self._semaphore.release()
            self._release(client)

    def _release(self, client: str) -> None:
        self._by_client[client] -= 1
        if self._by_client[client] <= 0:
            del self._by_client[client]
