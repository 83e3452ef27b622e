"""Writing a dataset's metadata fields onto its catalog row, in one of two ways:
:func:`replace_metadata` (a portal or CKAN edit says what every field is now, so an empty
value clears the field) and :func:`merge_metadata` (a new version's metadata keeps what it
leaves empty)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from kaifang.catalog.metadata import DatasetMetadata
from kaifang.catalog.models import Dataset, Tag

EXTRA_KEYS = ("title_en", "cost_law", "landing_page", "notes")
"""Metadata kept in ``datasets.extras`` (``primary_key`` too, which edits leave alone)."""


def tags_for(session: Session, words: Iterable[str]) -> list[Tag]:
    """The tags of ``words`` (each once, in order), existing ones reused."""
    return [
        session.scalar(select(Tag).where(Tag.name == word)) or Tag(name=word)
        for word in dict.fromkeys(words)
    ]


def replace_metadata(session: Session, dataset: Dataset, meta: DatasetMetadata) -> None:
    """Every field from ``meta``; an empty value clears the field (an empty extra is
    removed). The title changes only when ``meta`` has one."""
    if meta.title:
        dataset.title = meta.title
    dataset.description = meta.description
    dataset.category = meta.category
    dataset.license_id = meta.license
    dataset.license_url = meta.license_url
    dataset.cost = meta.cost
    dataset.update_frequency = meta.update_frequency
    dataset.temporal_from = meta.temporal_from
    dataset.temporal_to = meta.temporal_to
    dataset.spatial = meta.spatial
    dataset.language = meta.language
    dataset.contact_name = meta.contact_name
    dataset.contact_email = meta.contact_email
    dataset.contact_phone = meta.contact_phone
    extras = dict(dataset.extras or {})
    for key in EXTRA_KEYS:
        value = getattr(meta, key)
        if value:
            extras[key] = value
        else:
            extras.pop(key, None)
    dataset.extras = extras
    dataset.tags = tags_for(session, meta.keywords)


def merge_metadata(session: Session, dataset: Dataset, meta: DatasetMetadata) -> None:
    """``meta``'s fields where it has them; the dataset keeps its own where ``meta`` is
    empty (licence, cost and language always come from ``meta``, which defaults them)."""
    dataset.description = meta.description or dataset.description
    dataset.category = meta.category or dataset.category
    dataset.license_id = meta.license
    dataset.license_url = meta.license_url
    dataset.cost = meta.cost
    dataset.update_frequency = meta.update_frequency or dataset.update_frequency
    dataset.temporal_from = meta.temporal_from or dataset.temporal_from
    dataset.temporal_to = meta.temporal_to or dataset.temporal_to
    dataset.spatial = meta.spatial or dataset.spatial
    dataset.language = meta.language
    dataset.contact_name = meta.contact_name or dataset.contact_name
    dataset.contact_email = meta.contact_email or dataset.contact_email
    dataset.contact_phone = meta.contact_phone or dataset.contact_phone
    extras = dict(dataset.extras or {})
    for key in (*EXTRA_KEYS, "primary_key"):
        if getattr(meta, key):
            extras[key] = getattr(meta, key)
    dataset.extras = extras
    if meta.keywords:
        dataset.tags = tags_for(session, meta.keywords)
