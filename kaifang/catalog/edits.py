"""Editing a dataset's metadata without publishing data: every field of the national metadata
standard an agency keeps (``kaifang.catalog.metadata``), and each column's description. An edit
is validated field by field (each problem names its field, with a stable code the portal
translates), applied in one transaction and recorded in ``metadata_edits`` with each changed
field's value before and after; no version is written."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kaifang.catalog.activity import record_activity
from kaifang.catalog.datasets import find_dataset
from kaifang.catalog.metadata import validate_metadata
from kaifang.catalog.metadata_writes import EXTRA_KEYS, replace_metadata
from kaifang.catalog.models import Dataset, MetadataEdit
from kaifang.catalog.search import refresh_search_text
from kaifang.errors import ValidationError

if TYPE_CHECKING:
    from kaifang.catalog.db import Catalog

# The editable fields, in the order of the form: (field, metadata key it is validated as).
EDITABLE = (
    ("description", "description"),
    ("title_en", "title_en"),
    ("category", "category"),
    ("keywords", "keywords"),
    ("license", "license"),
    ("license_url", "license_url"),
    ("cost", "cost"),
    ("cost_law", "cost_law"),
    ("update_frequency", "update_frequency"),
    ("temporal_from", "temporal_coverage"),
    ("temporal_to", "temporal_coverage"),
    ("spatial", "spatial"),
    ("language", "language"),
    ("contact_name", "contact"),
    ("contact_email", "contact"),
    ("contact_phone", "contact"),
    ("landing_page", "landing_page"),
    ("notes", "notes"),
)
FIELDS = tuple(name for name, _ in EDITABLE)


@dataclass(frozen=True)
class FieldProblem:
    """One refused value: ``field`` of the form, a stable ``code`` and the English message."""

    field: str
    code: str
    message: str


def current_values(dataset: Dataset) -> dict[str, Any]:
    """The editable fields of ``dataset`` as the form shows them (text; keywords joined by
    commas; dates in ISO 8601), and ``columns``: ``{resource slug: {column: description}}``."""
    extras = dataset.extras or {}
    values: dict[str, Any] = {
        "description": dataset.description or "",
        "category": dataset.category or "",
        "keywords": ", ".join(tag.name for tag in dataset.tags),
        "license": dataset.license_id or "",
        "license_url": dataset.license_url or "",
        "cost": dataset.cost or "",
        "update_frequency": dataset.update_frequency or "",
        "temporal_from": dataset.temporal_from.isoformat() if dataset.temporal_from else "",
        "temporal_to": dataset.temporal_to.isoformat() if dataset.temporal_to else "",
        "spatial": dataset.spatial or "",
        "language": dataset.language or "",
        "contact_name": dataset.contact_name or "",
        "contact_email": dataset.contact_email or "",
        "contact_phone": dataset.contact_phone or "",
    }
    values.update({key: str(extras.get(key) or "") for key in EXTRA_KEYS})
    values["columns"] = {
        r.slug: {str(f.get("name")): str(f.get("description") or "") for f in r.fields or []}
        for r in dataset.resources
    }
    return values


def form_metadata(form: Mapping[str, str]) -> dict[str, Any]:
    """The form's fields as ``validate_metadata`` keys (blank fields left out)."""
    raw: dict[str, Any] = {}
    for name, key in EDITABLE:
        value = (form.get(name) or "").strip()
        if not value:
            continue
        if key == "contact":
            raw.setdefault("contact", {})[name.removeprefix("contact_")] = value
        elif key == "temporal_coverage":
            raw.setdefault("temporal_coverage", {})[name.removeprefix("temporal_")] = value
        else:
            raw[key] = value
    return raw


def check_form(form: Mapping[str, str]) -> list[FieldProblem]:
    """Every problem of the form, each on the field that causes it."""
    problems: list[FieldProblem] = []
    raw = form_metadata(form)
    for name, key in EDITABLE:
        if key in ("contact", "temporal_coverage"):
            continue
        if key in raw:
            problems += _problems(name, {key: raw[key]})
    email = (form.get("contact_email") or "").strip()
    if email:
        problems += _problems("contact_email", {"contact": {"email": email}})
    for end in ("from", "to"):
        value = (form.get(f"temporal_{end}") or "").strip()
        if value:
            problems += _problems(f"temporal_{end}", {"temporal_coverage": {end: value}})
    if not problems and "temporal_coverage" in raw:
        problems += _problems("temporal_to", {"temporal_coverage": raw["temporal_coverage"]})
    if not problems:
        licence = {k: v for k, v in raw.items() if k in ("license", "license_url")}
        problems += _problems("license_url", licence)
    return problems


def _problems(name: str, raw: Mapping[str, Any]) -> list[FieldProblem]:
    try:
        validate_metadata(raw, source=name)
    except ValidationError as error:
        detail = error.message.split(": ", 1)[-1]
        code = "order" if "after" in detail else "required" if "required" in detail else name
        return [FieldProblem(name, code, detail)]
    return []


def edit_metadata(
    catalog: Catalog,
    ref: str,
    form: Mapping[str, str],
    *,
    columns: Mapping[str, Mapping[str, str]],
    editor: str,
) -> dict[str, Any]:
    """Apply ``form`` (every editable field; a blank one clears it) and the column
    descriptions ``columns`` (``{resource slug: {column: description}}``) to dataset ``ref``.
    Raises ValidationError (``problems``: each FieldProblem as a mapping), changing nothing,
    when a value is refused. Returns ``{dataset, changes}``; an edit that changes nothing records
    nothing."""
    problems = check_form(form)
    if problems:
        raise ValidationError(
            "the metadata has invalid values: "
            + "; ".join(f"{p.field}: {p.message}" for p in problems),
            hint="Fix the fields named above.",
            problems=[vars(p) for p in problems],
        )
    meta = validate_metadata(form_metadata(form), source="form")
    with catalog.write() as session:
        dataset = find_dataset(session, ref)
        before = current_values(dataset)
        replace_metadata(session, dataset, meta)
        if not (form.get("cost") or "").strip():
            dataset.cost = "free"
        for resource in dataset.resources:
            described = columns.get(resource.slug) or {}
            resource.fields = [
                {**f, "description": described[f["name"]].strip()}
                if f.get("name") in described
                else f
                for f in resource.fields or []
            ]
        after = current_values(dataset)
        changes = _changes(before, after)
        if changes:
            refresh_search_text(dataset)
            session.add(MetadataEdit(dataset_id=dataset.id, editor=editor, changes=changes))
            record_activity(session, "metadata_edited", dataset, actor=editor,
                            fields=sorted(changes))  # fmt: skip
        return {"dataset": dataset.slug, "changes": changes}


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    changes: dict[str, Any] = {
        name: [before[name], after[name]] for name in FIELDS if before[name] != after[name]
    }
    for slug, described in after["columns"].items():
        old = before["columns"].get(slug, {})
        for column, text in described.items():
            if old.get(column, "") != text:
                changes[f"column:{slug}:{column}"] = [old.get(column, ""), text]
    return changes


def metadata_history(
    session: Session, dataset: Dataset, *, limit: int = 20
) -> list[dict[str, Any]]:
    """The dataset's metadata edits, newest first."""
    rows = session.scalars(
        select(MetadataEdit)
        .where(MetadataEdit.dataset_id == dataset.id)
        .order_by(MetadataEdit.id.desc())
        .limit(limit)
    )
    return [
        {
            "editor": row.editor,
            "created": _iso(row.created),
            "fields": sorted(row.changes),
            "changes": row.changes,
        }
        for row in rows
    ]


def _iso(moment: datetime) -> str:
    return moment.isoformat()
