"""kaifang's records in CKAN's shapes: packages, resources, organizations, groups (the 18
national service categories) and tags."""

from __future__ import annotations

from typing import Any

from kaifang.catalog.categories import Category, category
from kaifang.catalog.dcat import to_ckan_package
from kaifang.catalog.licenses import license_info
from kaifang.errors import NotFoundError, ValidationError

CUSTOM_FIELDS = ("version", "author_email")
"""CKAN package fields kaifang has no column for, kept with the dataset as they were sent."""


def package_dict(dataset: dict[str, Any], base_url: str) -> dict[str, Any]:
    """The catalog's CKAN mapping, with this server's URLs, CKAN's organization shape, the
    service category as the one group, and the fields CKAN clients read."""
    package = to_ckan_package(dataset)
    custom = dict(dataset.get("custom") or {})
    package["url"] = package["url"] or f"{base_url}/datasets/{dataset['id']}"
    package["organization"] = org_dict(dataset["organization"])
    package["owner_org"] = package["organization"]["id"]
    package["resources"] = [
        resource_dict(r, dataset, base_url, position=i) for i, r in enumerate(dataset["resources"])
    ]
    package["groups"] = (
        [group_dict(category(dataset["category"]))] if dataset.get("category") else []
    )
    package["isopen"] = _is_open(dataset["license"]["id"])
    package["creator_user_id"] = dataset.get("creator")
    package["state"] = "deleted" if dataset.get("withdrawn") else "active"
    for name in CUSTOM_FIELDS:
        package[name] = custom.pop(name, None)
    package["extras"] += [
        {"key": k, "value": v} for k, v in sorted(custom.items()) if k != "extras"
    ]
    if dataset.get("title_en"):
        package["extras"].append({"key": "title_en", "value": dataset["title_en"]})
    package["extras"].sort(key=lambda e: e["key"])
    return package


def _is_open(license_id: str) -> bool:
    try:
        return license_info(license_id).is_open
    except ValidationError:  # a licence the table no longer lists
        return False


def resource_dict(
    resource: dict[str, Any], dataset: dict[str, Any], base_url: str, *, position: int = 0
) -> dict[str, Any]:
    published = resource.get("current_version") is not None
    return {
        "id": resource["id"],
        "package_id": dataset["id"],
        "position": position,
        "name": resource.get("name") or resource["id"],
        "description": resource.get("description") or "",
        "format": "CSV",
        "mimetype": "text/csv",
        "url": f"{base_url}/api/resources/{resource['id']}/download.csv",
        # the data is a file published to kaifang: `ckanapi load --upload-resources` copies it
        "url_type": "upload",
        "datastore_active": published,
        "created": resource.get("created"),
        "last_modified": resource.get("modified"),
        "metadata_created": resource.get("created"),
        "metadata_modified": resource.get("modified"),
        "state": "active",
        "identifier": resource.get("identifier"),
        "version": resource.get("current_version"),
        "rows": resource.get("rows"),
    }


def org_dict(org: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(org.get("code", "")).lower(),
        "name": str(org.get("code", "")).lower(),
        "title": org.get("name"),
        "display_name": org.get("name"),
        "description": org.get("description") or "",
        "type": "organization",
        "state": "active",
        "is_organization": True,
        "image_url": "",
    }


def group_dict(cat: Category, *, package_count: int | None = None) -> dict[str, Any]:
    """A national service category as a CKAN group (named by its code in lower case)."""
    out: dict[str, Any] = {
        "id": cat.code.lower(),
        "name": cat.code.lower(),
        "title": cat.name,
        "display_name": cat.name,
        "description": f"{cat.code} {cat.name} ({cat.name_en})",
        "type": "group",
        "state": "active",
        "is_organization": False,
        "image_url": "",
        "image_display_url": "",
    }
    if package_count is not None:
        out["package_count"] = package_count
    return out


def find_category(ref: str) -> Category:
    """A category by its group name (code in any case), zh-TW or English name; 404 else."""
    try:
        return category(ref)
    except ValidationError:
        raise NotFoundError(f"group {ref!r} does not exist", key="group") from None


def tag_dict(name: str) -> dict[str, Any]:
    return {"id": name, "name": name, "display_name": name, "vocabulary_id": None}
