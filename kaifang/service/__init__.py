"""The service layer: one object that the HTTP API and the web pages call.

It composes the catalog (metadata, accounts), the version store (files) and the safe query
engine (rows), and returns plain dicts. Routes stay thin: each calls one method here.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kaifang import scoring
from kaifang.catalog import accounts
from kaifang.catalog.db import open_catalog
from kaifang.catalog.resolver import catalog_resolver
from kaifang.errors import ForbiddenError, NotFoundError, UnauthorizedError
from kaifang.query import QueryEngine, QueryResult
from kaifang.query.engines import open_sql_engine
from kaifang.service import data, exports, views
from kaifang.service.analyses import FreewayAnalyses
from kaifang.service.data import DatastorePage, Export, ResourceRef
from kaifang.service.refs import ResourceRefs
from kaifang.service.runner import QueryRunner
from kaifang.service.uploads import clean_leftovers
from kaifang.service.views import Page
from kaifang.settings import Settings
from kaifang.storage import VersionStore

TOKEN_CACHE_SECONDS = 60.0
WRITE_ROLES = {"admin", "editor"}


class Service:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.catalog = open_catalog(settings)
        self.store = VersionStore(settings)
        clean_leftovers(settings, self.store)  # what a crash left: uploads, staging, temp
        self.engine = QueryEngine.for_storage(settings)
        self.sql_engine = open_sql_engine(settings, self.engine)  # users' SQL: DuckDB or Spark
        self.resolver = catalog_resolver(self.catalog, self.store)
        # DuckDB (in the server or its SQL workers) may read serving copies of large
        # versions; Spark reads Parquet
        self.sql_resolver = (
            catalog_resolver(self.catalog, self.store, serving=self.engine.serving)
            if settings.engine != "spark"
            else self.resolver
        )
        self.freeway = FreewayAnalyses(self.engine, self.catalog, self.store)
        self.runner = QueryRunner(self.engine, self.resolver, self.store)
        # rows pages on an engine of their own with fewer threads (query_page_threads): a
        # second thread per page cost more CPU than it saved once many clients ask at once
        self.page_engine = QueryEngine.for_storage(
            settings.replace(query_threads=settings.query_page_threads),
            serving=self.engine.serving,
        )
        self.pages = QueryRunner(self.page_engine, self.resolver, self.store)
        self.refs = ResourceRefs(self.catalog)
        self._tokens: dict[str, tuple[bool, float]] = {}
        self._tokens_lock = threading.Lock()
        self.started = datetime.now(UTC)

    def close(self) -> None:
        if self.sql_engine is not self.engine:
            self.sql_engine.close()
        self.page_engine.close()
        self.engine.close()
        self.catalog.close()

    # -- catalog ------------------------------------------------------------------------------
    def search_datasets(
        self,
        *,
        q: str | None = None,
        org: str | None = None,
        tag: str | None = None,
        license: str | None = None,
        format: str | None = None,
        category: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> Page:
        found = views.search(
            self.catalog, q=q, org=org, tag=tag, license=license, format=format, category=category
        )
        return Page(items=found[offset : offset + limit], count=len(found))

    def facets(
        self, *, q: str | None, fields: list[str], **filters: Any
    ) -> dict[str, dict[str, int]]:
        return views.facet_counts(views.search(self.catalog, q=q, **filters), fields)

    def get_dataset(self, ref: str) -> dict[str, Any]:
        return views.dataset_detail(self.catalog, ref)

    def get_resource(self, ref: str) -> dict[str, Any]:
        return views.resource_detail(self.catalog, ref)[0]

    def _ref(self, ref: str) -> ResourceRef:
        return self.refs.get(ref)

    def dataset_identifiers(
        self,
        *,
        category: str | None = None,
        tag: str | None = None,
        modified_since: datetime | None = None,
    ) -> list[str]:
        found = views.search(self.catalog, category=category, tag=tag)
        if modified_since is not None:
            since = modified_since.replace(tzinfo=None) if modified_since.tzinfo else modified_since
            if modified_since.tzinfo:
                since = modified_since.astimezone(UTC).replace(tzinfo=None)
            found = [d for d in found if datetime.fromisoformat(d["modified"]) >= since]
        return sorted(d["identifier"] for d in found)

    def categories(self) -> list[tuple[str, int]]:
        counts = views.facet_counts(views.search(self.catalog), ["groups"])["groups"]
        return sorted(counts.items())

    def tags(self) -> list[str]:
        counts = views.facet_counts(views.search(self.catalog), ["tags"])["tags"]
        return sorted(counts)

    def created_at(self) -> datetime:
        found = views.search(self.catalog)
        stamps = [datetime.fromisoformat(d["created"]) for d in found if d.get("created")]
        return min(stamps) if stamps else self.started

    def organizations(self) -> list[dict[str, Any]]:
        return views.organizations(self.catalog)

    def organization(self, code: str, *, with_datasets: bool = False) -> dict[str, Any]:
        org = views.organization(self.catalog, code)
        if with_datasets:
            org["datasets"] = views.search(self.catalog, org=org["code"])
        return org

    def datapackage(self, ref: str) -> dict[str, Any]:
        return exports.datapackage(self.get_dataset(ref), base_url=self.settings.base_url)

    def dcat_catalog(self, *, page: int, base_url: str) -> dict[str, Any]:
        found = views.search(self.catalog)
        start = (page - 1) * exports.PAGE_SIZE
        details = [
            views.dataset_detail(self.catalog, d["id"])
            for d in found[start : start + exports.PAGE_SIZE]
        ]
        return exports.dcat_catalog(details, page=page, base_url=base_url, total=len(found))

    # -- openness -----------------------------------------------------------------------------
    def dataset_openness(self, ref: str, *, now: datetime | None = None) -> dict[str, Any]:
        """The dataset's score at ``now`` (default: the current time), every check with its
        reason and fix (``DatasetScore.to_dict()``)."""
        moment = now or datetime.now(UTC)
        return scoring.dataset_openness(self.catalog, self.store, ref, now=moment).to_dict()

    def organization_openness(self, code: str, *, now: datetime | None = None) -> dict[str, Any]:
        moment = now or datetime.now(UTC)
        return scoring.organization_openness(self.catalog, self.store, code, now=moment).to_dict()

    def ranking(self, *, by: str = "mean", now: datetime | None = None) -> dict[str, Any]:
        """``{data, count}``: organizations ordered ``by`` mean score or 金 count, each with
        its rank by mean and by 金."""
        moment = now or datetime.now(UTC)
        rows = scoring.openness_ranking(self.catalog, self.store, now=moment, by=by)
        return {"data": rows, "count": len(rows)}

    def ranking_csv(self, *, by: str = "mean", now: datetime | None = None) -> str:
        """The ranking as CSV: UTF-8 with BOM, CRLF, formula-like cells escaped."""
        moment = now or datetime.now(UTC)
        return scoring.openness_ranking_csv(self.catalog, self.store, now=moment, by=by)

    # -- rows ---------------------------------------------------------------------------------
    def rows(self, ref: str, params: Mapping[str, str]) -> dict[str, Any]:
        return data.rows_page(self.pages, self._ref(ref), params)

    def aggregate(self, ref: str, params: Mapping[str, str]) -> dict[str, Any]:
        return data.aggregate(self.runner, self._ref(ref), params)

    def datastore(self, ref: str, **options: Any) -> DatastorePage:
        return data.datastore(self.runner, self._ref(ref), **options)

    def sql(self, sql: str) -> QueryResult:
        return data.run_sql(self.sql_engine, self.sql_resolver, sql)

    def export(
        self, ref: str, fmt: str, *, version: int | None = None, bom: bool = False
    ) -> Export:
        return data.export(self.store, self._ref(ref), fmt, version=version, bom=bom)

    # -- accounts and writes ------------------------------------------------------------------
    def authenticate(self, token: str) -> dict[str, Any]:
        return accounts.authenticate(self.catalog, token)

    def token_is_valid(self, token: str) -> bool:
        """Whether ``token`` is a live API token (cached for a minute, for rate limiting)."""
        now = time.monotonic()
        with self._tokens_lock:
            cached = self._tokens.get(token)
            if cached is not None and now - cached[1] < TOKEN_CACHE_SECONDS:
                return cached[0]
        try:
            self.authenticate(token)
            valid = True
        except UnauthorizedError:
            valid = False
        with self._tokens_lock:
            if len(self._tokens) > 10_000:
                self._tokens.clear()
            self._tokens[token] = (valid, now)
        return valid

    def publish_upload(
        self,
        user: dict[str, Any],
        dataset_ref: str,
        resource_name: str,
        path: Path,
        *,
        allow_personal_data: str | None = None,
    ) -> dict[str, Any]:
        """A new version of a dataset's resource, by an editor or admin of its organization."""
        from kaifang.publish import publish_file

        dataset = self.get_dataset(dataset_ref)
        org = dataset["organization"]["code"]
        role = user["roles"].get(org)
        if role not in WRITE_ROLES:
            raise ForbiddenError(
                f"user {user['name']!r} may not publish to {org} (role: {role or 'none'})",
                hint=f"An admin of {org} can grant the editor role: "
                f"kaifang user create {user['name']} --org {org} --role editor",
            )
        result = publish_file(
            self.settings,
            path,
            org=org,
            dataset=dataset["id"],
            resource=resource_name,
            allow_personal_data=allow_personal_data,
            publisher=user["name"],
        )
        return result.to_dict()


__all__ = ["NotFoundError", "Page", "Service"]
