"""The screening step of a publish: where the privacy layer plugs in.

Until :mod:`kaifang.privacy` provides ``screen`` / ``apply_policy`` / ``verify``, the step
passes every row through unchanged and says so in its summary; the pipeline around it (and
the ``--policy`` / ``--allow-personal-data`` options, with the legal basis recorded in the
catalog and the manifest) already has its final shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb
import yaml

from kaifang.errors import ValidationError
from kaifang.settings import Settings


def load_policy(path: str | Path | None) -> dict[str, Any] | None:
    """Read a ``--policy POLICY.yaml`` file as a mapping (validated further by privacy)."""
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
            f"{file.name}: a policy must be a YAML mapping of column: action",
            hint="See docs/privacy.md for the policy format.",
        )
    return dict(raw)


def screen_step(
    relation: duckdb.DuckDBPyRelation,
    policy: Mapping[str, Any] | None,
    settings: Settings,
    allow_personal_data: str | None,
) -> tuple[duckdb.DuckDBPyRelation, dict[str, Any]]:
    """Screen ``relation`` and apply ``policy``; return the rows to publish and the summary
    stored in the version's manifest. Placeholder: passes everything through."""
    del settings  # used once the privacy layer lands
    return relation, {
        "status": "not_screened",
        "message": "privacy screening is not installed yet; rows were published unchanged",
        "policy": dict(policy) if policy else None,
        "legal_basis": allow_personal_data or None,
        "columns": [],
    }
