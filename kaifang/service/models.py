"""The typed shapes the service hands the native HTTP API: datasets, resources, versions,
organizations, scores, rows and SQL results.

The routes declare them as response models, so ``/openapi.json`` describes each body and
FastAPI checks every answer against it. Fields the catalog may add later are kept
(``extra="allow"``) rather than dropped, so a model never silently hides data.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Shape(BaseModel):
    model_config = ConfigDict(extra="allow")


class OrganizationRef(Shape):
    """An organization as a dataset names it."""

    code: str = Field(description="The organization code, e.g. 379130000E.")
    name: str
    name_en: str


class Organization(OrganizationRef):
    dataset_count: int


class License(Shape):
    id: str = Field(description="SPDX id, or the national licence id.")
    title: str
    url: str | None


class Version(Shape):
    version: int
    rows: int
    created: str | None
    publisher: str
    source_file: str
    source_hash: str
    content_hash: str
    legal_basis: str | None
    rollback_of: int | None


class ResourceSummary(Shape):
    id: str = Field(description="The resource id: its SQL table name.")
    identifier: str = Field(description="The national resource identifier.")
    name: str
    current_version: int | None
    rows: int | None
    modified: str | None
    fields: list[dict[str, Any]]


class Schema(Shape):
    fields: list[dict[str, Any]] = Field(description="Table Schema fields.")


class ResourceInDataset(ResourceSummary):
    schema_: Schema = Field(alias="schema")
    versions: list[Version]
    dataset_id: str
    screening: dict[str, Any]
    legal_basis: str | None


class Resource(Shape):
    id: str
    identifier: str
    name: str
    dataset_id: str
    dataset_identifier: str
    current_version: int | None
    rows: int | None
    schema_: Schema = Field(alias="schema")
    versions: list[Version]
    screening: dict[str, Any]
    created: str
    modified: str


class Openness(Shape):
    """The latest recorded score of a dataset (``None`` before the first score)."""

    score: int
    band: str | None
    stars: int
    recorded_at: str


class Dataset(Shape):
    id: str = Field(description="The dataset id (slug).")
    identifier: str = Field(description="The national dataset identifier.")
    title: str
    description: str
    organization: OrganizationRef
    category: str | None
    keywords: list[str]
    license: License
    created: str | None
    modified: str | None
    resources: list[ResourceSummary]
    openness: Openness | None = Field(description="null until the dataset is scored.")
    personal_data: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Per resource, why it may publish personal data: a legal basis (kind "
        "legal_basis: law, article, note, columns, approved_by) or a recorded exception (kind "
        "public_by_nature or not_about_people: reason, columns, approved_by).",
    )


class DatasetDetail(Dataset):
    resources: list[ResourceInDataset]  # type: ignore[assignment]  # the detailed form


class DatasetPage(Shape):
    data: list[Dataset]
    count: int = Field(description="Every match, ignoring limit and offset.")
    limit: int
    offset: int


class OrganizationDetail(Organization):
    datasets: list[Dataset]


class OrganizationList(Shape):
    data: list[Organization]
    count: int


class DatasetScore(Shape):
    dataset: str
    title: str
    organization: str
    score: int
    max_score: int
    band: dict[str, Any] | None
    stars: dict[str, Any]
    checks: list[dict[str, Any]]


class OrganizationScore(Shape):
    organization: str
    name: str
    mean: float | None
    datasets: int
    distribution: dict[str, int]
    scores: list[dict[str, Any]]


class Ranking(Shape):
    data: list[dict[str, Any]]
    count: int


class RowsPage(Shape):
    rows: list[dict[str, Any]]
    next: str | None = Field(description="Cursor for the next page (pass as _next).")
    total: int = Field(description="Rows matching the filters (all rows of the version without).")
    total_exact: bool = Field(description="True: `total` was counted, not estimated.")
    version: int


class AggregatePage(Shape):
    rows: list[dict[str, Any]]
    truncated: bool = Field(description="True: more groups follow (see next_offset).")
    next_offset: int | None = Field(
        None, description="The _offset of the next page of groups; null on the last page."
    )
    version: int


class SqlResult(Shape):
    columns: list[str]
    rows: list[list[Any]]
    truncated: bool
    elapsed_ms: float


class PublishResult(Shape):
    dataset: str
    dataset_identifier: str
    resource: str
    resource_identifier: str
    version: int
    rows: int
    unchanged: bool
    screening: dict[str, Any]


class DataPackage(Shape):
    name: str
    resources: list[dict[str, Any]]


class FreewayAnswer(Shape):
    """A freeway analysis: rows over the TDCS files of the window."""

    columns: list[str]
    rows: list[dict[str, Any]]
    files_read: int = Field(description="Day files read (0 when a table has none).")
    truncated: bool
    elapsed_ms: float | None = Field(None, description="Absent when no file was read.")


class ElectionResults(Shape):
    dataset: str
    level: str
    rows: list[dict[str, Any]]


class ElectionWinners(Shape):
    dataset: str
    winners: list[dict[str, Any]]


class TheftRows(Shape):
    category: str | None
    rows: list[dict[str, Any]]


class ActivityDataset(Shape):
    id: str
    identifier: str
    title: str


class ActivityOrganization(Shape):
    code: str
    name: str


class Activity(Shape):
    """One catalog change: ``dataset_created``, ``version_published``, ``metadata_edited``,
    ``dataset_withdrawn``, ``dataset_restored``, ``score_changed``, ``dataset_renamed``,
    ``resource_renamed``, or the community's reports and showcases."""

    id: int
    kind: str
    created: str
    actor: str
    dataset: ActivityDataset
    organization: ActivityOrganization
    detail: dict[str, Any] = Field(
        description="What changed: version, rows, row_delta, schema_change; score and band."
    )


class ActivityPage(Shape):
    data: list[Activity]
    next: str | None = Field(description="The next (older) page, or null at the end.")


class NewSubscription(BaseModel):
    target: Literal["dataset", "organization", "search"]
    value: str = Field(
        min_length=1,
        max_length=300,
        description="The dataset id, the organization code or search words.",
    )
    url: str = Field(
        min_length=1,
        max_length=2000,
        description="Where each change is POSTed (a public http(s) address).",
    )


class Subscription(Shape):
    id: int
    target: str
    value: str
    url: str
    created: str | None
    deliveries: dict[str, int] = Field(description="Deliveries per status.")


class CreatedSubscription(Subscription):
    secret: str = Field(description="The signing secret, shown this once.")
    signature_header: str


class SubscriptionList(Shape):
    data: list[Subscription]


class DeliveryLog(Shape):
    data: list[dict[str, Any]]
