"""What the portal's pages need beyond the API views: the home page's summary, a dataset's
version history with schema changes, an organization's dashboard with its requests, and the
session's user. Each page calls one function here (thin routes)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from kaifang.catalog import accounts
from kaifang.catalog.accounts import find_organization
from kaifang.catalog.categories import CATEGORIES
from kaifang.catalog.datasets import find_dataset, popular, use_counts
from kaifang.catalog.edits import metadata_history
from kaifang.catalog.models import ApiToken, DatasetRequest
from kaifang.catalog.records import RequestRecord, UserRecord
from kaifang.catalog.suggest import suggest
from kaifang.errors import (
    KaifangError,
    NotFoundError,
    UnauthorizedError,
    ValidationError,
)
from kaifang.openness.checks.timeliness import TAIWAN
from kaifang.service import community, editing, views
from kaifang.sources.registry import dashboard_sources

if TYPE_CHECKING:
    from kaifang.service import Service

# The dataset page compares the newest five versions, each pair up to this many rows.
PAGE_DIFF_MAX_ROWS = 1_000_000
OPENNESS_BANDS = ("gold", "silver", "bronze", "none")
MAX_TOKEN_LABEL = 80


def session_user(service: Service, prefix: str | None) -> UserRecord | None:
    """The user whose live (unrevoked) API token has ``prefix``, else None."""
    if not prefix:
        return None
    with service.catalog.read() as session:
        row = session.scalar(select(ApiToken).where(ApiToken.prefix == prefix))
        if row is None or row.revoked is not None:
            return None
        return UserRecord.from_row(row.user)


SEARCH_FACET_VALUES = 20
"""Values each facet of the search page shows (the most common, each counted exactly)."""


def account_tokens(service: Service, user: UserRecord | None) -> list[dict[str, Any]]:
    """The signed-in user's API tokens (prefix, label, created, last used, revoked)."""
    return [t.to_dict() for t in accounts.list_tokens(service.catalog, _signed_in(user))]


def new_token(service: Service, user: UserRecord | None, label: str) -> accounts.NewToken:
    """A new API token for the signed-in user (its secret is shown once, never stored)."""
    label = " ".join(label.split())
    if len(label) > MAX_TOKEN_LABEL:
        raise ValidationError(
            f"the label has {len(label)} characters; at most {MAX_TOKEN_LABEL} are accepted",
            hint="Name the token by where it is used, e.g. 'laptop' or 'nightly import'.",
            key="label",
        )
    return accounts.create_token(service.catalog, _signed_in(user), label=label)


def revoke_own_token(service: Service, user: UserRecord | None, prefix: str) -> None:
    """Revoke one of the signed-in user's own tokens (another user's is not found)."""
    accounts.revoke_token(service.catalog, _signed_in(user), prefix)


def _signed_in(user: UserRecord | None) -> str:
    if user is None:
        raise UnauthorizedError("log in first", hint="Log in with one of your API tokens.")
    name: str = user.name
    return name


def search_page(
    service: Service,
    *,
    q: str | None,
    filters: dict[str, str],
    band: str | None,
    limit: int,
    offset: int,
    sort: str = "relevance",
) -> dict[str, Any]:
    """Results and facet counts (organization, category, tag, format, licence, band, update
    frequency), all computed in the database; the band facet counts before the band filter
    applies. Kept until the catalog changes (:meth:`Service.kept_view`)."""
    key = ("search_page", q, tuple(sorted(filters.items())), band, limit, offset, sort)
    return service.kept_view(
        key,
        lambda: _search_page(
            service, q=q, filters=filters, band=band, limit=limit, offset=offset, sort=sort
        ),
    )


def _search_page(
    service: Service,
    *,
    q: str | None,
    filters: dict[str, str],
    band: str | None,
    limit: int,
    offset: int,
    sort: str,
) -> dict[str, Any]:
    query = views.DatasetSearch.from_params({**filters, "q": q})
    page = service.search_datasets(replace(query, band=band), limit=limit, offset=offset, sort=sort)
    facets = service.top_facets(
        query,
        fields=[
            "organization",
            "groups",
            "tags",
            "res_format",
            "license_id",
            "band",
            "update_frequency",
        ],
        limit=SEARCH_FACET_VALUES,
    )
    # the catalog's counts, what the popularity sort orders by (this process's last minute of
    # requests is added at its next flush)
    uses = use_counts(service.catalog, [d["id"] for d in page.items], {})
    for item in page.items:
        item["uses"] = uses.get(item["id"], 0)
    return {
        "items": page.items,
        "count": page.count,
        # nothing found: near titles and keywords to try instead
        "suggestions": suggest(service.catalog, q) if q and not page.count else [],
        "facets": facets,
        "labels": {
            "organization": views.organization_names(service.catalog, facets["organization"]),
            # a service category's names by language (the facet's value is its code)
            "groups": {c.code: {"zh-TW": c.name, "en": c.name_en} for c in CATEGORIES},
        },
    }


HOME_RANKING = 20
"""Organizations the home page's ranking shows (the whole ranking is its own page)."""


def home_page(
    service: Service, pending: Counter[str], *, now: datetime | None = None
) -> dict[str, Any]:
    """Counts, newest and most used datasets (``pending``: this process's usage counts not
    flushed to the catalog yet), categories and the top of the openness ranking — each a
    query of its own, none reading every dataset."""
    newest = service.search_datasets(limit=6)
    ranking = service.ranking(now=now)["data"]
    return {
        "dataset_count": newest.count,
        "organization_count": len(ranking),
        "row_count": service.cache.get(("rows",), lambda: views.row_count(service.catalog)),
        "newest": newest.items,
        "popular": popular(service.catalog, pending, limit=6),
        "categories": dict(service.categories()),
        "ranking": ranking[:HOME_RANKING],
    }


def _schema_changes(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> dict[str, Any]:
    old = {f["name"]: f.get("type") for f in before}
    new = {f["name"]: f.get("type") for f in after}
    return {
        "added": [n for n in new if n not in old],
        "removed": [n for n in old if n not in new],
        "retyped": [(n, old[n], new[n]) for n in new if n in old and old[n] != new[n]],
    }


def version_history(service: Service, resource: dict[str, Any]) -> list[dict[str, Any]]:
    """The resource's versions, newest first, each with its row-count change, the fields
    added, removed or retyped since the version before (from the versions' manifests), the
    rows added, removed and changed (:mod:`kaifang.diff.history`), its reading problems and
    the schema change its publisher accepted (renames included)."""
    from kaifang.diff.history import history_with_changes

    recorded = {
        v["version"]: v
        for v in history_with_changes(
            service.catalog, service.store, resource["id"], max_rows=PAGE_DIFF_MAX_ROWS, latest=5
        )["versions"]
    }
    storage = service.refs.get(resource["id"]).storage
    history: list[dict[str, Any]] = []
    previous_fields: list[dict[str, Any]] | None = None
    previous_rows: int | None = None
    for version in sorted(resource["versions"], key=lambda v: v["version"]):
        try:
            manifest = service.store.read_manifest(storage, version["version"])
            fields = list((manifest.get("schema") or {}).get("fields") or [])
        except KaifangError:
            fields = []
        changes = _schema_changes(previous_fields, fields) if previous_fields is not None else None
        delta = version["rows"] - previous_rows if previous_rows is not None else None
        extra = recorded.get(version["version"], {})
        history.append(
            {
                **version,
                "row_delta": delta,
                "schema_changes": changes,
                "changes": extra.get("changes"),
                "renamed": (extra.get("schema_change") or {}).get("renamed", []),
                "problem_count": extra.get("problem_count", 0),
            }
        )
        previous_fields, previous_rows = fields, version["rows"]
    return list(reversed(history))


def resource_label(resource: dict[str, Any], dataset: dict[str, Any]) -> str:
    """What a citizen reads for a resource: its name, unless an importer left the table slug
    there; then the dataset's title, followed by the source file when the dataset has several
    resources (e.g. 中選會選舉資料庫 … — elcand.csv)."""
    name = str(resource.get("name") or "")
    if name and name != resource.get("id"):
        return name
    title = str(dataset.get("title") or name)
    if len(dataset.get("resources") or []) <= 1:
        return title
    versions = resource.get("versions") or []
    source = str((versions[-1] if versions else {}).get("source_file") or "")
    return f"{title} — {source.rsplit('/', 1)[-1]}" if source else f"{title} — {name}"


def dataset_page(service: Service, ref: str, *, now: datetime | None = None) -> dict[str, Any]:
    """The dataset with its openness checks and each resource's annotated version history."""
    dataset = service.get_dataset(ref)
    for resource in dataset["resources"]:
        resource["history"] = version_history(service, resource)
        resource["label"] = resource_label(resource, dataset)
        detail = service.get_resource(resource["id"])
        resource["problem_count"] = detail["problem_count"]
        resource["problems"] = detail["problems"]
    dataset["score"] = service.dataset_openness(dataset["id"], now=now)
    pending = service.usage.pending()
    dataset["uses"] = use_counts(service.catalog, [dataset["id"]], pending).get(dataset["id"], 0)
    undocumented = sum(
        1
        for r in dataset["resources"]
        for f in r.get("fields") or []
        if not (f.get("description") or "").strip()
    )
    dataset["fixes"] = {
        f["code"]: f
        for f in editing.fixes(dataset["score"], dataset["id"], columns=max(1, undocumented))
    }
    with service.catalog.read() as session:
        dataset["metadata_edits"] = metadata_history(session, find_dataset(session, dataset["id"]))
    dataset["community"] = community.dataset_community(service, dataset["id"])
    return dataset


def resource_page(service: Service, ref: str) -> dict[str, Any]:
    """The resource with its dataset's title and organization, for the explorer page."""
    resource = service.get_resource(ref)
    dataset = service.get_dataset(resource["dataset_id"])
    resource["dataset_title"] = dataset["title"]
    resource["dataset_title_en"] = dataset.get("title_en") or ""
    own = next((r for r in dataset["resources"] if r["id"] == resource["id"]), resource)
    resource["label"] = resource_label({**own, **resource}, dataset)
    resource["organization"] = dataset["organization"]
    return resource


def _response_days(request: DatasetRequest) -> int | None:
    if request.answered is None:
        return None
    return max(0, (request.answered - request.created).days)


KEPT_ORGANIZATION_DATASETS = 200
"""An organization page's data is kept only for organizations with at most this many datasets
(the national catalog's average is about 50), so that 64 kept pages stay small."""


def organization_page(
    service: Service, code: str, *, now: datetime | None = None
) -> dict[str, Any]:
    """The organization, its datasets, its openness view and its dataset requests. The first
    three are kept until the catalog changes or the day in Taiwan does (scores and what is
    overdue go by that day); the requests, whose ages count whole days from the moment each
    was made, are read for each page."""
    moment = now or datetime.now(UTC)
    day = moment.astimezone(TAIWAN).date()
    view = service.kept_view(
        ("organization_page", code, day),
        lambda: _organization_view(service, code, moment),
        # a large agency's view holds thousands of datasets: built for each page instead
        keep_if=lambda kept: len(kept["org"]["datasets"]) <= KEPT_ORGANIZATION_DATASETS,
    )
    org = view["org"]
    with service.catalog.read() as session:
        organization = find_organization(session, org["code"])
        rows = session.scalars(
            select(DatasetRequest)
            .where(DatasetRequest.organization_id == organization.id)
            .order_by(DatasetRequest.created.desc(), DatasetRequest.id.desc())
        ).all()
        requests = [
            {**RequestRecord.from_row(r, now=moment).to_dict(), "response_days": _response_days(r)}
            for r in rows
        ]
    answered = [r["response_days"] for r in requests if r["response_days"] is not None]
    # reports count in the response times too (community.organization_community)
    together = community.organization_community(service, org["code"], answered)
    return {
        **view,
        "requests": requests,
        "open_requests": [r for r in requests if r["status"] == "open"],
        "median_response_days": together["median_response_days"],
        "community": together,
    }


def _organization_view(service: Service, code: str, moment: datetime) -> dict[str, Any]:
    org = service.organization(code, with_datasets=True)
    openness, scores = service.organization_scores(org["code"], now=moment)
    fixes = editing.organization_fixes(
        service, org["code"], now=moment, datasets=org["datasets"], scores=scores
    )
    return {"org": org, "openness": openness, "fix_first": fixes}


def answer_request(
    service: Service, user: UserRecord | None, request_id: int, *, status: str, response: str
) -> RequestRecord:
    """A member (editor or admin) of the asked organization answers its request."""
    return community.answer_request(service, user, request_id, status=status, response=response)


def dashboard_choices(service: Service, kind: str) -> dict[str, Any]:
    """What the dashboard of source ``kind`` offers in its forms (NotFoundError: no such
    dashboard)."""
    for source in dashboard_sources():
        if source.name == kind and source.dashboard is not None:
            return source.dashboard(service.source_data)
    names = ", ".join(source.name for source in dashboard_sources())
    raise NotFoundError(f"no dashboard {kind!r}", hint=f"Dashboards: {names}.")
