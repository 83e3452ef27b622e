"""The service layer: one object that the HTTP API and the web pages call.

It composes the catalog (metadata, accounts), the version store (files) and the safe query
engine (rows). Routes stay thin: each calls one method here. The native API's methods answer
typed objects (:mod:`kaifang.service.models`); the compatibility layers and the pages still
reshape the plain dicts of ``get_dataset`` and friends.
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
from kaifang.catalog.models import WRITE_ROLES
from kaifang.catalog.records import UserRecord
from kaifang.errors import ForbiddenError, NotFoundError, UnauthorizedError
from kaifang.jsonable import jsonable
from kaifang.query import QueryEngine, QueryResult
from kaifang.query.engines import open_sql_engine
from kaifang.query.keyset import cursor_key
from kaifang.query.resolver import catalog_resolver
from kaifang.service import data, exports, models, uploads, views
from kaifang.service.data import DatastorePage, Export, ResourceRef
from kaifang.service.refs import ResourceRefs
from kaifang.service.runner import QueryRunner
from kaifang.service.uploads import PolicyProblem, UploadArea, clean_leftovers
from kaifang.service.usage import UsageCounter
from kaifang.service.views import EVERYTHING, DatasetSearch, Page
from kaifang.settings import Settings
from kaifang.sources.elections.analyses import ElectionAnalyses
from kaifang.sources.freeway.analyses import FreewayAnalyses
from kaifang.sources.source import SourceData
from kaifang.sources.theft.analyses import TheftAnalyses
from kaifang.storage import VersionStore

TOKEN_CACHE_SECONDS = 60.0


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
        # what the sources' analyses and dashboards read (kaifang.sources.source)
        self.source_data = SourceData(self.engine, self.resolver, self.catalog, self.store)
        self.freeway = FreewayAnalyses(self.source_data)
        self.elections = ElectionAnalyses(self.source_data)
        self.theft = TheftAnalyses(self.source_data)
        self.runner = QueryRunner(self.engine, self.resolver, self.store)
        # rows pages on an engine of their own with fewer threads (query_page_threads): a
        # second thread per page cost more CPU than it saved once many clients ask at once
        self.page_engine = QueryEngine.for_storage(
            settings.replace(query_threads=settings.query_page_threads),
            serving=self.engine.serving,
        )
        self.pages = QueryRunner(self.page_engine, self.resolver, self.store)
        self.refs = ResourceRefs(self.catalog)
        self.uploads = UploadArea(settings)  # files editors upload in the portal, until published
        self.usage = UsageCounter(settings.data_dir)  # row and download requests per resource
        self._tokens: dict[str, tuple[bool, float]] = {}
        self._tokens_lock = threading.Lock()
        self.started = datetime.now(UTC)

    def close(self) -> None:
        self.usage.flush()
        if self.sql_engine is not self.engine:
            self.sql_engine.close()
        self.page_engine.close()
        self.engine.close()
        self.catalog.close()

    # -- catalog ------------------------------------------------------------------------------
    def search_datasets(
        self,
        query: DatasetSearch = EVERYTHING,
        *,
        sort: str = "relevance",
        limit: int = 20,
        offset: int = 0,
    ) -> Page:
        """One page of the catalog's search (kaifang.catalog.finder) and the exact count."""
        return views.search_page(self.catalog, query, sort=sort, limit=limit, offset=offset)

    def facets(self, query: DatasetSearch, *, fields: list[str]) -> dict[str, dict[str, int]]:
        return views.facet_counts(self.catalog, fields, query)

    def get_dataset(self, ref: str) -> dict[str, Any]:
        return views.dataset_detail(self.catalog, ref)

    def get_resource(self, ref: str) -> dict[str, Any]:
        return views.resource_detail(self.catalog, ref)[0]

    def diff(
        self, ref: str, from_version: int | None, to_version: int | None, *, show: int = 10
    ) -> dict[str, Any]:
        from kaifang.diff import diff_resource

        return diff_resource(
            self.catalog,
            self.store,
            ref,
            from_version=from_version,
            to_version=to_version,
            show=show,
        )

    def _ref(self, ref: str) -> ResourceRef:
        return self.refs.get(ref)

    def dataset_identifiers(
        self,
        *,
        category: str | None = None,
        tag: str | None = None,
        modified_since: datetime | None = None,
    ) -> list[str]:
        since = modified_since
        if since is not None and since.tzinfo is not None:
            since = since.astimezone(UTC).replace(tzinfo=None)
        return views.identifiers(
            self.catalog, DatasetSearch(category=category, tag=tag, modified_since=since)
        )

    def categories(self) -> list[tuple[str, int]]:
        return sorted(views.facet_counts(self.catalog, ["groups"])["groups"].items())

    def tags(self) -> list[str]:
        return sorted(views.facet_counts(self.catalog, ["tags"])["tags"])

    def created_at(self) -> datetime:
        return views.first_created(self.catalog) or self.started

    def organizations(self) -> list[dict[str, Any]]:
        return views.organizations(self.catalog)

    def organization(self, code: str, *, with_datasets: bool = False) -> dict[str, Any]:
        org = views.organization(self.catalog, code)
        if with_datasets:
            org["datasets"] = views.search(self.catalog, DatasetSearch(org=org["code"]))
        return org

    def datapackage(self, ref: str) -> dict[str, Any]:
        return exports.datapackage(self.get_dataset(ref), base_url=self.settings.base_url)

    def dcat_catalog(self, *, page: int, base_url: str) -> dict[str, Any]:
        found = views.search_page(
            self.catalog, limit=exports.PAGE_SIZE, offset=(page - 1) * exports.PAGE_SIZE
        )
        details = views.dataset_details(self.catalog, [d["id"] for d in found.items])
        return exports.dcat_catalog(details, page=page, base_url=base_url, total=found.count)

    # -- typed answers of the native API ------------------------------------------------------
    def dataset_page(
        self,
        query: DatasetSearch = EVERYTHING,
        *,
        sort: str = "relevance",
        limit: int = 20,
        offset: int = 0,
    ) -> models.DatasetPage:
        page = self.search_datasets(query, sort=sort, limit=limit, offset=offset)
        return models.DatasetPage.model_validate(
            {"data": page.items, "count": page.count, "limit": limit, "offset": offset}
        )

    def dataset(self, ref: str) -> models.DatasetDetail:
        return models.DatasetDetail.model_validate(self.get_dataset(ref))

    def resource(self, ref: str) -> models.Resource:
        return models.Resource.model_validate(self.get_resource(ref))

    def organization_list(self) -> models.OrganizationList:
        orgs = self.organizations()
        return models.OrganizationList.model_validate({"data": orgs, "count": len(orgs)})

    def organization_detail(self, code: str) -> models.OrganizationDetail:
        return models.OrganizationDetail.model_validate(self.organization(code, with_datasets=True))

    def data_package(self, ref: str) -> models.DataPackage:
        return models.DataPackage.model_validate(self.datapackage(ref))

    def dataset_score(self, ref: str) -> models.DatasetScore:
        return models.DatasetScore.model_validate(self.dataset_openness(ref))

    def organization_score(self, code: str) -> models.OrganizationScore:
        return models.OrganizationScore.model_validate(self.organization_openness(code))

    def ranking_table(self, *, by: str = "mean") -> models.Ranking:
        return models.Ranking.model_validate(self.ranking(by=by))

    def sql_result(self, sql: str) -> models.SqlResult:
        result = self.sql(sql)
        return models.SqlResult(
            columns=result.columns,
            rows=[[jsonable(value) for value in row] for row in result.rows],
            truncated=result.truncated,
            elapsed_ms=round(result.elapsed_ms, 2),
        )

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
        return data.rows_page(
            self.pages, self._ref(ref), params, cursor_key=cursor_key(self.settings)
        )

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
    def authenticate(self, token: str) -> UserRecord:
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

    def publishable_orgs(self, user: UserRecord) -> list[str]:
        """The codes of the organizations ``user`` may publish to."""
        return sorted(code for code in user.roles if user.may_write(code))

    def check_writer(self, user: UserRecord, org: str) -> None:
        """Refuse ``user`` unless an editor or admin of ``org``."""
        if not user.may_write(org):
            raise ForbiddenError(
                f"user {user.name!r} may not publish to {org} "
                f"(role: {user.role_in(org) or 'none'})",
                hint=f"An admin of {org} can grant the editor role: "
                f"kaifang user create {user.name} --org {org} --role editor",
            )

    def publish_as(
        self,
        user: UserRecord,
        path: Path,
        *,
        org: str,
        dataset: str | None = None,
        resource: str | None = None,
        title: str | None = None,
        policy: Path | None = None,
        allow_personal_data: str | None = None,
        allow_ragged: bool = False,
        allow_schema_change: bool = False,
    ) -> dict[str, Any]:
        """Publish ``path`` to ``org`` in ``user``'s name, once ``user`` may: every upload,
        from the API or the portal, publishes here (``publish_file``'s options). A legal basis
        must be a listed law any editor may use, or a citation of another law by an admin."""
        from kaifang.privacy.legal_basis import parse_legal_basis
        from kaifang.publish import publish_file

        self.check_writer(user, org)
        if allow_personal_data and allow_personal_data.strip():
            parse_legal_basis(allow_personal_data, may_cite=user.role_in(org) == "admin")
        result = publish_file(
            self.settings,
            path,
            org=org,
            title=title,
            dataset=dataset,
            resource=resource,
            policy=policy,
            allow_personal_data=allow_personal_data,
            publisher=user.name,
            allow_ragged=allow_ragged,
            allow_schema_change=allow_schema_change,
        )
        return result.to_dict()

    def publish_upload(
        self,
        user: UserRecord,
        dataset_ref: str,
        resource_name: str,
        path: Path,
        *,
        allow_personal_data: str | None = None,
        allow_ragged: bool = False,
        allow_schema_change: bool = False,
    ) -> dict[str, Any]:
        """A new version of a dataset's resource, by an editor or admin of its organization."""
        dataset = self.get_dataset(dataset_ref)
        return self.publish_as(
            user,
            path,
            org=dataset["organization"]["code"],
            dataset=dataset["id"],
            resource=resource_name,
            allow_personal_data=allow_personal_data,
            allow_ragged=allow_ragged,
            allow_schema_change=allow_schema_change,
        )

    def publish_reviewed_upload(
        self, user: UserRecord, upload_id: str, form: dict[str, str]
    ) -> tuple[dict[str, Any] | None, list[PolicyProblem]]:
        """Publish a portal upload with the policy its editor reviewed: ``(result, [])``, or
        ``(None, problems)`` naming the column or form field that caused each."""
        return uploads.publish_reviewed(self, user, upload_id, form)


__all__ = ["WRITE_ROLES", "DatasetSearch", "NotFoundError", "Page", "Service", "UserRecord"]
