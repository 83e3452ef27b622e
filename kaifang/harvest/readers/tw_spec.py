"""Reading another portal through Taiwan's national cross-platform spec (``/api/v1``): the
dataset id list (``/rest/dataset``, incremental with ``modified``), then each dataset's
metadata (``/rest/dataset/{id}``) with its distributions."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from kaifang.errors import HarvestError
from kaifang.harvest.fetch import Fetcher
from kaifang.harvest.readers import Failure
from kaifang.harvest.remote import RemoteDataset, RemoteDistribution

PAGE = 1000
FREQUENCIES = {
    "即時": "realtime", "每小時": "hourly", "每日": "daily", "每週": "weekly",
    "每月": "monthly", "每季": "quarterly", "每年": "yearly", "不定期": "irregular",
}  # fmt: skip


def api_root(url: str) -> str:
    """The spec's root from whatever the user gave: the portal, or its ``/api/v1``."""
    url = url.rstrip("/")
    return url if url.endswith("/api/v1") else f"{url}/api/v1"


class TwSpecReader:
    def __init__(self, url: str, fetcher: Fetcher) -> None:
        self.root, self.fetcher = api_root(url), fetcher

    def _result(self, path: str, params: dict[str, Any] | None = None) -> Any:
        body = self.fetcher.get_json(f"{self.root}{path}", params)
        if not isinstance(body, dict) or body.get("success") is not True:
            error = body.get("error") if isinstance(body, dict) else None
            raise HarvestError(f"{self.root}{path}: the spec API answered {error or body!r}")
        return body.get("result")

    def _list(self, since: datetime | None) -> list[str]:
        out: list[str] = []
        params: dict[str, Any] = {"limit": PAGE, "offset": 0}
        if since is not None:
            params["modified"] = since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        while True:
            page = self._result("/rest/dataset", params)
            if not isinstance(page, list):
                raise HarvestError(f"{self.root}/rest/dataset: expected a list of ids")
            out.extend(str(i) for i in page)
            if len(page) < PAGE:
                return out
            params["offset"] += PAGE

    def ids(self) -> set[str]:
        return set(self._list(None))

    def changed(self, since: datetime | None) -> Iterator[RemoteDataset | Failure]:
        for remote_id in self._list(since):
            try:
                yield to_remote(remote_id, self._result(f"/rest/dataset/{remote_id}"))
            except (HarvestError, KeyError, TypeError, ValueError) as exc:
                yield Failure(remote_id, str(exc).splitlines()[0])


def to_remote(remote_id: str, meta: dict[str, Any]) -> RemoteDataset:
    distributions = tuple(
        RemoteDistribution(
            url=str(d.get("downloadURL") or ""),
            format=str(d.get("format") or ""),
            title=str(d.get("resourceDescription") or ""),
        )
        for d in meta.get("distribution") or []
        if d.get("downloadURL")
    )
    keywords = meta.get("keyword") or []
    return RemoteDataset(
        remote_id=remote_id,
        title=str(meta["title"]),
        description=str(meta.get("description") or ""),
        modified=str(meta.get("modified") or ""),
        publisher=str(meta.get("publisher") or meta.get("organization") or ""),
        license=str(meta.get("license") or ""),
        license_url=str(meta.get("licenseURL") or ""),
        keywords=tuple(str(k) for k in (keywords if isinstance(keywords, list) else [keywords])),
        category=str(meta.get("categoryCode") or ""),
        update_frequency=FREQUENCIES.get(str(meta.get("accrualPeriodicity") or ""), ""),
        landing_page=str(meta.get("landingPage") or ""),
        contact_name=str(meta.get("organizationContactName") or ""),
        contact_email=str(meta.get("organizationContactEmail") or ""),
        distributions=distributions,
    )
