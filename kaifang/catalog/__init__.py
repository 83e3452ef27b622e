"""The catalog: organizations, users, roles, tokens, datasets, resources, versions, tags,
licenses and dataset requests (SQLAlchemy 2 + Alembic; SQLite by default, PostgreSQL when
``settings.database_url`` is set). The catalog says which version of a resource is current.

The names below are imported on first use, so that :mod:`kaifang.catalog.quick` (the
standard library's ``sqlite3`` read path of the CLI's catalog commands) and the records can be
imported without SQLAlchemy (~0.3 s of CPU)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kaifang import lazy_exports

if TYPE_CHECKING:
    from kaifang.catalog.accounts import (
        authenticate,
        create_organization,
        create_token,
        create_user,
        grant_role,
        list_organizations,
        list_tokens,
        revoke_token,
    )
    from kaifang.catalog.categories import CATEGORIES, category
    from kaifang.catalog.datasets import history, list_datasets, show_dataset
    from kaifang.catalog.db import Catalog, open_catalog
    from kaifang.catalog.licenses import DEFAULT_LICENSE, LICENSES
    from kaifang.catalog.metadata import DatasetMetadata, load_metadata, validate_metadata
    from kaifang.catalog.records import (
        DatasetList,
        DatasetRecord,
        OrganizationRecord,
        RequestRecord,
        ResourceHistory,
        ResourceRecord,
        RevokedToken,
        TokenRecord,
        UserRecord,
        VersionRecord,
    )

_MODULES = {
    "accounts": (
        "authenticate create_organization create_token create_user grant_role "
        "list_organizations list_tokens revoke_token"
    ),
    "categories": "CATEGORIES category",
    "datasets": "history list_datasets show_dataset",
    "db": "Catalog open_catalog",
    "licenses": "DEFAULT_LICENSE LICENSES",
    "metadata": "DatasetMetadata load_metadata validate_metadata",
    "records": (
        "DatasetList DatasetRecord OrganizationRecord RequestRecord ResourceHistory "
        "ResourceRecord RevokedToken TokenRecord UserRecord VersionRecord"
    ),
}
__getattr__ = lazy_exports(globals(), _MODULES)
__all__ = [
    "CATEGORIES",
    "DEFAULT_LICENSE",
    "LICENSES",
    "Catalog",
    "DatasetList",
    "DatasetMetadata",
    "DatasetRecord",
    "OrganizationRecord",
    "RequestRecord",
    "ResourceHistory",
    "ResourceRecord",
    "RevokedToken",
    "TokenRecord",
    "UserRecord",
    "VersionRecord",
    "authenticate",
    "category",
    "create_organization",
    "create_token",
    "create_user",
    "grant_role",
    "history",
    "list_datasets",
    "list_organizations",
    "list_tokens",
    "load_metadata",
    "open_catalog",
    "revoke_token",
    "show_dataset",
    "validate_metadata",
]
