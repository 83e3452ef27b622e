"""CKAN's activity actions over kaifang's activity stream: ``package_activity_list``,
``organization_activity_list`` and ``recently_changed_packages_activity_list``, in CKAN's
activity shape (``activity_type`` "new package", "changed package" or "deleted package", the
package in ``data``), newest first, paged with ``offset`` and ``limit``."""

from __future__ import annotations

from typing import Any

from kaifang.api.compat.ckan.core import Call, action, invalid, required

CKAN_TYPES = {"dataset_created": "new package", "dataset_withdrawn": "deleted package"}
MAX_LIMIT = 100
MAX_OFFSET = 900


def _paging(call: Call) -> tuple[int, int]:
    try:
        limit = int(call.params.get("limit") or 31)
        offset = int(call.params.get("offset") or 0)
    except (TypeError, ValueError):
        raise invalid("limit", "limit and offset must be whole numbers") from None
    if not (1 <= limit <= MAX_LIMIT and 0 <= offset <= MAX_OFFSET):
        raise invalid("limit", f"limit must be 1 to {MAX_LIMIT}; offset at most {MAX_OFFSET}")
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
    call: Call, *, organization: str | None = None, dataset: str | None = None
) -> list[dict[str, Any]]:
    limit, offset = _paging(call)
    rows = call.service.activity(limit=offset + limit, organization=organization, dataset=dataset)
    return [ckan_activity(a) for a in rows[offset : offset + limit]]


@action("package_activity_list")
def package_activity_list(call: Call) -> list[Any]:
    """A dataset's activity, newest first. Parameters: ``id``, ``limit`` (≤ 100), ``offset``."""
    return _list(call, dataset=required(call.params, "id"))


@action("organization_activity_list")
def organization_activity_list(call: Call) -> list[Any]:
    """An organization's activity, newest first. Parameters: ``id`` (its code, any case),
    ``limit``, ``offset``."""
    return _list(call, organization=required(call.params, "id").upper())


@action("recently_changed_packages_activity_list")
def recently_changed_packages_activity_list(call: Call) -> list[Any]:
    """The whole catalog's activity, newest first. Parameters: ``limit``, ``offset``."""
    return _list(call)
