"""Registering a catalog entry without a stored file: the registration path of a publish
(:func:`plan_target` then :func:`register_version`) for a dataset whose single resource is
described by its columns only. The catalog generator (``kaifang generate catalog``) and
tests load many datasets this way, many per transaction."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from kaifang.catalog.metadata import DatasetMetadata
from kaifang.catalog.models import Dataset
from kaifang.catalog.registry import NewVersion, new_resource_slug, plan_target, register_version


def register_entry(
    session: Session,
    *,
    org: str,
    metadata: DatasetMetadata,
    file_name: str,
    fields: list[dict[str, Any]],
    rows: int = 0,
    publisher: str = "",
) -> Dataset:
    """Register a new dataset of organization ``org`` with one resource (version 1, ``rows``
    rows, columns ``fields``) inside ``session``'s transaction; return the dataset."""
    file = Path(file_name)
    digest = "sha256:" + hashlib.sha256(f"{org}/{metadata.title}/{file_name}".encode()).hexdigest()
    target = plan_target(
        session,
        org=org,
        dataset=None,
        resource=None,
        file=file,
        title=metadata.title,
        source_hash=digest,
    )
    version = NewVersion(
        number=1,
        rows=rows,
        publisher=publisher,
        source_file=file_name,
        source_hash=digest,
        content_hash=digest,
        fields=fields,
    )
    dataset, _ = register_version(
        session,
        target,
        version,
        resource_slug=new_resource_slug(session, target, metadata.title),
        title=metadata.title,
        metadata=metadata,
        file=file,
    )
    return dataset
