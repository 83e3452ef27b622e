"""Editing metadata from the portal: the form's values and choices, saving an edit (an
organization's editors and admins only; recorded as a metadata edit, never a data version,
then the dataset rescored), and the openness points a metadata edit wins back — per dataset
and, across an organization, ordered by points per minute of work."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from kaifang.catalog.categories import CATEGORIES
from kaifang.catalog.datasets import find_dataset
from kaifang.catalog.edits import current_values, edit_metadata, metadata_history
from kaifang.catalog.licenses import LICENSES, OTHER_LICENSE
from kaifang.catalog.metadata import COSTS, LANGUAGES, UPDATE_FREQUENCIES
from kaifang.catalog.models import WRITE_ROLES
from kaifang.catalog.records import UserRecord
from kaifang.errors import ForbiddenError, ValidationError
from kaifang.scoring.service import rescore_dataset

if TYPE_CHECKING:
    from kaifang.service import Service

# The form field that fixes each openness check a metadata edit can pass, and the minutes of
# work it takes (a column description: a minute each). Checks missing here need new data.
FIX_FIELDS: dict[str, tuple[str, int]] = {
    "M4": ("description", 5),
    "M3": ("contact_email", 2),
    "M2": ("keywords", 4),
    "M1": ("columns", 1),
    "T1": ("update_frequency", 1),
    "L1": ("license", 1),
    "L2": ("description", 3),
    "A3": ("cost", 1),
}
COLUMN_PREFIX = "column:"


def _writer_of(service: Service, user: UserRecord | None, org: str) -> None:
    role = user.role_in(org) if user else None
    if role not in WRITE_ROLES:
        raise ForbiddenError(
            f"only an editor or admin of {org} may edit its datasets' metadata",
            hint="Log in with an API token of a member of that organization.",
        )


def may_edit(user: UserRecord | None, org: str) -> bool:
    return (user.role_in(org) if user else None) in WRITE_ROLES


def fixes(score: Mapping[str, Any], dataset: str, *, columns: int = 1) -> list[dict[str, Any]]:
    """Each failed check of ``score`` (a ``DatasetScore.to_dict()``) that a metadata edit
    fixes: ``{dataset, code, points, field, minutes}``."""
    out = []
    for check in score.get("checks") or []:
        if check["passed"] or check["code"] not in FIX_FIELDS:
            continue
        field, minutes = FIX_FIELDS[check["code"]]
        out.append(
            {
                "dataset": dataset,
                "code": check["code"],
                "title": check["title"],
                "points": check["points_lost"],
                "field": field,
                "minutes": minutes * columns if field == "columns" else minutes,
            }
        )
    return out


def edit_form(service: Service, user: UserRecord | None, ref: str) -> dict[str, Any]:
    """What the edit form shows: the dataset, its current values, the choices of each field,
    the points each field wins back, and the dataset's metadata edits."""
    dataset = service.get_dataset(ref)
    _writer_of(service, user, dataset["organization"]["code"])
    with service.catalog.read() as session:
        row = find_dataset(session, ref)
        values = current_values(row)
        history = metadata_history(session, row)
    score = service.dataset_openness(dataset["id"])
    undocumented = sum(
        1 for described in values["columns"].values() for text in described.values() if not text
    )
    return {
        "dataset": dataset,
        "values": values,
        "history": history,
        "fixes": fixes(score, dataset["id"], columns=max(1, undocumented)),
        "score": score,
        "choices": {
            "category": [(c.code, {"zh-TW": c.name, "en": c.name_en}) for c in CATEGORIES],
            "license": [(lic.id, lic.title) for lic in LICENSES] + [(OTHER_LICENSE, "")],
            "cost": list(COSTS),
            "update_frequency": list(UPDATE_FREQUENCIES),
            "language": list(LANGUAGES),
        },
    }


def save_metadata(
    service: Service,
    user: UserRecord | None,
    ref: str,
    form: Mapping[str, str],
    *,
    now: datetime | None = None,
) -> tuple[dict[str, Any] | None, list[dict[str, str]]]:
    """Save the edit form: ``(result, [])``, or ``(None, problems)`` (each ``{field, code,
    message}``) when a value is refused and nothing was changed."""
    dataset = service.get_dataset(ref)
    _writer_of(service, user, dataset["organization"]["code"])
    columns: dict[str, dict[str, str]] = {}
    for key, value in form.items():
        if key.startswith(COLUMN_PREFIX):
            slug, _, column = key.removeprefix(COLUMN_PREFIX).partition(":")
            columns.setdefault(slug, {})[column] = value
    try:
        result = edit_metadata(
            service.catalog,
            dataset["id"],
            form,
            columns=columns,
            editor=(user.name if user else ""),
        )
    except ValidationError as error:
        problems = error.details.get("problems")
        if not isinstance(problems, list):
            raise
        return None, problems
    rescore_dataset(service.catalog, service.store, dataset["id"], now=now or datetime.now(UTC))
    return result, []


def organization_fixes(
    service: Service,
    code: str,
    *,
    now: datetime | None = None,
    datasets: list[dict[str, Any]] | None = None,
    scores: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Across the organization's datasets, every openness point a metadata edit wins back,
    most points per minute of work first; ``datasets`` and their ``scores`` (by id) when
    the caller has them already."""
    if datasets is None:
        datasets = service.organization(code, with_datasets=True)["datasets"]
    if scores is None:
        scores = service.dataset_scores([d["id"] for d in datasets], now=now)
    found: list[dict[str, Any]] = []
    for dataset in datasets:
        score = scores.get(dataset["id"])
        if score is None:  # removed meanwhile
            continue
        columns = sum(
            1
            for r in dataset.get("resources") or []
            for f in r.get("fields") or []
            if not (f.get("description") or "").strip()
        )
        for fix in fixes(score, dataset["id"], columns=max(1, columns)):
            found.append({**fix, "title_of_dataset": dataset["title"]})
    return sorted(found, key=lambda f: (-f["points"] / f["minutes"], -f["points"], f["dataset"]))
