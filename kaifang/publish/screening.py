"""The screening step of a publish: screen, apply the publisher's policy, screen the result
again, verify it, and refuse while personal data would be published by accident.

The flow is the privacy layer's (docs/privacy.md): screen -> policy -> apply_policy -> screen
again -> verify -> gate, in two halves around the version's write. :func:`prepare_screening`
applies the policy (screening the rows as read only when there is one); the publish writes
the rows to the store's staging area; :func:`finish_screening` screens the rows as written,
verifies them and applies the gate before the version becomes visible (a refusal discards
the staged files). A structured legal basis (``--allow-personal-data`` or ``--law``/
``--article``, with ``--basis-columns``) lets the columns a law makes public through; its law,
article, note, columns and approver are recorded in the summary (``legal_basis_detail``), the
catalog and the manifest.
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
from kaifang.privacy.legal_basis import LegalBasis, covered_columns
from kaifang.privacy.transforms import suppressed_classes
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
    legal_basis: LegalBasis | None
    rules: Policy | None
    before: ScreeningReport | None  # the rows as read, screened only when a policy applies
    original_rows: int | None
    in_file_order: bool = True
    """Whether the rows to write come in the file's order: not when the policy removes rare
    rows (they come out of the count grouped by class)."""


def prepare_screening(
    relation: duckdb.DuckDBPyRelation,
    policy: Mapping[str, Any] | None,
    settings: Settings,
    legal_basis: LegalBasis | None,
    *,
    name: str = "file",
    rows: int | None = None,
) -> tuple[duckdb.DuckDBPyRelation, ScreeningPlan]:
    """The rows to write (the policy applied, if any) and the plan that
    :func:`finish_screening` completes on the written rows. Without a policy nothing is read
    here: the written rows are the rows as read, and they are screened once, after writing."""
    # The caller checked who may cite an unlisted law (kaifang.service for the portal and
    # the API; the CLI's operator holds the data directory, an admin).
    rules = Policy.from_dict(dict(policy), source="policy") if policy is not None else None
    if rules is None:
        return relation, ScreeningPlan(name, legal_basis, None, None, rows)
    unknown = sorted(set(rules.columns) - set(relation.columns))
    if unknown:
        raise ValidationError(
            f"policy names columns the file does not have: {', '.join(unknown)}",
            hint="Columns: " + ", ".join(relation.columns) + ".",
        )
    # The rows as read are classified (the report's columns, describes_people); their classes
    # are not counted: the gate counts those of the rows published, on the written files.
    before = screen(relation, settings=settings, table_name=name, rows=rows, count_classes=False)
    published = apply_policy(relation, rules, settings)
    in_file_order = not suppressed_classes(relation.columns, rules)
    return published, ScreeningPlan(name, legal_basis, rules, before, before.rows, in_file_order)


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
    name, rules = plan.name, plan.rules
    after = screen(published, settings=settings, table_name=name, rows=rows, sample=sample)
    legal_basis = plan.legal_basis
    if legal_basis is not None:
        identifiers = {
            c.name: c.detectors for c in after.columns if c.category == "direct_identifier"
        }
        legal_basis = covered_columns(legal_basis, identifiers, columns=published.columns)
    before = plan.before or after
    verification = None
    if rules is not None:
        verification = verify(
            published, rules, settings, original_rows=plan.original_rows, rescreened=after
        )
    exception = rules.public_by_nature if rules is not None else None
    failures = gate(after, verification, allow_personal_data=legal_basis, exception=exception)
    about_people = describes_people(before)
    if failures:
        lines = "; ".join(f"{f.message} → {f.fix}" for f in failures)
        raise PublishRefusedError(
            f"{name}: not published, personal data would be released: {lines}",
            hint="Write a policy with `kaifang scan FILE --write-policy POLICY.yaml`, edit it, "
            "and publish with --policy POLICY.yaml; when the rows are public by nature "
            "(incidents at coarsened places, no person), record why in the policy's "
            "public_by_nature; when a law makes the data public, "
            'pass --allow-personal-data "LAW第N條" --basis-columns COLUMN,... (listed bases: '
            '"kaifang privacy bases"; docs/privacy.md, "Legal bases").',
            columns=[f.to_dict() for f in failures],
        )
    personal = after.direct_identifiers
    kanon_failed = not after.k_anonymity.passes or (
        verification is not None and not verification.k_anonymity.passes
    )
    waived = exception is not None and kanon_failed
    return {
        "about_people": about_people,
        "status": "legal_basis"
        if legal_basis and personal
        else ("exception" if waived else "passed"),
        "exception": exception.to_dict() if waived and exception is not None else None,
        "publishable": True,
        "legal_basis": legal_basis.label if legal_basis else None,
        "legal_basis_detail": legal_basis.to_dict() if legal_basis else None,
        "direct_identifiers": personal,
        "unresolved": [c for c in personal if not legal_basis or c not in legal_basis.columns],
        "quasi_identifiers": after.quasi_identifiers,
        "k_anonymity": after.k_anonymity.to_dict(),
        "columns": _column_summary(before, rules),
        "policy": rules.to_dict() if rules else None,
        "verification": verification.to_dict() if verification else None,
        "rows_screened": before.rows,
    }
