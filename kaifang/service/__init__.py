"""The service layer: one object that the HTTP API and the web pages call.

It composes the catalog (metadata, accounts), the version store (files) and the safe query
engine (rows). Routes stay thin: each calls one method here. The native API's methods answer
typed objects (:mod:`kaifang.service.models`); the compatibility layers and the pages still
reshape the plain dicts of ``get_dataset`` and friends.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable, Hashable, Mapping
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from kaifang import scoring
from kaifang.catalog import accounts
from kaifang.catalog import editing as record_editing
from kaifang.catalog.activity import list_activity
from kaifang.catalog.categories import CATEGORY_CODES
from kaifang.catalog.datasets import add_downloads, find_dataset, list_datasets
from kaifang.catalog.db import open_catalog
from kaifang.catalog.editing import ResourceSpec
from kaifang.catalog.finder import Sort
from kaifang.catalog.metadata import DatasetMetadata
from kaifang.catalog.models import WRITE_ROLES
from kaifang.catalog.records import UserRecord
from kaifang.errors import ForbiddenError, NotFoundError, UnauthorizedError
from kaifang.jsonable import dumps, jsonable
from kaifang.notify import subscriptions
from kaifang.privacy.legal_basis import LegalBasis
from kaifang.query import QueryEngine, QueryResult
from kaifang.query.engines import check_sql_settings, open_sql_engine
from kaifang.query.keyset import cursor_key
from kaifang.query.resolver import catalog_resolver
from kaifang.service import community, data, exports, models, uploads, views
from kaifang.service.catalog_cache import CatalogCache
from kaifang.service.data import DatastorePage, Export, ResourceRef
from kaifang.service.refs import ResourceRefs
from kaifang.service.runner import QueryRunner
from kaifang.service.uploads import UploadArea, clean_leftovers
from kaifang.service.usage import UsageCounter
from kaifang.service.views import EVERYTHING, DatasetSearch, Page
from kaifang.settings import Settings
from kaifang.sources.elections.analyses import ElectionAnalyses
from kaifang.sources.freeway.analyses import FreewayAnalyses
from kaifang.sources.source import SourceData
from kaifang.sources.theft.analyses import TheftAnalyses
from kaifang.storage import VersionStore

TOKEN_CACHE_SECONDS = 60.0
TAIWAN = timezone(timedelta(hours=8))
T = TypeVar("T")
KEPT_ANSWERS = 64
KEPT_ANSWER_BYTES = 1024 * 1024
KEPT_BYTES = 8 * 1024 * 1024
"""API answers kept encoded until the catalog changes (dataset lists, resources, CKAN, the
national spec, DCAT pages, organizations, the ranking): per kind the 64 most recently asked,
each up to 1 MB (a page of 20 datasets is about 3 KB, a DCAT page of 100 about 380 KB, the
ranking of 2,000 organizations about 560 KB) and 8 MB in all, whatever clients ask: nine
kinds, at most 72 MB a server process."""


def _encoded(answer: BaseModel | bytes) -> bytes:
    """A model as FastAPI encodes it (by alias); JSON already built as it is."""
    return answer if isinstance(answer, bytes) else answer.model_dump_json(by_alias=True).encode()


class Service:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        check_sql_settings(settings)  # before anything is opened that a refusal would leak
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.catalog = open_catalog(settings)
        self.store = VersionStore(settings)
        clean_leftovers(settings, self.store)  # what a crash left: uploads, staging, temp
        # aggregates, analyses and searches run at a lower OS priority than pages
        self.engine = QueryEngine.for_storage(settings, background_threads=settings.heavy_requests)
        self.sql_engine = open_sql_engine(settings, self.engine)  # users' SQL: DuckDB or Spark
        self.resolver = catalog_resolver(self.catalog, self.store)
        # DuckDB (in the server or its SQL workers) may read serving copies of large
        # versions; Spark reads Parquet
        self.sql_resolver = (
            catalog_resolver(self.catalog, self.store, serving=self.engine.serving)
            if settings.engine != "spark"
            else self.resolver
        )
        # aggregates, datastore searches and analyses run in the SQL worker processes, like
        # users' SQL: inside the OS memory and time limits, and off the server process's
        # GIL and cores, which then answers pages, metadata and static files (issue 17)
        heavy = self.sql_engine if settings.engine != "spark" else self.engine
        # what the sources' analyses and dashboards read (kaifang.sources.source)
        self.source_data = SourceData(heavy, self.sql_resolver, self.catalog, self.store)
        self.freeway = FreewayAnalyses(self.source_data)
        self.elections = ElectionAnalyses(self.source_data)
        self.theft = TheftAnalyses(self.source_data)
        self.runner = QueryRunner(
            self.engine,
            self.resolver,
            self.store,
            workers=self.sql_engine if settings.engine != "spark" else None,
        )
        # rows pages on an engine of their own with fewer threads (query_page_threads): a
        # second thread per page cost more CPU than it saved once many clients ask at once
        self.page_engine = QueryEngine.for_storage(
            settings.replace(query_threads=settings.query_page_threads),
            serving=self.engine.serving,
        )
        self.pages = QueryRunner(self.page_engine, self.resolver, self.store)
        self.refs = ResourceRefs(self.catalog)
        self.cache = CatalogCache(self.catalog)  # facet counts and the ranking, per stamp
        self._answers: dict[Hashable, CatalogCache] = {}  # encoded answers, per kind
        self._views: dict[Hashable, CatalogCache] = {}  # portal pages' data, per kind
        self._answers_lock = threading.Lock()
        self.uploads = UploadArea(settings)  # files editors upload in the portal, until published
        # row and download requests per resource, added to the catalog's popularity sort
        self.usage = UsageCounter(
            settings.data_dir, sink=lambda counts: add_downloads(self.catalog, counts)
        )
        self._tokens: dict[str, tuple[bool, float]] = {}
        self._tokens_lock = threading.Lock()
        self.started = datetime.now(UTC)

    def start(self) -> None:
        """What a server does as it starts: the SQL workers, so that the first queries do
        not wait for them (under load, starting one took seconds)."""
        self.sql_engine.start()

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
        sort: Sort = "relevance",
        limit: int = 20,
        offset: int = 0,
    ) -> Page:
        """One page of the catalog's search (kaifang.catalog.finder) and the exact count; a
        boolean ``query.query``, ``query.exact`` filters and an explicit ``sort`` are what
        CKAN's package_search asks."""
        return views.search_page(self.catalog, query, sort=sort, limit=limit, offset=offset)

    def facets(
        self, query: DatasetSearch = EVERYTHING, *, fields: list[str]
    ) -> dict[str, dict[str, int]]:
        """Facet counts over every match (kept until the catalog changes)."""
        key = ("facets", query, tuple(fields), None)
        kept = self.cache.get(key, lambda: views.facet_counts(self.catalog, fields, query))
        return {name: dict(counts) for name, counts in kept.items()}  # the caller's own copy

    def top_facets(
        self, query: DatasetSearch = EVERYTHING, *, fields: list[str], limit: int
    ) -> dict[str, dict[str, int]]:
        """:meth:`facets` with the ``limit`` most common values of each facet."""
        key = ("facets", query, tuple(fields), limit)
        kept = self.cache.get(
            key, lambda: views.facet_counts(self.catalog, fields, query, limit=limit)
        )
        return {name: dict(counts) for name, counts in kept.items()}

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
        limit: int | None = None,
        offset: int = 0,
    ) -> list[str]:
        """National identifiers of the matching datasets, sorted, paged in the database."""
        since = modified_since
        if since is not None and since.tzinfo is not None:
            since = since.astimezone(UTC).replace(tzinfo=None)
        return views.identifiers(
            self.catalog,
            DatasetSearch(category=category, tag=tag, modified_since=since),
            limit=limit,
            offset=offset,
        )

    def categories(self) -> list[tuple[str, int]]:
        return sorted(self.facets(fields=["groups"])["groups"].items())

    def tags(self) -> list[str]:
        return sorted(self.facets(fields=["tags"])["tags"])

    def created_at(self) -> datetime:
        return views.first_created(self.catalog) or self.started

    def organizations(self) -> list[dict[str, Any]]:
        return views.organizations(self.catalog)

    def organization(
        self, code: str, *, with_datasets: bool = False, limit: int = 100, offset: int = 0
    ) -> dict[str, Any]:
        """The organization with its dataset count and, ``with_datasets``, one page of its
        datasets (newest first), paged in the database."""
        org = views.organization(self.catalog, code)
        if with_datasets:
            page = views.search_page(
                self.catalog, DatasetSearch(org=org["code"]), limit=limit, offset=offset
            )
            org["datasets"] = page.items
        return org

    def datapackage(self, ref: str, *, base_url: str) -> dict[str, Any]:
        """The dataset's Data Package, its links under ``base_url`` (the request's
        :func:`kaifang.service.access.link_base`)."""
        return exports.datapackage(self.get_dataset(ref), base_url=base_url)

    def dcat_catalog(self, *, page: int, base_url: str) -> dict[str, Any]:
        """One page of the DCAT-AP catalog: the datasets as listings read them (a DCAT node
        shows no versions, screening or scores)."""
        found = list_datasets(
            self.catalog, limit=exports.PAGE_SIZE, offset=(page - 1) * exports.PAGE_SIZE
        )
        return exports.dcat_catalog(
            [d.to_dict() for d in found.data],
            page=page,
            base_url=base_url,
            total=found.count,
            publisher=self.settings.catalog_publisher,
        )

    def themes(self, *, base_url: str, code: str | None = None) -> dict[str, Any]:
        """The service categories' concept scheme (or one concept, checked) as JSON-LD."""
        if code is not None and code not in CATEGORY_CODES:
            raise NotFoundError(
                f"no service category {code!r}",
                hint="The 18 codes: " + ", ".join(CATEGORY_CODES) + ".",
            )
        return exports.themes(base_url, code)

    # -- typed answers of the native API ------------------------------------------------------
    def dataset_page(
        self,
        query: DatasetSearch = EVERYTHING,
        *,
        sort: str = "relevance",
        limit: int = 20,
        offset: int = 0,
    ) -> bytes:
        """One page of the dataset list as ``/api/datasets`` sends it: a
        :class:`models.DatasetPage` (its fields in the order the records give them),
        encoded by orjson. Validating the page's model and encoding it took 0.84 ms for 20
        datasets against orjson's 0.05 ms (in process, 100,000-dataset catalog);
        tests/service/test_service.py checks the page still is the model."""
        page = self.search_datasets(query, sort=sort, limit=limit, offset=offset)
        return dumps({"data": page.items, "count": page.count, "limit": limit, "offset": offset})

    def catalog_json(self, key: Hashable, build: Callable[[], BaseModel | bytes]) -> bytes:
        """``build()``'s model encoded as the API sends it (or its body as built), kept until
        the catalog changes (:class:`CatalogCache`; answers up to :data:`KEPT_ANSWER_BYTES`).
        ``key`` starts with the kind of answer; kinds are kept apart, so that one cannot push
        out another."""
        return self._kept_answers(key).get(
            key,
            lambda: _encoded(build()),
            keep_if=lambda body: len(body) <= KEPT_ANSWER_BYTES,
        )

    def kept_view(
        self, key: Hashable, build: Callable[[], T], *, keep_if: Callable[[T], bool] | None = None
    ) -> T:
        """``build()``, a page's data (not encoded: the portal renders it per request, in the
        visitor's language and session), kept until the catalog changes, the 64 most recently
        asked per kind (``key[0]``), those ``keep_if`` accepts (the data is not weighed: the
        caller bounds its size). Callers must not change what they get: it is shared."""
        kind = key[0] if isinstance(key, tuple) else key
        with self._answers_lock:
            cache = self._views.get(kind)
            if cache is None:
                cache = self._views[kind] = CatalogCache(self.catalog, limit=KEPT_ANSWERS)
        return cache.get(key, build, keep_if=keep_if)

    def kept_catalog_json(self, key: Hashable) -> bytes | None:
        """The kept answer of :meth:`catalog_json` if it is current and saying so is cheap
        (SQLite), else None; asks no database server, so an event loop may call it."""
        kept: bytes | None = self._kept_answers(key).peek(key)
        return kept

    def _kept_answers(self, key: Hashable) -> CatalogCache:
        kind = key[0] if isinstance(key, tuple) else key
        with self._answers_lock:
            cache = self._answers.get(kind)
            if cache is None:
                cache = CatalogCache(self.catalog, limit=KEPT_ANSWERS, max_bytes=KEPT_BYTES)
                self._answers[kind] = cache
            return cache

    def dataset(self, ref: str) -> models.DatasetDetail:
        return models.DatasetDetail.model_validate(self.get_dataset(ref))

    def resource(self, ref: str) -> models.Resource:
        return models.Resource.model_validate(self.get_resource(ref))

    def organization_list(self) -> models.OrganizationList:
        orgs = self.organizations()
        return models.OrganizationList.model_validate({"data": orgs, "count": len(orgs)})

    def organization_detail(self, code: str, *, limit: int = 100, offset: int = 0) -> bytes:
        """The organization and a page of its datasets as ``/api/organizations/{code}``
        sends them: a :class:`models.OrganizationDetail`, encoded by orjson without building
        the model (see :meth:`dataset_page`)."""
        return dumps(self.organization(code, with_datasets=True, limit=limit, offset=offset))

    def data_package(self, ref: str, *, base_url: str) -> models.DataPackage:
        return models.DataPackage.model_validate(self.datapackage(ref, base_url=base_url))

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
        score = scoring.dataset_openness(self.catalog, self.store, ref, now=moment).to_dict()
        score["showcases"] = community.dataset_showcases(self, score["dataset"])
        return score

    def dataset_scores(
        self, refs: list[str], *, now: datetime | None = None
    ) -> dict[str, dict[str, Any]]:
        """:meth:`dataset_openness` of many datasets (ids), read together."""
        moment = now or datetime.now(UTC)
        found = scoring.dataset_scores(self.catalog, self.store, refs, now=moment)
        return {ref: score.to_dict() for ref, score in found.items()}

    def organization_openness(self, code: str, *, now: datetime | None = None) -> dict[str, Any]:
        """The organization's view at ``now``, with the datasets people use and how it answers
        (:func:`kaifang.service.community.with_use`)."""
        return self.organization_scores(code, now=now)[0]

    def organization_scores(
        self, code: str, *, now: datetime | None = None
    ) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
        """:meth:`organization_openness` and the failed checks of each of its datasets (by
        id, ``{"checks": [...]}`` as in :meth:`dataset_openness`; what an edit could win back,
        :func:`kaifang.service.editing.organization_fixes`): one scoring for both. Only the
        failed ones: a large agency's datasets pass thousands of checks nobody reads here."""
        moment = now or datetime.now(UTC)
        found = scoring.organization_openness(self.catalog, self.store, code, now=moment)
        view = community.with_use(self, found.to_dict())
        failed = {
            d.dataset: {"checks": [c.to_dict() for c in d.checks if not c.passed]}
            for d in found.datasets
        }
        return view, failed

    def ranking(self, *, by: str = "mean", now: datetime | None = None) -> dict[str, Any]:
        """``{data, count}``: organizations ordered ``by`` mean score or 金 count, each with
        its rank by mean and by 金."""
        moment = now or datetime.now(UTC)
        # kept per day in Taiwan while the catalog is unchanged (overdue counts go by the day)
        day = moment.astimezone(TAIWAN).date() if now is None else moment
        kept = self.cache.get(
            ("ranking", by, day),
            lambda: scoring.openness_ranking(self.catalog, self.store, now=moment, by=by),
        )
        rows = community.ranking_with_use(self, [dict(row) for row in kept])
        return {"data": rows, "count": len(rows)}

    def ranking_csv(self, *, by: str = "mean", now: datetime | None = None) -> str:
        """The ranking as CSV: UTF-8 with BOM, CRLF, formula-like cells escaped."""
        moment = now or datetime.now(UTC)
        return scoring.openness_ranking_csv(self.catalog, self.store, now=moment, by=by)

    # -- rows ---------------------------------------------------------------------------------
    def rows(self, ref: str, params: Mapping[str, str]) -> dict[str, Any]:
        """``{rows, next, total, total_exact, version}``: a page of the resource's rows
        (``params``: the rows endpoint's filters, sort, fields and paging)."""
        return self._rows(ref, params).to_dict()

    def rows_json(self, ref: str, params: Mapping[str, str]) -> bytes:
        """:meth:`rows` as the JSON the API answers."""
        return self._rows(ref, params).to_json()

    def _rows(self, ref: str, params: Mapping[str, str]) -> data.RowsAnswer:
        return data.rows_page(self.pages, self._ref(ref), params, cursor_key=self._cursor_key)

    @functools.cached_property
    def _cursor_key(self) -> bytes:
        """The key ``next`` tokens are sealed with (read once: it never changes)."""
        return cursor_key(self.settings)

    def aggregate(self, ref: str, params: Mapping[str, str]) -> dict[str, Any]:
        return data.aggregate(self.runner, self._ref(ref), params)

    def datastore(self, ref: str, **options: Any) -> DatastorePage:
        return data.datastore(self.runner, self._ref(ref), **options)

    def sql_tables(self, *, limit: int = 100, offset: int = 0) -> dict[str, Any]:
        """The published tables and their columns, for SQL users."""
        return views.sql_tables(self.catalog, limit=limit, offset=offset)

    def sql(self, sql: str) -> QueryResult:
        return data.run_sql(self.sql_engine, self.sql_resolver, sql)

    def merge_records(
        self, ref: str, records: Path, out: Path, *, method: str, key: list[str]
    ) -> None:
        """``out``: resource ``ref``'s current rows merged with ``records`` (a JSON array)
        by ``method`` (``data.merge_records``), to be published as its next version."""
        data.merge_records(self.store, self._ref(ref), records, out, method=method, key=key)

    def sql_typed(self, sql: str) -> tuple[QueryResult, list[str | None]]:
        """:meth:`sql` and the Python type name of each column's values."""
        return data.run_sql_typed(self.sql_engine, self.sql_resolver, sql)

    def export(
        self,
        ref: str,
        fmt: str,
        *,
        version: int | None = None,
        bom: bool = False,
        head: bool = False,
        params: Mapping[str, str] | None = None,
    ) -> Export:
        """A download; ``head``: its names only, after the same checks (for ``HEAD``);
        ``params``: the rows endpoint's filters and sort, for the rows the explorer shows."""
        resource = self._ref(ref)
        title = self.get_resource(resource.id)["dataset_title"]
        return data.export(
            self.store,
            resource,
            fmt,
            version=version,
            bom=bom,
            title=title,
            head=head,
            params=params,
        )

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
        dataset_id: str | None = None,
        policy: Path | None = None,
        legal_basis: Mapping[str, Any] | None = None,
        allow_ragged: bool = False,
        allow_schema_change: bool = False,
        metadata: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Publish ``path`` to ``org`` in ``user``'s name, once ``user`` may: every upload,
        from the API or the portal, publishes here (``publish_file``'s options).
        ``legal_basis`` holds a form's basis fields (``kaifang.privacy.legal_basis.
        FORM_FIELDS``): a listed basis any editor may choose, or a citation of another law
        by an admin, with the exact columns it covers; ``user`` is recorded as approver."""
        from kaifang.publish import publish_file

        self.check_writer(user, org)
        basis = self.legal_basis_for(user, org, legal_basis or {})
        result = publish_file(
            self.settings,
            path,
            org=org,
            title=title,
            dataset=dataset,
            resource=resource,
            dataset_id=dataset_id,
            policy=policy,
            allow_personal_data=basis,
            publisher=user.name,
            allow_ragged=allow_ragged,
            allow_schema_change=allow_schema_change,
            metadata=metadata,
        )
        return result.to_dict()

    def legal_basis_for(
        self, user: UserRecord, org: str, form: Mapping[str, Any]
    ) -> LegalBasis | None:
        """The structured basis ``user`` chose in ``form`` for ``org`` (None: none), approved
        by ``user``; a citation of an unlisted law only from an admin of ``org``."""
        from kaifang.privacy.legal_basis import basis_from_form

        may_cite = user.role_in(org) == "admin"
        return basis_from_form(form, may_cite=may_cite, approved_by=user.name)

    def publish_upload(
        self,
        user: UserRecord,
        dataset_ref: str,
        resource_name: str,
        path: Path,
        *,
        legal_basis: Mapping[str, Any] | None = None,
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
            legal_basis=legal_basis,
            allow_ragged=allow_ragged,
            allow_schema_change=allow_schema_change,
        )

    # -- editing records without data (CKAN package_create / update / delete) ---------------
    def _check_dataset_writer(self, user: UserRecord, ref: str) -> str:
        """``ref``'s organization code, once ``user`` may edit it."""
        org = str(views.dataset_org(self.catalog, ref))
        self.check_writer(user, org)
        return org

    def create_dataset_as(
        self,
        user: UserRecord,
        *,
        org: str,
        metadata: DatasetMetadata,
        slug: str | None = None,
        extras: dict[str, Any] | None = None,
        resources: list[ResourceSpec] | None = None,
    ) -> str:
        """A new dataset (metadata and empty resources) by an editor or admin of ``org``."""
        code = views.organization(self.catalog, org)["code"]
        self.check_writer(user, code)
        return record_editing.create_dataset(
            self.catalog,
            org=code,
            metadata=metadata,
            slug=slug,
            extras={**(extras or {}), "creator": user.name},
            resources=resources,
            actor=user.name,
        )

    def update_dataset_as(
        self,
        user: UserRecord,
        ref: str,
        *,
        metadata: DatasetMetadata,
        extras: dict[str, Any] | None = None,
        resources: list[ResourceSpec] | None = None,
        listed: bool | None = None,
    ) -> str:
        """Replace a dataset's metadata (``catalog.editing.update_dataset``), as an editor."""
        self._check_dataset_writer(user, ref)
        return record_editing.update_dataset(
            self.catalog,
            ref,
            metadata=metadata,
            extras=extras,
            resources=resources,
            listed=listed,
            actor=user.name,
        )

    def withdraw_dataset_as(self, user: UserRecord, ref: str) -> str:
        """Withdraw a dataset (out of listings; record and versions kept)."""
        self._check_dataset_writer(user, ref)
        return record_editing.withdraw_dataset(self.catalog, ref, actor=user.name)

    def add_resource_as(self, user: UserRecord, dataset_ref: str, spec: ResourceSpec) -> str:
        """A new, empty resource of a dataset; data comes with its first publish."""
        self._check_dataset_writer(user, dataset_ref)
        return record_editing.add_resource(self.catalog, dataset_ref, spec)

    def rename_resource_as(self, user: UserRecord, ref: str, name: str) -> None:
        self._check_dataset_writer(user, self.get_resource(ref)["dataset_id"])
        record_editing.rename_resource(self.catalog, ref, name)

    def publish_reviewed_upload(
        self, user: UserRecord, upload_id: str, form: dict[str, str]
    ) -> uploads.Reviewed:
        """Publish a portal upload with the policy its editor reviewed: the result, the
        problems naming the column or form field that caused each, or (a legal basis not yet
        confirmed) the confirmation page's content."""
        return uploads.publish_reviewed(self, user, upload_id, form)

    # -- following changes: the activity stream and webhooks ----------------------------------
    def activity(
        self,
        *,
        organization: str | None = None,
        dataset: str | None = None,
        limit: int = 50,
        before: int | None = None,
    ) -> list[dict[str, Any]]:
        """Catalog changes newest first (:mod:`kaifang.catalog.activity`)."""
        with self.catalog.read() as session:
            if organization:
                accounts.find_organization(session, organization)  # 404 for an unknown one
            if dataset:
                find_dataset(session, dataset)
            return list_activity(session, organization=organization, dataset=dataset,
                                 limit=limit, before=before)  # fmt: skip

    def subscribe(self, user: UserRecord, target: str, value: str, url: str) -> dict[str, Any]:
        return subscriptions.subscribe(self.settings, self.catalog, user.name, target, value,
                                       url)  # fmt: skip

    def subscriptions(self, user: UserRecord) -> list[dict[str, Any]]:
        return subscriptions.list_subscriptions(self.catalog, user.name)

    def unsubscribe(self, user: UserRecord, subscription_id: int) -> dict[str, Any]:
        return subscriptions.remove_subscription(self.catalog, user.name, subscription_id)

    def deliveries(self, user: UserRecord, subscription_id: int) -> list[dict[str, Any]]:
        return subscriptions.delivery_log(self.catalog, user.name, subscription_id)


__all__ = ["WRITE_ROLES", "DatasetSearch", "NotFoundError", "Page", "Service", "UserRecord"]
