"""Write actions, each authorized by the caller's API token (``Authorization: <token>`` or
``X-CKAN-API-Key``) and the role it gives in the dataset's organization.

A package is a dataset's record: ``package_create``/``update``/``patch``/``revise`` edit it,
``package_delete`` withdraws it (out of listings; record and versions kept). Data arrives
only as a file (``resource_create``/``update``/``patch`` with ``upload``) or as records
(``datastore_create``), and becomes a new version through the normal publish path — reading,
screening, the privacy gate — exactly like ``kaifang publish``.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from kaifang.api.compat.ckan.core import (
    Call,
    Params,
    action,
    boolean,
    invalid,
    invalid_fields,
    json_value,
    required,
)
from kaifang.api.compat.ckan.shapes import CUSTOM_FIELDS, package_dict, resource_dict
from kaifang.catalog.editing import ResourceSpec
from kaifang.catalog.metadata import DatasetMetadata, validate_metadata
from kaifang.errors import (
    ConflictError,
    KaifangError,
    NotFoundError,
    PublishRefusedError,
    ValidationError,
)
from kaifang.service import UserRecord
from kaifang.service.uploads import upload_name

SIMPLE_FIELDS = {
    "title": "title",
    "notes": "description",
    "license_id": "license",
    "url": "landing_page",
}
"""CKAN package field -> kaifang metadata key."""
EXTRA_FIELDS = ("category", "update_frequency", "spatial", "language", "cost", "cost_law",
                "title_en")  # fmt: skip
"""kaifang metadata keys a package may carry as extras (or as top-level fields)."""
READ_ONLY_EXTRAS = {"identifier"}


def _extras(params: Params) -> dict[str, Any]:
    raw = json_value(params, "extras") or []
    if isinstance(raw, dict):
        return dict(raw)
    if not isinstance(raw, list):
        raise invalid("extras", "extras: a list of {key, value} objects")
    out: dict[str, Any] = {}
    for item in raw:
        if not isinstance(item, dict) or "key" not in item:
            raise invalid("extras", "extras: a list of {key, value} objects")
        out[str(item["key"])] = item.get("value")
    return out


def _tags(params: Params) -> list[str] | None:
    tags = json_value(params, "tags")
    if tags is not None:
        if not isinstance(tags, list):
            raise invalid("tags", "tags: a list of {name} objects")
        return [str(t.get("name") if isinstance(t, dict) else t) for t in tags]
    if params.get("tag_string") is not None:
        return [t.strip() for t in str(params["tag_string"]).split(",") if t.strip()]
    return None


def _groups(params: Params) -> str | None:
    groups = json_value(params, "groups")
    if groups is None:
        return None
    if not isinstance(groups, list):
        raise invalid("groups", "groups: a list of {name} objects")
    names = [str(g.get("name") or g.get("id") if isinstance(g, dict) else g) for g in groups]
    if len(names) > 1:
        raise invalid(
            "groups",
            "groups: a dataset belongs to one national service category, not "
            f"{len(names)} ({', '.join(names)})",
        )
    return names[0] if names else ""


def metadata_of(params: Params) -> tuple[DatasetMetadata, dict[str, Any]]:
    """A package's fields as kaifang metadata and the custom fields kept beside it; a 409
    naming every field that fails, in CKAN's terms."""
    extras = _extras(params)
    raw: dict[str, tuple[Any, str]] = {}  # kaifang key -> (value, CKAN field)
    for field, key in SIMPLE_FIELDS.items():
        raw[key] = (params.get(field), field)
    if not raw["title"][0]:
        raw["title"] = (params.get("name"), "name")
    for key in EXTRA_FIELDS:
        if params.get(key) not in (None, ""):
            raw[key] = (params[key], key)
        elif extras.get(key) not in (None, ""):
            raw[key] = (extras[key], "extras")
    category = _groups(params)
    if category:
        raw["category"] = (category, "groups")
    tags = _tags(params)
    if tags is not None:
        raw["keywords"] = (tags, "tags")
    contact = {
        "name": params.get("maintainer") or "",
        "email": params.get("maintainer_email") or "",
        "phone": extras.get("contact_phone") or "",
    }
    if any(contact.values()):
        raw["contact"] = (contact, "maintainer_email")
    span = {"from": extras.get("temporal_coverage_from"), "to": extras.get("temporal_coverage_to")}
    if any(span.values()):
        raw["temporal_coverage"] = (span, "extras")
    values = {k: v for k, (v, _) in raw.items() if v not in (None, "")}
    problems: dict[str, list[str]] = {}
    for key, value in values.items():
        try:
            validate_metadata({key: value})
        except ValidationError as exc:
            problems.setdefault(raw[key][1], []).extend(
                exc.details.get("problems") or [exc.message]
            )
    if problems:
        raise invalid_fields(problems)
    known = set(EXTRA_FIELDS) | READ_ONLY_EXTRAS | {
        "contact_phone", "temporal_coverage_from", "temporal_coverage_to"
    }  # fmt: skip
    custom = {k: v for k, v in extras.items() if k not in known}
    custom.update({k: params[k] for k in CUSTOM_FIELDS if params.get(k) not in (None, "")})
    try:
        return validate_metadata(values), {"custom": custom}
    except ValidationError as exc:
        raise invalid_fields(
            {"extras": list(exc.details.get("problems") or [exc.message])}
        ) from None


def _resource_specs(params: Params, *, creating: bool) -> list[ResourceSpec] | None:
    resources = json_value(params, "resources")
    if resources is None:
        return None
    if not isinstance(resources, list) or not all(isinstance(r, dict) for r in resources):
        raise invalid("resources", "resources: a list of resource objects")
    return [
        ResourceSpec(
            name=str(r.get("name") or ""),
            ref=None if creating else (str(r["id"]) if r.get("id") else None),
            slug=str(r["id"]) if r.get("id") else None,
        )
        for r in resources
    ]


def _state(params: Params) -> bool | None:
    state = params.get("state")
    if state in (None, ""):
        return None
    if state not in ("active", "deleted"):
        raise invalid("state", "state: active or deleted")
    return bool(state == "active")


@action("package_create", writes=True)
def package_create(call: Call) -> dict[str, Any]:
    """A new dataset of organization ``owner_org`` (an editor's or admin's) from a CKAN
    package: ``name`` (its id), ``title``, ``notes``, ``tags``, ``license_id``, ``groups``
    (one service category), ``maintainer``, ``maintainer_email``, ``url``, ``version``,
    ``author_email``, ``extras``; ``resources`` are made empty and get data with
    ``resource_update`` (``upload``)."""
    user = call.user()
    params = call.params
    if boolean(params, "private", False):
        raise invalid(
            "private",
            "private: kaifang publishes open data only; a private dataset is not supported "
            "(keep the file unpublished until it may be public)",
        )
    organization = json_value(params, "organization")
    org = params.get("owner_org") or (
        organization.get("name") if isinstance(organization, dict) else None
    )
    if not org:
        raise invalid("owner_org", "owner_org: Missing value")
    metadata, extras = metadata_of(params)
    name = str(params.get("name") or "").strip() or None
    try:
        slug = call.service.create_dataset_as(
            user,
            org=str(org),
            metadata=metadata,
            slug=name,
            extras=extras,
            resources=_resource_specs(params, creating=True),
        )
    except NotFoundError as exc:
        if exc.details.get("key") == "dataset":
            raise
        raise invalid("owner_org", f"owner_org: Organization does not exist ({org})") from None
    except ConflictError as exc:
        raise invalid("name", "That URL is already in use.") from exc
    return package_dict(call.service.get_dataset(slug), call.base_url)


def _update(call: Call, params: Params) -> dict[str, Any]:
    user = call.user()
    ref = required(params, "id") if params.get("id") else required(params, "name")
    current = call.service.get_dataset(ref)
    org = params.get("owner_org")
    if org and str(org).upper() != current["organization"]["code"]:
        raise invalid(
            "owner_org", "owner_org: kaifang does not move a dataset to another organization"
        )
    metadata, extras = metadata_of(params)
    slug = call.service.update_dataset_as(
        user,
        current["id"],
        metadata=metadata,
        extras=extras,
        resources=_resource_specs(params, creating=False),
        listed=_state(params),
    )
    return package_dict(call.service.get_dataset(slug), call.base_url)


@action("package_update", writes=True)
def package_update(call: Call) -> dict[str, Any]:
    """Replace dataset ``id``'s record with the package given (fields left out are
    cleared; ``resources``, when given, are the dataset's resources: new ones are added
    empty, and one with published versions cannot be left out). ``state: active`` lists a
    withdrawn dataset again."""
    return _update(call, call.params)


def _editable(dataset: dict[str, Any], base_url: str) -> dict[str, Any]:
    """The package of ``dataset`` as the base of a patch: without resources, and ``url``
    only when a landing page was given (not the dataset page it defaults to)."""
    package = package_dict(dataset, base_url)
    package.pop("resources")
    package["url"] = dataset.get("landing_page") or ""
    return package


@action("package_patch", writes=True)
def package_patch(call: Call) -> dict[str, Any]:
    """Change only the fields given of dataset ``id``."""
    current = call.service.get_dataset(required(call.params, "id"))
    return _update(call, {**_editable(current, call.base_url), **call.params})


@action("package_revise", writes=True)
def package_revise(call: Call) -> dict[str, Any]:
    """``match`` (``{"id": ...}`` or ``{"name": ...}``) names the dataset; ``update`` (or
    ``update__FIELD`` parameters) gives the fields to change. Answers ``{package}``."""
    match = json_value(call.params, "match") or {}
    if not isinstance(match, dict):
        raise invalid("match", "match: a JSON object with id or name")
    for key, value in call.params.items():
        if key.startswith("match__"):
            match[key.removeprefix("match__")] = value
    ref = match.get("id") or match.get("name")
    if not ref:
        raise invalid("match", "match: give id or name")
    update = json_value(call.params, "update") or {}
    if not isinstance(update, dict):
        raise invalid("update", "update: a JSON object of fields")
    for key, value in call.params.items():
        if key.startswith("update__"):
            update[key.removeprefix("update__")] = value
    current = _editable(call.service.get_dataset(str(ref)), call.base_url)
    return {"package": _update(call, {**current, **update, "id": current["id"]})}


@action("package_delete", writes=True)
def package_delete(call: Call) -> None:
    """Withdraw dataset ``id``: out of listings, search and counts; its record (``state:
    deleted``) and every version stay, and a new version or ``state: active`` lists it
    again."""
    user = call.user()
    call.service.withdraw_dataset_as(user, required(call.params, "id"))


# -- resources -----------------------------------------------------------------------------
def publish_to_resource(
    call: Call, user: UserRecord, dataset_ref: str, resource_ref: str, path: Path
) -> str:
    """Publish ``path`` as the new version of a resource; its id. The gate's refusals and
    reading errors are 409s naming ``upload``."""
    params = call.params
    try:
        result = call.service.publish_upload(
            user,
            dataset_ref,
            resource_ref,
            path,
            legal_basis={  # the same structured basis as the native upload's form
                "legal_basis": params.get("allow_personal_data"),
                "basis_law": params.get("basis_law"),
                "basis_article": params.get("basis_article"),
                "basis_note": params.get("basis_note"),
                "basis_columns": params.get("basis_columns"),
            },
            allow_ragged=boolean(params, "allow_ragged", False),
            allow_schema_change=boolean(params, "allow_schema_change", False),
        )
    except PublishRefusedError as exc:
        messages = [
            f"{c.get('column')}: {c.get('message')} → {c.get('fix')}"
            for c in exc.details.get("columns") or []
        ]
        raise invalid_fields({"upload": messages or [exc.message]}) from None
    except KaifangError as exc:
        if exc.status in (401, 403, 404) or exc.status >= 500:
            raise
        hint = f" ({exc.hint})" if exc.hint else ""
        raise invalid_fields({"upload": [exc.message + hint]}) from None
    return str(result["resource"])


def _publish_upload(call: Call, user: UserRecord, dataset_ref: str, resource_ref: str) -> None:
    upload = call.files.get("upload")
    if upload is None:
        return
    name = upload_name(upload.filename)
    with tempfile.TemporaryDirectory(prefix="kaifang-upload-") as tmp:
        path = Path(tmp) / name
        with path.open("wb") as out:
            shutil.copyfileobj(upload.stream, out, length=1024 * 1024)
        publish_to_resource(call, user, dataset_ref, resource_ref, path)


def _resource_answer(call: Call, ref: str) -> dict[str, Any]:
    resource = call.service.get_resource(ref)
    dataset = call.service.get_dataset(resource["dataset_id"])
    position = [r["id"] for r in dataset["resources"]].index(resource["id"])
    return resource_dict(dataset["resources"][position], dataset, call.base_url, position=position)


@action("resource_create", writes=True)
def resource_create(call: Call) -> dict[str, Any]:
    """A new resource of dataset ``package_id`` named ``name``; with ``upload`` (a file,
    multipart) its first version is published (reading, screening, privacy gate; a legal
    basis in ``allow_personal_data``). A ``url`` without a file is not fetched."""
    user = call.user()
    dataset = call.service.get_dataset(required(call.params, "package_id"))
    upload = call.files.get("upload")
    name = str(call.params.get("name") or (Path(upload.filename).stem if upload else "") or "")
    slug = call.service.add_resource_as(
        user, dataset["id"], ResourceSpec(name=name, slug=call.params.get("id") or None)
    )
    _publish_upload(call, user, dataset["id"], slug)
    return _resource_answer(call, slug)


@action("resource_update", writes=True)
def resource_update(call: Call) -> dict[str, Any]:
    """Resource ``id``: a new ``name``, and with ``upload`` a new version through the
    publish path (``allow_schema_change``, ``allow_ragged``, ``allow_personal_data`` as
    for ``kaifang publish``). Earlier versions stay."""
    user = call.user()
    resource = call.service.get_resource(required(call.params, "id"))
    if call.params.get("name"):
        call.service.rename_resource_as(user, resource["id"], str(call.params["name"]))
    else:
        call.service.get_dataset(resource["dataset_id"])
    _publish_upload(call, user, resource["dataset_id"], resource["id"])
    return _resource_answer(call, resource["id"])


@action("resource_patch", writes=True)
def resource_patch(call: Call) -> dict[str, Any]:
    """As ``resource_update``: only the fields given change."""
    return resource_update(call)


def resolve_resource_target(call: Call, user: UserRecord) -> tuple[str, str]:
    """``(dataset id, resource id)`` of ``resource_id``, or of a new resource made from
    ``resource: {package_id, name}`` (datastore_create)."""
    if call.params.get("resource_id"):
        resource = call.service.get_resource(str(call.params["resource_id"]))
        return resource["dataset_id"], resource["id"]
    spec = json_value(call.params, "resource")
    if not isinstance(spec, dict) or not spec.get("package_id"):
        raise invalid("resource_id", "resource_id: Missing value (or resource: {package_id, name})")
    dataset = call.service.get_dataset(str(spec["package_id"]))
    slug = call.service.add_resource_as(
        user, dataset["id"], ResourceSpec(name=str(spec.get("name") or ""))
    )
    return dataset["id"], slug
