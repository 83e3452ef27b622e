"""Reading a CKAN portal through its Action API: ``package_list`` for the ids, and
``package_search`` paged (sorted by ``metadata_modified``, filtered with ``fq`` from the last
successful run) for the datasets."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from kaifang.errors import HarvestError
from kaifang.harvest.fetch import Fetcher
from kaifang.harvest.readers import Failure
from kaifang.harvest.remote import RemoteDataset, RemoteDistribution

PAGE = 100


def action_root(url: str) -> str:
    url = url.rstrip("/")
    for tail in ("/api/3/action", "/api/action"):
        if url.endswith(tail):
            return url
    return f"{url}/api/3/action"


class CkanReader:
    def __init__(self, url: str, fetcher: Fetcher) -> None:
        self.root, self.fetcher = action_root(url), fetcher

    def _call(self, action: str, params: dict[str, Any]) -> Any:
        body = self.fetcher.get_json(f"{self.root}/{action}", params)
        if not isinstance(body, dict) or body.get("success") is not True:
            error = body.get("error") if isinstance(body, dict) else None
            raise HarvestError(f"{self.root}/{action}: CKAN answered {error or body!r}")
        return body.get("result")

    def ids(self) -> set[str]:
        # package_search's ids are the names CKAN clients use; package_list returns the same.
        return {str(i) for i in self._call("package_list", {})}

    def changed(self, since: datetime | None) -> Iterator[RemoteDataset | Failure]:
        params: dict[str, Any] = {"rows": PAGE, "start": 0, "sort": "metadata_modified asc"}
        if since is not None:
            stamp = since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            params["fq"] = f"metadata_modified:[{stamp} TO *]"
        try:
            result = self._call("package_search", params)
        except HarvestError:
            if "fq" not in params:
                raise
            # A CKAN-like API without range queries: read everything, fingerprints decide.
            del params["fq"]
            result = self._call("package_search", params)
        while True:
            packages = result.get("results") or []
            for package in packages:
                name = str(package.get("name") or package.get("id") or "")
                try:
                    yield to_remote(package)
                except (KeyError, TypeError, ValueError) as exc:
                    yield Failure(name, f"unreadable package: {exc}")
            params["start"] += PAGE
            if not packages or params["start"] >= int(result.get("count") or 0):
                return
            result = self._call("package_search", params)


def to_remote(package: dict[str, Any]) -> RemoteDataset:
    org = package.get("organization") or {}
    license_title = str(package.get("license_title") or package.get("license_id") or "")
    return RemoteDataset(
        remote_id=str(package["name"]),
        title=str(package.get("title") or package["name"]),
        description=str(package.get("notes") or ""),
        modified=str(package.get("metadata_modified") or ""),
        publisher=str(org.get("title") or org.get("name") or ""),
        license=license_title,
        license_url=str(package.get("license_url") or ""),
        keywords=tuple(str(t.get("name")) for t in package.get("tags") or [] if t.get("name")),
        landing_page=str(package.get("url") or ""),
        contact_name=str(package.get("maintainer") or package.get("author") or ""),
        contact_email=str(package.get("maintainer_email") or package.get("author_email") or ""),
        distributions=tuple(
            RemoteDistribution(
                url=str(r["url"]),
                format=str(r.get("format") or ""),
                title=str(r.get("name") or ""),
                media_type=str(r.get("mimetype") or ""),
            )
            for r in package.get("resources") or []
            if r.get("url")
        ),
    )
