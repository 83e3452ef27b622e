"""CKAN's activity actions over kaifang's activity stream: ``package_activity_list``,
``organization_activity_list`` and ``recently_changed_packages_activity_list``, in CKAN's
activity shape (``activity_type`` "new package", "changed package" or "deleted package", the
package in ``data``), newest first, paged with ``offset`` and ``limit``."""

from __future__ import annotations

from typing import Any

from kaifang.api.compat.ckan import Params, action, invalid
from kaifang.service.access import Service

CKAN_TYPES = {"dataset_created": "new package", "dataset_withdrawn": "deleted package"}
MAX_LIMIT = 100


def _paging(params: Params) -> tuple[int, int]:
    try:
        limit = int(params.get("limit") or 31)
        offset = int(params.get("offset") or 0)
    except ValueError:
        raise invalid("limit", "limit and offset must be whole numbers") from None
    if not (1 <= limit <= MAX_LIMIT and 0 <= offset <= 900):
        raise invalid("limit", f"limit must be 1 to {MAX_LIMIT}; offset at most 900")
    return limit, offset


def ckan_activity(activity: dict[str, Any]) -> dict[str, Any]:
    dataset = activity["dataset"]
    return {
        "id": str(activity["id"]),
        "timestamp": activity["created"].removesuffix("+00:00"),
        "user_id": activity["actor"],
        "object_id": dataset["id"],
        "activity_type": CKAN_TYPES.get(activity["kind"], "changed package"),
        "data": {
            "package": {
                "id": dataset["id"],
                "name": dataset["id"],
                "title": dataset["title"],
                "owner_org": activity["organization"]["code"].lower(),
            },
            "kaifang": {"kind": activity["kind"], **activity["detail"]},
        },
    }


def _list(
    service: Service,
    params: Params,
    *,
    organization: str | None = None,
    dataset: str | None = None,
) -> list[dict[str, Any]]:
    limit, offset = _paging(params)
    rows = service.activity(
        limit=offset + limit, organization=organization, dataset=dataset
    )  # newest first; offset + limit ≤ 1000, one query serves the page
    return [ckan_activity(a) for a in rows[offset : offset + limit]]


@action("package_activity_list")
def package_activity_list(service: Service, params: Params, base_url: str) -> list[Any]:
    ref = str(params.get("id") or "")
    if not ref:
        raise invalid("id", "id: Missing value")
    return _list(service, params, dataset=ref)


@action("organization_activity_list")
def organization_activity_list(service: Service, params: Params, base_url: str) -> list[Any]:
    ref = str(params.get("id") or "")
    if not ref:
        raise invalid("id", "id: Missing value")
    return _list(service, params, organization=ref.upper())


@action("recently_changed_packages_activity_list")
def recently_changed(service: Service, params: Params, base_url: str) -> list[Any]:
    return _list(service, params)
