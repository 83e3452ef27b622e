"""HTTP for harvesting: every request counted, network errors and 5xx/429 answers retried
with exponential backoff, bodies size-limited, downloads streamed to disk and resumed with
``Range`` after a broken connection."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import httpx

from kaifang.errors import HarvestError

USER_AGENT = "kaifang-harvest"
RETRIED_STATUSES = frozenset({429, 500, 502, 503, 504})


class Fetcher:
    """One source's HTTP client. ``requests`` counts every request made, retries included."""

    def __init__(
        self,
        *,
        timeout: float = 30.0,
        retries: int = 3,
        backoff: float = 0.5,
        max_bytes: int = 64 * 1024 * 1024,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.client = httpx.Client(
            timeout=timeout,
            follow_redirects=True,
            headers={"User-Agent": USER_AGENT},
            transport=transport,
        )
        self.retries, self.backoff, self.max_bytes, self.sleep = retries, backoff, max_bytes, sleep
        self.requests = 0

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _send(self, method: str, url: str, **options: Any) -> httpx.Response:
        delay = self.backoff
        for attempt in range(self.retries + 1):
            self.requests += 1
            try:
                response = self.client.request(method, url, **options)
            except httpx.TransportError as exc:
                if attempt == self.retries:
                    raise HarvestError(
                        f"{url}: {type(exc).__name__} after {attempt + 1} tries",
                        hint="Check that the source is reachable; the next run tries again.",
                    ) from exc
            else:
                if response.status_code not in RETRIED_STATUSES or attempt == self.retries:
                    return response
            self.sleep(delay)
            delay *= 2
        raise AssertionError("unreachable")  # pragma: no cover

    def get_bytes(self, url: str, params: Mapping[str, Any] | None = None) -> bytes:
        response = self._send("GET", url, params=dict(params or {}))
        if response.status_code >= 400:
            raise HarvestError(
                f"{url}: HTTP {response.status_code}",
                hint="The source answered with an error; see its status or the URL.",
            )
        body = response.content
        if len(body) > self.max_bytes:
            raise HarvestError(f"{url}: answer larger than {self.max_bytes} bytes")
        return body

    def get_json(self, url: str, params: Mapping[str, Any] | None = None) -> Any:
        body = self.get_bytes(url, params)
        try:
            return httpx.Response(200, content=body).json()
        except ValueError as exc:
            raise HarvestError(f"{url}: the answer is not JSON") from exc

    def alive(self, url: str) -> bool:
        """Whether ``url`` answers a HEAD (or, where HEAD is refused, a GET) below 400."""
        try:
            response = self._send("HEAD", url)
            if response.status_code in (405, 501):
                response = self._send("GET", url, headers={"Range": "bytes=0-0"})
        except HarvestError:
            return False
        return response.status_code < 400

    def download(self, url: str, dest: Path, *, max_bytes: int) -> Path:
        """Stream ``url`` into ``dest``; a broken transfer resumes where it stopped (when the
        server honours ``Range``). Larger than ``max_bytes`` is refused and removed."""
        delay = self.backoff
        for attempt in range(self.retries + 1):
            have = dest.stat().st_size if dest.exists() else 0
            headers = {"Range": f"bytes={have}-"} if have else {}
            self.requests += 1
            try:
                with self.client.stream("GET", url, headers=headers) as response:
                    if response.status_code in RETRIED_STATUSES and attempt < self.retries:
                        raise httpx.TransportError(f"HTTP {response.status_code}")
                    if response.status_code >= 400:
                        raise HarvestError(f"{url}: HTTP {response.status_code}")
                    mode = "ab" if response.status_code == 206 else "wb"
                    written = have if mode == "ab" else 0
                    with dest.open(mode) as out:
                        for chunk in response.iter_bytes():
                            written += len(chunk)
                            if written > max_bytes:
                                out.close()
                                dest.unlink(missing_ok=True)
                                raise HarvestError(
                                    f"{url}: larger than the {max_bytes}-byte download limit",
                                    hint="Raise harvest_max_download_bytes if it is expected.",
                                )
                            out.write(chunk)
                return dest
            except httpx.TransportError as exc:
                if attempt == self.retries:
                    raise HarvestError(f"{url}: {exc} after {attempt + 1} tries") from exc
                self.sleep(delay)
                delay *= 2
        raise AssertionError("unreachable")  # pragma: no cover
