"""SQLAlchemy 2 models of the catalog. Schema changes go through Alembic migrations in
:mod:`kaifang.catalog.migrations`; a test checks the two agree."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

ROLES = ("admin", "editor", "member")
WRITE_ROLES = ("admin", "editor")
"""The roles that may publish to their organization and answer its dataset requests."""
REQUEST_STATUSES = ("open", "answered", "fulfilled", "rejected")
REPORT_KINDS = ("wrong_value", "broken_link", "outdated", "other")
REPORT_STATUSES = ("open", "answered", "closed")
SHOWCASE_KINDS = ("app", "map", "article", "analysis")
SHOWCASE_STATUSES = ("pending", "approved", "rejected")

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Organization(Base):
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    datasets: Mapped[list[Dataset]] = relationship(back_populates="organization")


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    email: Mapped[str] = mapped_column(String(200), default="")
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(back_populates="user")


class Membership(Base):
    """A user's role in one organization."""

    __tablename__ = "memberships"
    __table_args__ = (CheckConstraint("role IN ('admin', 'editor', 'member')", name="role"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))

    user: Mapped[User] = relationship(back_populates="memberships")
    organization: Mapped[Organization] = relationship()


class ApiToken(Base):
    """An API token; only ``sha256(token)`` is kept. ``prefix`` finds the row."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(100), default="")
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_used: Mapped[datetime | None] = mapped_column(DateTime)
    revoked: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship()


class License(Base):
    __tablename__ = "licenses"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(300), default="")
    is_open: Mapped[bool] = mapped_column(default=True)


dataset_tags = Table(
    "dataset_tags",
    Base.metadata,
    Column("dataset_id", ForeignKey("datasets.id"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id"), primary_key=True),
)


class Tag(Base):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)


class Dataset(Base):
    __tablename__ = "datasets"
    __table_args__ = (
        UniqueConstraint("organization_id", "serial"),
        Index("ix_datasets_popularity", "downloads", "modified"),  # the popularity sort
        # Only the few withdrawn rows: an index of every row's NULL made SQLite pick it for
        # "not withdrawn" and sort the whole catalog, instead of walking the sort's index.
        # (The migration makes it partial on PostgreSQL too; a postgresql_where here would
        # import that dialect into every SQLite command.)
        Index("ix_datasets_withdrawn", "withdrawn", sqlite_where=text("withdrawn IS NOT NULL")),
        # The listed datasets, newest first: a listing's page walks this index alone instead
        # of reading every row it skips to check ``withdrawn`` (partial on PostgreSQL too).
        Index("ix_datasets_listed", "modified", "id", sqlite_where=text("withdrawn IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(63), unique=True)
    identifier: Mapped[str] = mapped_column(String(32), unique=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    serial: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(3), default="", index=True)
    license_id: Mapped[str] = mapped_column(ForeignKey("licenses.id"), index=True)
    license_url: Mapped[str] = mapped_column(String(300), default="")
    cost: Mapped[str] = mapped_column(String(100), default="free")
    update_frequency: Mapped[str] = mapped_column(String(20), default="", index=True)
    temporal_from: Mapped[date | None] = mapped_column(Date)
    temporal_to: Mapped[date | None] = mapped_column(Date)
    spatial: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(20), default="zh-TW")
    contact_name: Mapped[str] = mapped_column(String(100), default="")
    contact_email: Mapped[str] = mapped_column(String(200), default="")
    contact_phone: Mapped[str] = mapped_column(String(50), default="")
    extras: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Index tokens of the searched texts (see kaifang.catalog.search), full-text indexed
    # by the engine (migration 0004).
    search_title: Mapped[str] = mapped_column(Text, default="")
    search_keywords: Mapped[str] = mapped_column(Text, default="")
    search_columns: Mapped[str] = mapped_column(Text, default="")
    search_organization: Mapped[str] = mapped_column(Text, default="")
    search_description: Mapped[str] = mapped_column(Text, default="")
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    modified: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    # The latest recorded openness score (kaifang.scoring.records writes it with each score
    # record), the day after which the dataset is overdue, when it was last scored, the
    # dataset standing for its split group (null: counted alone), and its resources' row and
    # download requests (kaifang.service.usage): what listings filter, facet and sort on
    # (migration 0005).
    score: Mapped[int | None] = mapped_column(Integer)
    band: Mapped[str | None] = mapped_column(String(16), index=True)
    stars: Mapped[int | None] = mapped_column(Integer)
    score_due: Mapped[date | None] = mapped_column(Date, index=True)
    scored_at: Mapped[datetime | None] = mapped_column(DateTime)
    score_unit: Mapped[int | None] = mapped_column(Integer)
    downloads: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # When the dataset was withdrawn (CKAN package_delete): out of listings and search, its
    # record and versions kept; NULL while listed.
    withdrawn: Mapped[datetime | None] = mapped_column(DateTime)

    organization: Mapped[Organization] = relationship(back_populates="datasets")
    license: Mapped[License] = relationship()
    tags: Mapped[list[Tag]] = relationship(secondary=dataset_tags, order_by=Tag.name)
    resources: Mapped[list[Resource]] = relationship(
        back_populates="dataset", order_by="Resource.serial"
    )


class Resource(Base):
    """A table of a dataset; ``slug`` is its id and SQL table name, which
    ``kaifang catalog rename --resource`` may change; ``storage`` names its files in the
    VersionStore, its serving copies and its storage lock, set once at creation (to the slug
    then) and never changed, so a rename moves no file."""

    __tablename__ = "resources"
    __table_args__ = (UniqueConstraint("dataset_id", "serial"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(63), unique=True)
    storage: Mapped[str] = mapped_column(String(63), unique=True)
    identifier: Mapped[str] = mapped_column(String(40), unique=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id"), index=True)
    serial: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(300))
    current_version: Mapped[int | None] = mapped_column(Integer)
    fields: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    modified: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    dataset: Mapped[Dataset] = relationship(back_populates="resources")
    versions: Mapped[list[Version]] = relationship(
        back_populates="resource", order_by="Version.number"
    )

    @property
    def current(self) -> Version | None:
        """The version ``current_version`` names (None before the first publish); loads
        ``versions`` if the query did not."""
        return next((v for v in self.versions if v.number == self.current_version), None)


class Version(Base):
    """One immutable stored version of a resource, as registered by a publish."""

    __tablename__ = "versions"
    __table_args__ = (UniqueConstraint("resource_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    rows: Mapped[int] = mapped_column(Integer)
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    publisher: Mapped[str] = mapped_column(String(100), default="")
    source_file: Mapped[str] = mapped_column(String(300), default="")
    source_hash: Mapped[str] = mapped_column(String(80), default="")
    content_hash: Mapped[str] = mapped_column(String(80), default="")
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    rollback_of: Mapped[int | None] = mapped_column(Integer)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    resource: Mapped[Resource] = relationship(back_populates="versions")


class DatasetRequest(Base):
    """A citizen's request that an organization publish some data."""

    __tablename__ = "dataset_requests"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'answered', 'fulfilled', 'rejected')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    requester: Mapped[str] = mapped_column(String(200), default="")
    # A contact e-mail (anonymous requests must give one); shown to no one but the CLI.
    contact: Mapped[str] = mapped_column(String(200), default="", server_default="")
    status: Mapped[str] = mapped_column(String(16), default="open")
    response: Mapped[str] = mapped_column(Text, default="")
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    answered: Mapped[datetime | None] = mapped_column(DateTime)

    organization: Mapped[Organization] = relationship()


class MetadataEdit(Base):
    """An editor's change to a dataset's metadata (no data version is written): ``changes``
    maps each changed field to ``[before, after]``."""

    __tablename__ = "metadata_edits"

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id"), index=True)
    editor: Mapped[str] = mapped_column(String(100))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    dataset: Mapped[Dataset] = relationship()


SCORE_TRIGGERS = ("publish", "rescore")


class ScoreRecordRow(Base):
    """A dataset's openness score as recorded when a version was published (``trigger`` =
    ``publish``: ``resource`` and ``version`` name the version) or when scores were refreshed
    (``rescore``: no version). The latest row per dataset is the score that listings show."""

    __tablename__ = "score_records"
    __table_args__ = (CheckConstraint("trigger IN ('publish', 'rescore')", name="trigger"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id"), index=True)
    resource_id: Mapped[int | None] = mapped_column(ForeignKey("resources.id"))
    version: Mapped[int | None] = mapped_column(Integer)
    score: Mapped[int] = mapped_column(Integer)
    band: Mapped[str | None] = mapped_column(String(16))
    stars: Mapped[int] = mapped_column(Integer)
    trigger: Mapped[str] = mapped_column(String(16))
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    dataset: Mapped[Dataset] = relationship()
    resource: Mapped[Resource | None] = relationship()


HARVEST_TYPES = ("tw-spec", "ckan", "dcat")
HARVEST_MODES = ("metadata", "mirror")
HARVEST_STATES = ("active", "withdrawn", "failed", "held")


class HarvestSource(Base):
    """Another portal whose catalog kaifang gathers (:mod:`kaifang.harvest`): its API ``type``,
    the organization its datasets are filed under, and whether only their metadata is
    registered (``metadata``) or their files are published too (``mirror``). ``lock_until``
    keeps two runs of the same source apart."""

    __tablename__ = "harvest_sources"
    __table_args__ = (
        CheckConstraint("type IN ('tw-spec', 'ckan', 'dcat')", name="type"),
        CheckConstraint("mode IN ('metadata', 'mirror')", name="mode"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(63), unique=True)
    url: Mapped[str] = mapped_column(String(500))
    type: Mapped[str] = mapped_column(String(16))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    mode: Mapped[str] = mapped_column(String(16), default="metadata")
    schedule: Mapped[str] = mapped_column(String(100), default="daily")
    filter: Mapped[str] = mapped_column(String(300), default="")
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_started: Mapped[datetime | None] = mapped_column(DateTime)
    last_success: Mapped[datetime | None] = mapped_column(DateTime)
    lock_until: Mapped[datetime | None] = mapped_column(DateTime)

    organization: Mapped[Organization] = relationship()


class HarvestRecord(Base):
    """One remote dataset as kaifang last saw it: the local dataset it maps to (stable over
    runs), its remote ``modified`` and a fingerprint of its metadata (an unchanged one makes no
    new version), and its state (``withdrawn`` when the source no longer lists it, ``held``
    when mirroring it was refused by the privacy gate)."""

    __tablename__ = "harvest_records"
    __table_args__ = (
        UniqueConstraint("source_id", "remote_id"),
        CheckConstraint("state IN ('active', 'withdrawn', 'failed', 'held')", name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("harvest_sources.id"), index=True)
    remote_id: Mapped[str] = mapped_column(String(300))
    dataset_id: Mapped[int | None] = mapped_column(ForeignKey("datasets.id"), index=True)
    remote_modified: Mapped[str] = mapped_column(String(40), default="")
    fingerprint: Mapped[str] = mapped_column(String(64), default="")
    state: Mapped[str] = mapped_column(String(16), default="active")
    message: Mapped[str] = mapped_column(Text, default="")
    first_seen: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    source: Mapped[HarvestSource] = relationship()
    dataset: Mapped[Dataset | None] = relationship()


class HarvestRun(Base):
    """One run of a harvest source: when, how it ended, what it did to how many datasets
    (``counts``), each failure with its reason, and the HTTP requests it made."""

    __tablename__ = "harvest_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("harvest_sources.id"), index=True)
    started: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    finished: Mapped[datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(16), default="running")
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    failures: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    requests: Mapped[int] = mapped_column(Integer, default=0)

    source: Mapped[HarvestSource] = relationship()


ACTIVITY_KINDS = (
    "dataset_created",
    "version_published",
    "metadata_edited",
    "dataset_withdrawn",
    "dataset_restored",
    "score_changed",
    "report_filed",
    "report_answered",
    "showcase_approved",
    "dataset_renamed",
    "resource_renamed",
)


class Activity(Base):
    """One change to the catalog that users may follow (:mod:`kaifang.catalog.activity`),
    written in the transaction that makes the change. The activity stream, the Atom feeds and
    the webhooks all read this table."""

    __tablename__ = "activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    actor: Mapped[str] = mapped_column(String(100), default="")
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    dataset: Mapped[Dataset] = relationship()
    organization: Mapped[Organization] = relationship()


class Subscription(Base):
    """A user's webhook: changes to a dataset, an organization or a search are POSTed to
    ``url``, signed with a key derived from the server's webhook key and the subscription id
    (so no secret is stored)."""

    __tablename__ = "subscriptions"
    __table_args__ = (
        CheckConstraint("target IN ('dataset', 'organization', 'search')", name="target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    target: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(300))
    url: Mapped[str] = mapped_column(String(2000))
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Activities up to this id were matched against the subscription already.
    last_activity: Mapped[int] = mapped_column(Integer, default=0)
    removed: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship()


class Delivery(Base):
    """One activity to POST to one subscription: its attempts, and how the last one ended."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("subscription_id", "activity_id"),
        CheckConstraint("status IN ('pending', 'delivered', 'failed')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscriptions.id"), index=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id"))
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    next_attempt: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_status: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str] = mapped_column(Text, default="")
    delivered: Mapped[datetime | None] = mapped_column(DateTime)

    subscription: Mapped[Subscription] = relationship()
    activity: Mapped[Activity] = relationship()


class ScheduledImport(Base):
    """A flagship source's files re-imported on a schedule by ``kaifang worker`` (the folder an
    agency drops its new files in): the source, the path, the import options, when it is due,
    and how its last run ended. ``lock_until`` keeps two runs of the same import apart; an
    import of unchanged files publishes nothing."""

    __tablename__ = "scheduled_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(63), unique=True)
    source: Mapped[str] = mapped_column(String(32))
    path: Mapped[str] = mapped_column(String(1000))
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    schedule: Mapped[str] = mapped_column(String(100), default="daily")
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_started: Mapped[datetime | None] = mapped_column(DateTime)
    last_finished: Mapped[datetime | None] = mapped_column(DateTime)
    last_status: Mapped[str] = mapped_column(String(16), default="")
    last_report: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    last_error: Mapped[str] = mapped_column(Text, default="")
    runs: Mapped[int] = mapped_column(Integer, default=0)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    lock_until: Mapped[datetime | None] = mapped_column(DateTime)


class DataReport(Base):
    """A reader's report of a problem with a dataset (:mod:`kaifang.catalog.reports`): a wrong
    value at a row and column, a broken link, outdated data; the organization answers and
    closes it."""

    __tablename__ = "data_reports"
    __table_args__ = (
        CheckConstraint("kind IN ('wrong_value', 'broken_link', 'outdated', 'other')", name="kind"),
        CheckConstraint("status IN ('open', 'answered', 'closed')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id"), index=True)
    reporter: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16))
    resource: Mapped[str] = mapped_column(String(100), default="")
    row_number: Mapped[int | None] = mapped_column(Integer)
    column_name: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    response: Mapped[str] = mapped_column(Text, default="")
    responder: Mapped[str] = mapped_column(String(100), default="")
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    answered: Mapped[datetime | None] = mapped_column(DateTime)
    closed: Mapped[datetime | None] = mapped_column(DateTime)

    dataset: Mapped[Dataset] = relationship()


showcase_datasets = Table(
    "showcase_datasets",
    Base.metadata,
    Column("showcase_id", ForeignKey("showcases.id"), primary_key=True),
    Column("dataset_id", ForeignKey("datasets.id"), primary_key=True, index=True),
)


class Showcase(Base):
    """Something built on the data (an app, map, article or analysis), shown on the pages of
    the datasets it uses once an editor of one of their organizations approves it
    (:mod:`kaifang.catalog.showcases`)."""

    __tablename__ = "showcases"
    __table_args__ = (
        CheckConstraint("kind IN ('app', 'map', 'article', 'analysis')", name="kind"),
        CheckConstraint("status IN ('pending', 'approved', 'rejected')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    url: Mapped[str] = mapped_column(String(2000))
    image_url: Mapped[str] = mapped_column(String(2000), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(16))
    submitter: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    reviewer: Mapped[str] = mapped_column(String(100), default="")
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    reviewed: Mapped[datetime | None] = mapped_column(DateTime)

    datasets: Mapped[list[Dataset]] = relationship(secondary=showcase_datasets)


class IdAlias(Base):
    """A dataset's or resource's former id (``old``) and its id now (``new``), recorded by
    ``kaifang catalog rename``: pages and APIs given the old id redirect to the new one."""

    __tablename__ = "id_aliases"
    __table_args__ = (
        CheckConstraint("kind IN ('dataset', 'resource')", name="kind"),
        UniqueConstraint("kind", "old"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    old: Mapped[str] = mapped_column(String(63), index=True)
    new: Mapped[str] = mapped_column(String(63))
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
