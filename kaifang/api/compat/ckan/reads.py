"""Read actions: the site, packages, resources, organizations, groups and tags, help."""

from __future__ import annotations

from typing import Any

from kaifang import __version__
from kaifang.api.compat.ckan.core import (
    ACTIONS,
    MAX_ROWS,
    Call,
    action,
    boolean,
    integer,
    not_found,
    required,
)
from kaifang.api.compat.ckan.shapes import (
    find_category,
    group_dict,
    org_dict,
    package_dict,
    resource_dict,
    tag_dict,
)
from kaifang.catalog.categories import CATEGORIES
from kaifang.service import DatasetSearch

CKAN_API_VERSION = "2.10"
"""The CKAN release whose Action API kaifang follows."""


@action("site_read")
def site_read(call: Call) -> bool:
    """Whether the site may be read: always true (kaifang's catalog is public)."""
    return True


@action("status_show")
def status_show(call: Call) -> dict[str, Any]:
    """The site: its title and URL, kaifang's version, the CKAN API version it follows
    (``ckan_version``), the extensions it emulates and its default locale."""
    return {
        "site_title": "kaifang 開放資料平臺",
        "site_url": call.base_url,
        "site_description": "Open government data served by kaifang",
        "ckan_version": CKAN_API_VERSION,
        "kaifang_version": __version__,
        "api_version": 3,
        "extensions": ["datastore"],
        "locale_default": "zh_Hant_TW",
    }


@action("help_show")
def help_show(call: Call) -> str:
    """The documentation of action ``name``."""
    name = required(call.params, "name")
    info = ACTIONS.get(name)
    if info is None:
        raise not_found(f"Action function not found: {name}")
    return info.doc


@action("package_list")
def package_list(call: Call) -> list[str]:
    """The ids of every listed dataset, newest first; ``limit``, ``offset``."""
    limit = integer(call.params, "limit", 1_000_000)
    offset = integer(call.params, "offset", 0)
    page = call.service.search_datasets(limit=limit, offset=offset)
    return [d["id"] for d in page.items]


@action("package_show")
def package_show(call: Call) -> dict[str, Any]:
    """The dataset ``id`` (its id or national identifier) as a CKAN package; a withdrawn
    dataset shows with ``state: deleted``."""
    return package_dict(call.service.get_dataset(required(call.params, "id")), call.base_url)


@action("resource_show")
def resource_show(call: Call) -> dict[str, Any]:
    """The resource ``id`` (a table of a dataset)."""
    resource = call.service.get_resource(required(call.params, "id"))
    dataset = call.service.get_dataset(resource["dataset_id"])
    position = [r["id"] for r in dataset["resources"]].index(resource["id"])
    return resource_dict(dataset["resources"][position], dataset, call.base_url, position=position)


@action("organization_list")
def organization_list(call: Call) -> list[Any]:
    """Every organization's code; with ``all_fields`` the organizations with their counts."""
    orgs = call.service.organizations()
    if boolean(call.params, "all_fields", False):
        return [{**org_dict(o), "package_count": o.get("dataset_count", 0)} for o in orgs]
    return [o["code"] for o in orgs]


@action("organization_show")
def organization_show(call: Call) -> dict[str, Any]:
    """Organization ``id`` (its code, any case); ``include_datasets`` adds its packages."""
    org = call.service.organization(required(call.params, "id"))
    out = {**org_dict(org), "package_count": org.get("dataset_count", 0)}
    if boolean(call.params, "include_datasets", False):
        page = call.service.search_datasets(DatasetSearch(org=org["code"]), limit=MAX_ROWS)
        out["packages"] = [package_dict(d, call.base_url) for d in page.items]
    return out


@action("group_list")
def group_list(call: Call) -> list[Any]:
    """The 18 national service categories as groups, named by code (``100``–``900``,
    ``a00``–``i00``); ``all_fields`` gives each with its dataset count."""
    counts = dict(call.service.categories())
    if boolean(call.params, "all_fields", False):
        return [group_dict(c, package_count=counts.get(c.code, 0)) for c in CATEGORIES]
    return [c.code.lower() for c in CATEGORIES]


@action("group_show")
def group_show(call: Call) -> dict[str, Any]:
    """Group ``id`` (a category code, zh-TW or English name); ``include_datasets`` adds its
    packages (at most 1,000)."""
    cat = find_category(required(call.params, "id"))
    page = call.service.search_datasets(
        DatasetSearch(category=cat.code),
        limit=MAX_ROWS if boolean(call.params, "include_datasets", False) else 0,
    )
    out = group_dict(cat, package_count=page.count)
    if boolean(call.params, "include_datasets", False):
        out["packages"] = [package_dict(d, call.base_url) for d in page.items]
    return out


@action("tag_list")
def tag_list(call: Call) -> list[Any]:
    """Every keyword of a listed dataset; ``query`` keeps those containing it; ``all_fields``
    gives tag objects."""
    query = str(call.params.get("query") or "").strip().lower()
    names = [t for t in call.service.tags() if query in t.lower()]
    if boolean(call.params, "all_fields", False):
        return [tag_dict(t) for t in names]
    return names


@action("tag_show")
def tag_show(call: Call) -> dict[str, Any]:
    """Tag ``id`` (its name); ``include_datasets`` adds its packages (at most 1,000)."""
    name = required(call.params, "id")
    page = call.service.search_datasets(DatasetSearch(tag=name), limit=MAX_ROWS)
    if page.count == 0:
        raise not_found(f"tag {name!r}")
    keywords = page.items[0]["keywords"] if page.items else [name]
    out = tag_dict(next((k for k in keywords if k.lower() == name.lower()), name))
    if boolean(call.params, "include_datasets", False):
        out["packages"] = [package_dict(d, call.base_url) for d in page.items]
    return out
