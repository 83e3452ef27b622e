"""The screening step of a publish: screen, apply the publisher's policy, screen the result
again, verify it, and refuse while personal data would be published by accident.

The flow is the privacy layer's (docs/privacy.md): screen -> policy -> apply_policy -> screen
again -> verify -> gate, in two halves around the version's write. :func:`prepare_screening`
applies the policy (screening the rows as read only when there is one); the publish writes
the rows to the store's staging area; :func:`finish_screening` screens the rows as written,
verifies them and applies the gate before the version becomes visible (a refusal discards
the staged files). A legal basis (``--allow-personal-data``) lets data that a law makes
public through; it is recorded in the summary, the catalog and the manifest.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import yaml

from kaifang.errors import PublishRefusedError, ValidationError
from kaifang.privacy import Policy, ScreeningReport, apply_policy, gate, screen, verify
from kaifang.privacy.decide import PERSON_ATTRIBUTES, PERSON_DETECTORS
from kaifang.settings import Settings

PERSON_SIGNALS = PERSON_DETECTORS | PERSON_ATTRIBUTES | {"special_category"}


def load_policy(path: str | Path | None) -> dict[str, Any] | None:
    """Read a ``--policy POLICY.yaml`` file as a mapping (validated by the privacy layer)."""
    if path is None:
        return None
    file = Path(path)
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValidationError(
            f"{file.name}: cannot read the policy file ({exc.strerror})",
            hint="Check the path given to --policy.",
        ) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ValidationError(f"{file.name}: not valid UTF-8 YAML ({exc})") from None
    if not isinstance(raw, Mapping):
        raise ValidationError(
            f"{file.name}: a policy must be a YAML mapping with a 'columns' mapping",
            hint="Write one with: kaifang scan FILE --write-policy POLICY.yaml",
        )
    Policy.from_dict(dict(raw), source=f"policy {file.name}")  # fail before reading data
    return dict(raw)


def _column_summary(before: ScreeningReport, policy: Policy | None) -> list[dict[str, Any]]:
    out = []
    for col in before.columns:
        applied = policy.columns.get(col.name) if policy else None
        if col.category == "none" and applied is None:
            continue
        out.append(
            {
                "name": col.name,
                "category": col.category,
                "detectors": list(col.detectors),
                "match_rate": col.match_rate,
                "recommended": col.action,
                "applied": applied.to_dict() if applied else {"action": "keep"},
            }
        )
    return out


def describes_people(report: ScreeningReport) -> bool:
    """Whether rows are records about people: a person's name or attribute (birth date, age,
    sex, occupation), a special category, or any direct identifier was found."""
    found = {name for col in report.columns for name in col.detectors}
    return bool(report.direct_identifiers) or bool(found & PERSON_SIGNALS)


@dataclass(frozen=True)
class ScreeningPlan:
    """What the first half of the screening step decided, for the second half to finish."""

    name: str
    legal_basis: str | None
    rules: Policy | None
    before: ScreeningReport | None  # the rows as read, screened only when a policy applies
    original_rows: int | None


def prepare_screening(
    relation: duckdb.DuckDBPyRelation,
    policy: Mapping[str, Any] | None,
    settings: Settings,
    allow_personal_data: str | None,
    *,
    name: str = "file",
    rows: int | None = None,
) -> tuple[duckdb.DuckDBPyRelation, ScreeningPlan]:
    """The rows to write (the policy applied, if any) and the plan that
    :func:`finish_screening` completes on the written rows. Without a policy nothing is read
    here: the written rows are the rows as read, and they are screened once, after writing."""
    legal_basis = (allow_personal_data or "").strip() or None
    rules = Policy.from_dict(dict(policy), source="policy") if policy is not None else None
    if rules is None:
        return relation, ScreeningPlan(name, legal_basis, None, None, rows)
    unknown = sorted(set(rules.columns) - set(relation.columns))
    if unknown:
        raise ValidationError(
            f"policy names columns the file does not have: {', '.join(unknown)}",
            hint="Columns: " + ", ".join(relation.columns) + ".",
        )
    before = screen(relation, settings=settings, table_name=name, rows=rows)
    published = apply_policy(relation, rules, settings)
    return published, ScreeningPlan(name, legal_basis, rules, before, before.rows)


def finish_screening(
    plan: ScreeningPlan,
    published: duckdb.DuckDBPyRelation,
    settings: Settings,
    *,
    rows: int | None = None,
    sample: pa.Table | None = None,
) -> dict[str, Any]:
    """Screen the rows about to be published, verify the policy's result and apply the gate:
    the screening summary kept with the version, or :class:`PublishRefusedError` listing each
    blocking column with its one-line fix. ``rows``: the published row count, when known;
    ``sample``: a random sample of those rows, when already drawn."""
    name, legal_basis, rules = plan.name, plan.legal_basis, plan.rules
    after = screen(published, settings=settings, table_name=name, rows=rows, sample=sample)
    before = plan.before or after
    verification = None
    if rules is not None:
        verification = verify(published, rules, settings, original_rows=plan.original_rows)
    failures = gate(after, verification, allow_personal_data=legal_basis)
    about_people = describes_people(before)
    if rules is None and not about_people:
        # Incidents located in time and (coarsened) place, with no person in the row: the
        # k-anonymity result is kept in the summary for review but does not block.
        failures = [f for f in failures if f.code != "k_anonymity"]
    if failures:
        lines = "; ".join(f"{f.message} → {f.fix}" for f in failures)
        raise PublishRefusedError(
            f"{name}: not published, personal data would be released: {lines}",
            hint="Write a policy with `kaifang scan FILE --write-policy POLICY.yaml`, edit it, "
            "and publish with --policy POLICY.yaml; or, when a law makes the data public, "
            'pass --allow-personal-data "LEGAL BASIS".',
            columns=[f.to_dict() for f in failures],
        )
    personal = after.direct_identifiers
    return {
        "about_people": about_people,
        "status": "legal_basis" if legal_basis and personal else "passed",
        "publishable": True,
        "legal_basis": legal_basis,
        "direct_identifiers": personal,
        "unresolved": personal if not legal_basis else [],
        "quasi_identifiers": after.quasi_identifiers,
        "k_anonymity": after.k_anonymity.to_dict(),
        "columns": _column_summary(before, rules),
        "policy": rules.to_dict() if rules else None,
        "verification": verification.to_dict() if verification else None,
        "rows_screened": before.rows,
    }
