"""Failed logins per client address, so that tokens cannot be guessed at speed.

After ``MAX_FAILURES`` failed logins from one address within ``WINDOW_SECONDS``, further
logins from it are refused with 429 and ``Retry-After`` until the oldest failure leaves the
window; a successful login does not reset the count (a guesser holding one valid token must
not earn more guesses). Kept in memory, per server process.
"""

from __future__ import annotations

import threading
import time
from collections import deque

from kaifang.errors import RateLimitedError

MAX_FAILURES = 10
WINDOW_SECONDS = 300.0
MAX_ADDRESSES = 10_000
"""Past this many addresses tracked, the table is cleared (memory stays bounded)."""


class LoginLimiter:
    def __init__(self) -> None:
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def check(self, address: str, *, now: float | None = None) -> None:
        """Raise :class:`RateLimitedError` if ``address`` has used up its failed logins."""
        moment = time.monotonic() if now is None else now
        with self._lock:
            recent = self._recent(address, moment)
            if len(recent) >= MAX_FAILURES:
                wait = max(1, round(recent[0] + WINDOW_SECONDS - moment))
                raise RateLimitedError(
                    f"too many failed logins from this address; try again in {wait} s",
                    hint="Check the token: copy it again from 'kaifang token create'.",
                    retry_after=wait,
                )

    def failed(self, address: str, *, now: float | None = None) -> None:
        moment = time.monotonic() if now is None else now
        with self._lock:
            if len(self._failures) > MAX_ADDRESSES:
                self._failures.clear()
            self._recent(address, moment).append(moment)

    def _recent(self, address: str, moment: float) -> deque[float]:
        recent = self._failures.setdefault(address, deque())
        while recent and recent[0] <= moment - WINDOW_SECONDS:
            recent.popleft()
        return recent
