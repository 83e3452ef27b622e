"""An organization's datasets as the openness facts read them, with a few Core statements
(both backends), into the quick read path's row classes (:mod:`kaifang.catalog.quick`):
each dataset with its organization, licence and keywords, and its resources with their
*current* version only, which is all :func:`kaifang.scoring.facts.dataset_facts` reads.

An organization's page scores each of its datasets at the moment it is asked (timeliness
goes by the clock). Loading them as ORM objects, with every version of every resource and
their identity-map bookkeeping, took longer than the scoring itself.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import BindParameter, Select, bindparam, select
from sqlalchemy.orm import Session

from kaifang.catalog.listing import CURRENT_VERSION, keywords_of
from kaifang.catalog.models import Dataset, License, Organization, Resource, Version
from kaifang.catalog.quick import (
    DatasetRow,
    LicenseRow,
    OrganizationRow,
    ResourceRow,
    TagRow,
    VersionRow,
    row_columns,
)

T = TypeVar("T")

_datasets, _organizations, _licenses = Dataset.__table__, Organization.__table__, License.__table__
_resources, _versions = Resource.__table__, Version.__table__
_ORG: BindParameter[int] = bindparam("organization")
_OF_ORG = select(_datasets.c.id).where(_datasets.c.organization_id == _ORG)
"""The organization's dataset ids: each statement below filters by them, so a large agency
sends no long list of ids."""


def _select(table: Any, row_class: type[Any]) -> Select[Any]:
    return select(*(table.c[name] for name in row_columns(row_class)))


_DATASETS = (
    _select(_datasets, DatasetRow)
    .where(_datasets.c.organization_id == _ORG)
    .order_by(_datasets.c.slug)
)
_ORGANIZATION = _select(_organizations, OrganizationRow).where(_organizations.c.id == _ORG)
_LICENSES = _select(_licenses, LicenseRow).where(
    _licenses.c.id.in_(select(_datasets.c.license_id).where(_datasets.c.organization_id == _ORG))
)
_TAGS = keywords_of(_OF_ORG)
_RESOURCES = (
    _select(_resources, ResourceRow)
    .where(_resources.c.dataset_id.in_(_OF_ORG))
    .order_by(_resources.c.serial)
)
_CURRENT_VERSIONS = (
    _select(_versions, VersionRow)
    .join(_resources, CURRENT_VERSION)
    .where(_resources.c.dataset_id.in_(_OF_ORG))
)


def _rows(session: Session, row_class: type[T], statement: Any, params: Any) -> list[T]:
    return [row_class(*row) for row in session.execute(statement, params)]


def organization_fact_rows(session: Session, organization_id: int) -> list[DatasetRow]:
    """Every dataset of the organization (withdrawn ones too, by id), loaded for
    :func:`~kaifang.scoring.facts.dataset_facts` as the ORM would load it, except that each
    resource's ``versions`` holds only its current version."""
    org = {"organization": organization_id}
    datasets = _rows(session, DatasetRow, _DATASETS, org)
    if not datasets:
        return []
    (organization,) = _rows(session, OrganizationRow, _ORGANIZATION, org)
    licenses = {row.id: row for row in _rows(session, LicenseRow, _LICENSES, org)}
    by_id = {d.id: d for d in datasets}
    for dataset in datasets:
        dataset.organization = organization
        dataset.license = licenses[dataset.license_id]
    for tag in _rows(session, TagRow, _TAGS, org):
        by_id[tag.dataset_id].tags.append(tag)
    resources = _rows(session, ResourceRow, _RESOURCES, org)
    for resource in resources:
        resource.dataset = by_id[resource.dataset_id]
        resource.dataset.resources.append(resource)
    owners = {r.id: r for r in resources}
    for version in _rows(session, VersionRow, _CURRENT_VERSIONS, org):
        version.resource = owners[version.resource_id]
        version.resource.versions.append(version)
    return datasets
