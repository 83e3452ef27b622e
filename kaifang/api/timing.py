"""A ``Server-Timing: app;dur=<ms>`` header on every HTTP response: the time from the moment
the application received the request to the moment it started its answer, in milliseconds.

It tells a client (a browser's developer tools, a load test) how much of the wait it saw was
the server's own work, including a heavy request's queueing for its slot
(kaifang.api.capacity), and how much was outside it: the network, the client's own
scheduling, or the request waiting for the server's event loop before the application saw it.
The figure is a duration only, no names or paths, as the W3C Server Timing spec allows.
"""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["ServerTimingMiddleware"]


class ServerTimingMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def timed(message: Message) -> None:
            if message["type"] == "http.response.start":
                elapsed = (time.perf_counter() - started) * 1000
                header = (b"server-timing", f"app;dur={elapsed:.1f}".encode("ascii"))
                message = {**message, "headers": [*message.get("headers", ()), header]}
            await send(message)

        await self.app(scope, receive, timed)
