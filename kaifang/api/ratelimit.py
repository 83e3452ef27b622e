"""Per-address rate limiting for anonymous clients (a token bucket per address).

Requests that carry a valid API token (``Authorization: Bearer <token>``, or the bare token
or ``X-CKAN-API-Key`` as CKAN clients send it; checked with the ``trusted`` callable) are not
limited; a made-up token does not escape the limit. Each server process
keeps its own buckets: behind several workers the effective limit is per worker, so a
reverse proxy should also limit (docs/deploy.md).
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from starlette.types import ASGIApp, Receive, Scope, Send

from kaifang.api.errors import native_error

MAX_TRACKED_ADDRESSES = 100_000


class RateLimiter:
    def __init__(self, per_minute: int) -> None:
        self.capacity = float(per_minute)
        self.refill_per_second = per_minute / 60.0
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, address: str, now: float | None = None) -> float:
        """Take one token; 0.0 when allowed, else seconds until one is available."""
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.pop(address, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.refill_per_second)
            if tokens >= 1.0:
                self._buckets[address] = (tokens - 1.0, now)
                wait = 0.0
            else:
                self._buckets[address] = (tokens, now)
                wait = (1.0 - tokens) / self.refill_per_second
            while len(self._buckets) > MAX_TRACKED_ADDRESSES:
                self._buckets.popitem(last=False)
            return wait


class RateLimitMiddleware:
    """Applies :class:`RateLimiter` to requests under ``/api``."""

    def __init__(
        self, app: ASGIApp, per_minute: int, trusted: Callable[[str], bool] | None = None
    ) -> None:
        self.app = app
        self.limiter = RateLimiter(per_minute) if per_minute > 0 else None
        self.trusted = trusted

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.limiter is None or scope["type"] != "http" or not self._limited(scope):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        address = client[0] if client else "unknown"
        wait = self.limiter.take(address)
        if wait > 0:
            retry = max(1, math.ceil(wait))
            response = native_error(
                429,
                "rate_limited",
                f"too many requests from {address}; retry in {retry} s",
                hint="Use bulk downloads for whole tables, or ask for an API token.",
                details={"retry_after": retry},
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _limited(self, scope: Scope) -> bool:
        path: str = scope.get("path", "")
        if not path.startswith("/api"):
            return False
        headers = dict(scope.get("headers") or [])
        auth = headers.get(b"authorization", b"").decode("latin-1").strip()
        # ``Bearer <token>``, or the bare token and X-CKAN-API-Key as CKAN clients send it
        token = auth[7:].strip() if auth[:7].lower() == "bearer " else auth
        token = token or headers.get(b"x-ckan-api-key", b"").decode("latin-1").strip()
        if self.trusted is not None and token:
            return not self.trusted(token)
        return True
