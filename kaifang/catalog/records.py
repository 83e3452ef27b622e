"""What the catalog hands the layers above: frozen records of datasets, resources, versions,
organizations, users, tokens and dataset requests, read out of a session so that they
outlive it.

Each record's ``to_dict()`` is the one place that turns it into the JSON shape that
``kaifang show --json`` (and ``datasets``, ``history``, ``user``, ``token``), the APIs and the
pages print; the ``from_row`` constructors are the one place that reads the rows: the ORM's,
or the quick read path's plain rows with the same attributes (:mod:`kaifang.catalog.quick`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from kaifang.catalog.categories import category as service_category

if TYPE_CHECKING:  # the quick read path (kaifang.catalog.quick) imports no SQLAlchemy
    from kaifang.catalog.models import (
        ApiToken,
        Dataset,
        DatasetRequest,
        Organization,
        Resource,
        User,
        Version,
    )
    from kaifang.catalog.quick import DatasetRow, OrganizationRow, ResourceRow, VersionRow


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _iso_seconds(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment is not None else None


@dataclass(frozen=True)
class OrganizationRecord:
    code: str
    name: str
    name_en: str

    @classmethod
    def from_row(cls, org: Organization | OrganizationRow) -> OrganizationRecord:
        return cls(code=org.code, name=org.name, name_en=org.name_en)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "name_en": self.name_en}


@dataclass(frozen=True)
class UserRecord:
    """A user and their role in each organization (``{code: role}``)."""

    name: str
    email: str
    roles: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_row(cls, user: User) -> UserRecord:
        return cls(
            name=user.name,
            email=user.email,
            roles={m.organization.code: m.role for m in user.memberships},
        )

    def role_in(self, org: str) -> str | None:
        return self.roles.get(org)

    def may_write(self, org: str) -> bool:
        """Whether the user may publish to ``org`` and answer its requests."""
        from kaifang.catalog.models import WRITE_ROLES  # listed once, with the models

        return self.role_in(org) in WRITE_ROLES

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "email": self.email, "roles": dict(self.roles)}


@dataclass(frozen=True)
class TokenRecord:
    """An API token as listed: never the token or its hash."""

    prefix: str
    label: str
    created: datetime | None
    last_used: datetime | None
    revoked: datetime | None

    @classmethod
    def from_row(cls, row: ApiToken) -> TokenRecord:
        return cls(
            prefix=row.prefix,
            label=row.label,
            created=row.created,
            last_used=row.last_used,
            revoked=row.revoked,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "prefix": self.prefix,
            "label": self.label,
            "created": _iso_seconds(self.created),
            "last_used": _iso_seconds(self.last_used),
            "revoked": _iso_seconds(self.revoked),
        }


@dataclass(frozen=True)
class RevokedToken:
    prefix: str
    user: str
    revoked: datetime | None

    def to_dict(self) -> dict[str, Any]:
        return {"prefix": self.prefix, "user": self.user, "revoked": _iso_seconds(self.revoked)}


VERSION_COLUMNS = (
    "number",
    "rows",
    "created",
    "publisher",
    "source_file",
    "source_hash",
    "content_hash",
    "legal_basis",
    "rollback_of",
)
"""The version columns a :class:`VersionRecord` reads (besides its summary)."""


@dataclass(frozen=True)
class VersionRecord:
    number: int
    rows: int
    created: datetime
    publisher: str
    source_file: str
    source_hash: str
    content_hash: str
    legal_basis: str | None
    rollback_of: int | None
    schema_change: Mapping[str, Any]
    problem_count: int
    screening: Mapping[str, Any]
    problems: tuple[Any, ...]

    @classmethod
    def from_row(cls, version: Version | VersionRow) -> VersionRecord:
        return cls.from_columns(
            {name: getattr(version, name) for name in VERSION_COLUMNS}, version.summary
        )

    @classmethod
    def from_columns(
        cls, row: Mapping[Any, Any], summary: Mapping[str, Any] | None
    ) -> VersionRecord:
        """From a version's column values (by name) and its ``summary`` (a listing reads
        only the parts it shows, :mod:`kaifang.catalog.listing`)."""
        summary = summary or {}
        reading = summary.get("reading") or {}
        return cls(
            number=row["number"],
            rows=row["rows"],
            created=row["created"],
            publisher=row["publisher"],
            source_file=row["source_file"],
            source_hash=row["source_hash"],
            content_hash=row["content_hash"],
            legal_basis=row["legal_basis"] or None,
            rollback_of=row["rollback_of"],
            schema_change=summary.get("schema_change") or {},
            problem_count=int(reading.get("problem_count") or 0),
            screening=summary.get("screening", {}),
            problems=tuple(reading.get("problems") or ()),
        )

    def to_dict(self) -> dict[str, Any]:
        """An entry of ``kaifang history --json`` and of a resource's ``versions``."""
        return {
            "version": self.number,
            "rows": self.rows,
            "created": _iso(self.created),
            "publisher": self.publisher,
            "source_file": self.source_file,
            "source_hash": self.source_hash,
            "content_hash": self.content_hash,
            "legal_basis": self.legal_basis,
            "rollback_of": self.rollback_of,
            "schema_change": dict(self.schema_change),
            "problem_count": self.problem_count,
        }


@dataclass(frozen=True)
class ResourceRecord:
    slug: str
    storage: str  # the storage name of its files (not shown: see Resource.storage)
    identifier: str
    name: str
    dataset: str  # the dataset's slug
    dataset_identifier: str
    dataset_title: str
    current_version: int | None
    fields: tuple[Mapping[str, Any], ...]
    created: datetime
    modified: datetime
    versions: tuple[VersionRecord, ...]

    @classmethod
    def from_row(cls, resource: Resource | ResourceRow) -> ResourceRecord:
        return cls(
            slug=resource.slug,
            storage=resource.storage,
            identifier=resource.identifier,
            name=resource.name,
            dataset=resource.dataset.slug,
            dataset_identifier=resource.dataset.identifier,
            dataset_title=resource.dataset.title,
            current_version=resource.current_version,
            fields=tuple(resource.fields),
            created=resource.created,
            modified=resource.modified,
            versions=tuple(VersionRecord.from_row(v) for v in resource.versions),
        )

    @property
    def current(self) -> VersionRecord | None:
        """The version ``current_version`` names (None before the first publish)."""
        return next((v for v in self.versions if v.number == self.current_version), None)

    @property
    def rows(self) -> int | None:
        current = self.current
        return current.rows if current is not None else None

    @property
    def columns(self) -> list[str]:
        return [f["name"] for f in self.fields]

    def to_dict(self) -> dict[str, Any]:
        """A resource as a dataset lists it."""
        return {
            "id": self.slug,
            "identifier": self.identifier,
            "name": self.name,
            "current_version": self.current_version,
            "rows": self.rows,
            "created": _iso(self.created),
            "modified": _iso(self.modified),
            "fields": [dict(f) for f in self.fields],
        }


DATASET_COLUMNS = (
    "slug",
    "identifier",
    "title",
    "description",
    "category",
    "license_id",
    "license_url",
    "cost",
    "update_frequency",
    "temporal_from",
    "temporal_to",
    "spatial",
    "language",
    "contact_name",
    "contact_email",
    "contact_phone",
    "extras",
    "created",
    "modified",
    "withdrawn",
)
"""The dataset columns a :class:`DatasetRecord` reads (not the search texts, scores or
counters)."""


@dataclass(frozen=True)
class DatasetRecord:
    slug: str
    identifier: str
    title: str
    title_en: str
    description: str
    organization: OrganizationRecord
    category: str | None
    category_name: str | None
    keywords: tuple[str, ...]
    license_id: str
    license_title: str
    license_url: str
    cost: str
    cost_law: str
    update_frequency: str | None
    temporal_from: date | None
    temporal_to: date | None
    spatial: str
    language: str
    contact_name: str
    contact_email: str
    contact_phone: str
    landing_page: str
    notes: str
    created: datetime
    modified: datetime
    withdrawn: datetime | None
    """When the dataset was withdrawn (out of listings, record and versions kept)."""
    resources: tuple[ResourceRecord, ...]
    creator: str | None
    """Who created the dataset (CKAN's ``creator_user_id``): the editor who made it, else
    the publisher of its first version."""
    primary_key: tuple[str, ...]
    custom: Mapping[str, Any]
    """The dataset's own extra fields (CKAN's ``extras``)."""
    personal_data: tuple[Mapping[str, Any], ...] = ()
    """Per resource, the legal basis or recorded exception under which it publishes data
    about people (:func:`personal_data_records`)."""
    harvest: Mapping[str, Any] | None = None
    """Where a harvested dataset comes from (kaifang.harvest): source, remote id, checks."""
    distributions: tuple[Mapping[str, Any], ...] = ()
    """A harvested dataset's remote files: url, format, title, whether the link answered."""

    @classmethod
    def from_row(cls, dataset: Dataset | DatasetRow) -> DatasetRecord:
        resources = tuple(ResourceRecord.from_row(r) for r in dataset.resources)
        return cls.from_columns(
            {name: getattr(dataset, name) for name in DATASET_COLUMNS},
            organization=OrganizationRecord.from_row(dataset.organization),
            license_title=dataset.license.title,
            license_url=dataset.license.url,
            keywords=tuple(tag.name for tag in dataset.tags),
            resources=resources,
            first_publisher=_first_publisher(resources),
            personal_data=tuple(personal_data_records(dataset)),
        )

    @classmethod
    def from_columns(
        cls,
        row: Mapping[Any, Any],
        *,
        organization: OrganizationRecord,
        license_title: str,
        license_url: str,
        keywords: tuple[str, ...],
        resources: tuple[ResourceRecord, ...],
        first_publisher: str | None,
        personal_data: tuple[Mapping[str, Any], ...],
    ) -> DatasetRecord:
        """From a dataset's :data:`DATASET_COLUMNS` (by name), its organization, its
        licence's title and URL, keywords, resources, the publisher of its first version
        (the creator unless one is recorded) and :func:`personal_data_records`."""
        extras = row["extras"] or {}
        category = row["category"]
        return cls(
            slug=row["slug"],
            identifier=row["identifier"],
            title=row["title"],
            title_en=extras.get("title_en", ""),
            description=row["description"],
            organization=organization,
            category=category or None,
            category_name=service_category(category).name if category else None,
            keywords=keywords,
            license_id=row["license_id"],
            license_title=license_title,
            license_url=row["license_url"] or license_url,
            cost=row["cost"],
            cost_law=extras.get("cost_law", ""),
            update_frequency=row["update_frequency"] or None,
            temporal_from=row["temporal_from"],
            temporal_to=row["temporal_to"],
            spatial=row["spatial"],
            language=row["language"],
            contact_name=row["contact_name"],
            contact_email=row["contact_email"],
            contact_phone=row["contact_phone"],
            landing_page=extras.get("landing_page", ""),
            notes=extras.get("notes", ""),
            created=row["created"],
            modified=row["modified"],
            withdrawn=row["withdrawn"],
            resources=resources,
            creator=extras.get("creator") or first_publisher,
            primary_key=tuple(extras.get("primary_key") or ()),
            custom=dict(extras.get("custom") or {}),
            personal_data=personal_data,
            harvest=extras.get("harvest"),
            distributions=tuple(extras.get("distributions") or ()),
        )

    @property
    def legal_basis(self) -> str | None:
        """The legal basis under which a current version publishes personal data, if any."""
        for resource in self.resources:
            current = resource.current
            if current is not None and current.legal_basis:
                return current.legal_basis
        return None

    def to_dict(self) -> dict[str, Any]:
        """The ``kaifang show --json`` object."""
        return {
            "id": self.slug,
            "identifier": self.identifier,
            "title": self.title,
            "title_en": self.title_en,
            "description": self.description,
            "organization": self.organization.to_dict(),
            "category": self.category,
            "category_name": self.category_name,
            "keywords": list(self.keywords),
            "license": {
                "id": self.license_id,
                "title": self.license_title,
                "url": self.license_url,
            },
            "cost": self.cost,
            "cost_law": self.cost_law,
            "update_frequency": self.update_frequency,
            "temporal_coverage": {"from": _iso(self.temporal_from), "to": _iso(self.temporal_to)},
            "spatial": self.spatial,
            "language": self.language,
            "contact": {
                "name": self.contact_name,
                "email": self.contact_email,
                "phone": self.contact_phone,
            },
            "landing_page": self.landing_page,
            "notes": self.notes,
            "created": _iso(self.created),
            "modified": _iso(self.modified),
            "withdrawn": _iso(self.withdrawn),
            "resources": [r.to_dict() for r in self.resources],
            "legal_basis": self.legal_basis,
            "creator": self.creator,
            "primary_key": list(self.primary_key),
            "custom": dict(self.custom),
            "harvest": dict(self.harvest) if self.harvest is not None else None,
            "distributions": [dict(d) for d in self.distributions],
            "personal_data": [dict(r) for r in self.personal_data],
        }


def _first_publisher(resources: Iterable[ResourceRecord]) -> str | None:
    """Who published the dataset's first version (a dataset made by a publish)."""
    first = min(
        (v for r in resources for v in r.versions),
        key=lambda v: v.created,
        default=None,
    )
    return (first.publisher or None) if first is not None else None


@dataclass(frozen=True)
class DatasetList:
    """One page of datasets and the count of every match (ignoring limit and offset)."""

    data: tuple[DatasetRecord, ...]
    count: int

    def to_dict(self) -> dict[str, Any]:
        """The ``kaifang datasets --json`` object."""
        return {"data": [d.to_dict() for d in self.data], "count": self.count}


@dataclass(frozen=True)
class ResourceHistory:
    resource: str
    identifier: str
    dataset: str
    current: int | None
    versions: tuple[VersionRecord, ...]

    @classmethod
    def from_row(cls, resource: Resource | ResourceRow) -> ResourceHistory:
        """A resource's versions, oldest first (loaded with them and its dataset)."""
        return cls(
            resource=resource.slug,
            identifier=resource.identifier,
            dataset=resource.dataset.slug,
            current=resource.current_version,
            versions=tuple(VersionRecord.from_row(v) for v in resource.versions),
        )

    def to_dict(self) -> dict[str, Any]:
        """The ``kaifang history --json`` object (before ``changes`` are added)."""
        return {
            "resource": self.resource,
            "identifier": self.identifier,
            "dataset": self.dataset,
            "current": self.current,
            "versions": [v.to_dict() for v in self.versions],
        }


def _aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


@dataclass(frozen=True)
class RequestRecord:
    """A dataset request; ``age_days`` is set on open requests listed at a given moment."""

    id: int
    organization: str
    title: str
    description: str
    requester: str
    status: str
    response: str
    created: datetime
    answered: datetime | None
    age_days: int | None = None
    contact: str = ""  # never in to_dict: public listings do not show a requester's e-mail

    @classmethod
    def from_row(cls, request: DatasetRequest, *, now: datetime | None = None) -> RequestRecord:
        created = _aware(request.created)
        assert created is not None  # the column is NOT NULL
        age = max(0, (now - created).days) if now is not None and request.status == "open" else None
        return cls(
            id=request.id,
            organization=request.organization.code,
            title=request.title,
            description=request.description,
            requester=request.requester,
            status=request.status,
            response=request.response,
            created=created,
            answered=_aware(request.answered),
            age_days=age,
            contact=request.contact or "",
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "organization": self.organization,
            "title": self.title,
            "description": self.description,
            "requester": self.requester,
            "status": self.status,
            "response": self.response or None,
            "created": self.created.isoformat(),
            "answered": _iso(self.answered),
        }
        if self.age_days is not None:
            out["age_days"] = self.age_days
        return out


def personal_data_records(dataset: Dataset | DatasetRow) -> list[dict[str, Any]]:
    """Why each current version may publish what it publishes about people: a structured
    legal basis (``kind: legal_basis``: law, article, note, the columns it covers and who
    approved it) or a recorded exception (``kind: public_by_nature`` or
    ``not_about_people``: reason, columns, approver), one per resource that has one."""
    records: list[dict[str, Any]] = []
    for resource in dataset.resources:
        current = resource.current
        screening = (current.summary or {}).get("screening") or {} if current else {}
        records.extend(personal_data_of(resource.slug, screening))
    return records


def personal_data_of(resource: str, screening: Mapping[str, Any]) -> list[dict[str, Any]]:
    """:func:`personal_data_records` of one resource (its id) from its current version's
    screening summary (its ``legal_basis_detail`` and ``exception``)."""
    records: list[dict[str, Any]] = []
    detail = screening.get("legal_basis_detail")
    if isinstance(detail, dict):
        records.append(
            {
                "resource": resource,
                "kind": "legal_basis",
                "label": f"{detail.get('law', '')}{detail.get('article', '')}",
                "law": detail.get("law") or "",
                "article": detail.get("article") or "",
                "note": detail.get("note") or "",
                "columns": list(detail.get("columns") or []),
                "approved_by": detail.get("approved_by") or "",
                "listed": bool(detail.get("listed", True)),
            }
        )
    exception = screening.get("exception")
    if isinstance(exception, dict):
        records.append(
            {
                "resource": resource,
                "kind": exception.get("kind") or "public_by_nature",
                "reason": exception.get("reason") or "",
                "columns": list(exception.get("columns") or []),
                "approved_by": exception.get("approved_by") or "",
            }
        )
    return records


def personal_data_text(records: list[dict[str, Any]]) -> str:
    """The records as one zh-TW line, for metadata fields that take text (the national
    spec's notes, DCAT's dct:rights, CKAN's extras)."""
    lines = []
    for r in records:
        where = f"欄位：{'、'.join(r['columns']) or '—'}；核可：{r['approved_by'] or '—'}"
        if r["kind"] == "legal_basis":
            note = f"；{r['note']}" if r["note"] else ""
            lines.append(f"{r['resource']}：個人資料依{r['label']}公開（{where}{note}）")
        else:
            lines.append(f"{r['resource']}：隱私例外（{r['kind']}）：{r['reason']}（{where}）")
    return "\n".join(lines)
