"""Catalog rows -> the plain facts the openness rubric rates (``DatasetFacts``).

What each fact comes from:

- metadata (licence, cost, keywords, category, coverage, contact, update frequency) from the
  ``datasets`` row; the grace in days from ``extras["grace_days"]`` when an agency states one;
- each resource's **current version**: its ``summary`` (sniffed ``source.format`` and
  ``source.encoding``, ``reading.problems`` and ``reading.problem_count``, ``screening``),
  ``rows``, ``created`` and ``legal_basis``; the columns from the resource's Table Schema
  fields; whether its files are in the store (the manifest exists);
- the declared format: ``extras["formats"][resource]`` when the agency declared one, else the
  extension of the file the agency handed in (``theft.csv`` claims CSV).

Versions registered before the summary kept ``source`` are rated by the file's extension.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from kaifang.openness import ColumnFacts, DatasetFacts, ResourceFacts

if TYPE_CHECKING:  # rows of the ORM or of the quick read path (kaifang.catalog.quick)
    from kaifang.catalog.models import Dataset, Resource, Version
    from kaifang.catalog.quick import DatasetRow, ResourceRow, VersionRow

HasVersion = Callable[[str, int], bool]
"""``(resource slug, version) -> bool``: whether the store holds that version's files."""

# The catalog's update frequencies that the rubric does not name (see docs/openness.md):
# realtime and hourly data is held to the shortest period the rubric checks, and data that is
# never updated (a closed series) has no due date, like irregular updates.
CATALOG_FREQUENCIES = {"realtime": "daily", "hourly": "daily", "never": "irregular"}
NOT_SCREENED = "not_screened"


def aware(moment: datetime) -> datetime:
    """The catalog stores naive UTC; the rubric wants aware datetimes."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _declared_format(
    dataset: Dataset | DatasetRow, resource: Resource | ResourceRow, version: Version | VersionRow
) -> str | None:
    declared = (dataset.extras or {}).get("formats")
    if isinstance(declared, Mapping) and declared.get(resource.slug):
        return str(declared[resource.slug])
    suffix = PurePath(version.source_file).suffix.lstrip(".")
    return suffix or None


def resource_facts(
    dataset: Dataset | DatasetRow, resource: Resource | ResourceRow, *, has_version: HasVersion
) -> ResourceFacts:
    version = resource.current
    columns = tuple(
        ColumnFacts(
            str(f.get("name", "")), str(f.get("type", "string")), str(f.get("description") or "")
        )
        for f in resource.fields or []
    )
    if version is None:
        return ResourceFacts(
            id=resource.slug,
            name=resource.name,
            sniffed_format="",
            columns=columns,
            files_present=False,
        )
    summary = version.summary or {}
    source = summary.get("source") or {}
    reading = summary.get("reading") or {}
    declared = _declared_format(dataset, resource, version)
    problems = tuple(p for p in reading.get("problems") or () if isinstance(p, Mapping))
    return ResourceFacts(
        id=resource.slug,
        name=resource.name,
        sniffed_format=str(source.get("format") or declared or ""),
        declared_format=declared,
        source_encoding=source.get("encoding"),
        rows=version.rows,
        columns=columns,
        problems=problems,
        problem_count=int(reading.get("problem_count") or len(problems)),
        files_present=has_version(resource.slug, version.number),
    )


def _unresolved(screening: Mapping[str, Any]) -> list[Any]:
    if "unresolved" in screening:
        return list(screening.get("unresolved") or [])
    return [
        {"column": c.get("name") or c.get("column"), "category": c.get("category")}
        for c in screening.get("columns") or []
        if isinstance(c, Mapping) and c.get("category") == "direct_identifier"
    ]


def screening_facts(versions: Sequence[Version | VersionRow]) -> dict[str, Any] | None:
    """The privacy gate's input over the current versions: ``None`` when any of them was
    never screened; else ``{publishable, legal_basis, unresolved}`` — publishable only if
    every version is (screened publishable, or published under a recorded legal basis),
    unresolved columns named ``resource.column``, the direct identifiers published (which
    check G wants covered by the basis), and the legal bases recorded at publish joined, with
    the columns they cover and who approved them (``legal_basis_detail``)."""
    if not versions:
        return None
    publishable = True
    bases: list[str] = []
    unresolved: list[Any] = []
    covered: list[str] = []
    approvers: list[str] = []
    identifiers: list[str] = []
    for version in versions:
        screening = (version.summary or {}).get("screening") or {}
        if screening.get("status") == NOT_SCREENED or "publishable" not in screening:
            return None
        basis = (version.legal_basis or screening.get("legal_basis") or "").strip()
        # A recorded legal basis lets personal data through the publish gate (privacy.gate),
        # so such a version is publishable even where the screening flagged columns.
        publishable = publishable and (bool(screening.get("publishable")) or bool(basis))
        if basis and basis not in bases:
            bases.append(basis)
        prefix = f"{version.resource.slug}." if len(versions) > 1 else ""
        detail = screening.get("legal_basis_detail") or {}
        covered += [f"{prefix}{column}" for column in detail.get("columns") or []]
        identifiers += [f"{prefix}{c}" for c in screening.get("direct_identifiers") or []]
        if detail.get("approved_by") and detail["approved_by"] not in approvers:
            approvers.append(str(detail["approved_by"]))
        for item in _unresolved(screening):
            if isinstance(item, Mapping):
                column = item.get("column") or item.get("name") or "?"
                unresolved.append({**item, "column": f"{prefix}{column}"})
            else:
                unresolved.append(f"{prefix}{item}")
    return {
        "publishable": publishable,
        "legal_basis": "；".join(bases) or None,
        "unresolved": unresolved,
        "direct_identifiers": identifiers,
        "legal_basis_detail": (
            {"columns": covered, "approved_by": "；".join(approvers)}
            if covered or approvers
            else None
        ),
    }


def _grace_days(extras: Mapping[str, Any]) -> int | None:
    value = extras.get("grace_days")
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def remote_resources(extras: Mapping[str, Any]) -> tuple[ResourceFacts, ...]:
    """The facts a harvest could check from outside, for a harvested dataset without
    resources of its own (``metadata`` mode): each remote file's declared format, and whether
    its link answered (``alive``; unknown counts as present). Rows and columns are unknown."""
    if not extras.get("harvest"):
        return ()
    return tuple(
        ResourceFacts(
            id=f"remote-{n}",
            name=str(d.get("title") or d.get("url") or f"remote-{n}"),
            # nothing was read here: the format is the one the source declares
            sniffed_format=str(d.get("format") or "").lower(),
            declared_format=str(d.get("format") or "").lower() or None,
            source_encoding=None,
            rows=1,
            files_present=d.get("alive") is not False,
        )
        for n, d in enumerate(extras.get("distributions") or [], start=1)
        if isinstance(d, Mapping)
    )


def _remote_modified(extras: Mapping[str, Any]) -> datetime | None:
    """A harvested dataset's last change at its source (for timeliness), if it said."""
    text = str((extras.get("harvest") or {}).get("remote_modified") or "")
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace(" ", "T"))
    except ValueError:
        return None
    return aware(moment)


def dataset_facts(dataset: Dataset | DatasetRow, *, has_version: HasVersion) -> DatasetFacts:
    """The rubric's facts for ``dataset`` (loaded with its organization, license, tags, and
    resources with their versions) as its current versions stand."""
    extras = dataset.extras or {}
    resources: list[Resource | ResourceRow] = list(dataset.resources)
    currents = [current for r in resources if (current := r.current) is not None]
    temporal = None
    if dataset.temporal_from or dataset.temporal_to:
        temporal = {
            "start": dataset.temporal_from.isoformat() if dataset.temporal_from else None,
            "end": dataset.temporal_to.isoformat() if dataset.temporal_to else None,
        }
    contact = {
        "name": dataset.contact_name,
        "email": dataset.contact_email,
        "phone": dataset.contact_phone,
    }
    frequency = dataset.update_frequency or None
    return DatasetFacts(
        id=dataset.slug,
        title=dataset.title,
        org_code=dataset.organization.code,
        license=dataset.license_id,
        description=dataset.description,
        license_url=dataset.license_url or dataset.license.url or None,
        cost=dataset.cost,
        keywords=tuple(tag.name for tag in dataset.tags),
        category=dataset.category or None,
        spatial=dataset.spatial or None,
        temporal_coverage=temporal,
        contact=contact if any(contact.values()) else None,
        publisher=dataset.organization.name,
        update_frequency=CATALOG_FREQUENCIES.get(frequency or "", frequency),
        grace_days=_grace_days(extras),
        current_version_created=max((aware(v.created) for v in currents), default=None)
        or _remote_modified(extras),
        resources=tuple(resource_facts(dataset, r, has_version=has_version) for r in resources)
        or remote_resources(extras),
        screening=screening_facts(currents),
        requires_login=False,
    )
