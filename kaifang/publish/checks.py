"""Checks a new version passes before it is written: not too many ragged rows, and the same
columns as the current version unless the publisher accepts the change.

Both refusals can be overridden (``allow_ragged``, ``allow_schema_change``); what was
accepted stays on record: the ragged rows as problems in the version's manifest and
summary, the schema difference in the version's history entry.
"""

from __future__ import annotations

from typing import Any

from kaifang.errors import RaggedRowsError, SchemaChangeError
from kaifang.reading import Table
from kaifang.storage.columns import SchemaFields, describe_difference, schema_difference

# A file with more ragged rows than this share of its data rows is refused.
RAGGED_SHARE = 0.01


def check_ragged(table: Table, *, allow_ragged: bool) -> None:
    if allow_ragged or table.ragged_rows <= RAGGED_SHARE * max(table.rows, 1):
        return
    rows = [p.row for p in table.problems if p.code in ("extra-cells", "missing-cells")]
    first = ", ".join(str(r) for r in rows[:10])
    more = " ..." if table.ragged_rows > 10 else ""
    raise RaggedRowsError(
        f"{table.ragged_rows} of {table.rows} data rows have more or fewer cells than the "
        f"header's {len(table.fields)} (rows {first}{more}): more than "
        f"{RAGGED_SHARE:.0%} of the file, so values would be padded or set aside",
        file=table.file,
        hint=f"See every such row with 'kaifang inspect {table.file.name}' and fix the file; "
        "or publish anyway with --allow-ragged (API: allow_ragged=true) — extra values are "
        "kept in the version's problems, missing cells are empty.",
    )


def check_schema(
    resource: str,
    version: int,
    before: SchemaFields,
    after: SchemaFields,
    *,
    allow_schema_change: bool,
) -> dict[str, Any]:
    """The difference from the current version's columns; refused unless accepted."""
    difference = schema_difference(before, after)
    if difference and not allow_schema_change:
        raise SchemaChangeError(
            f"the columns differ from {resource} version {version}: "
            f"{describe_difference(difference)}",
            hint="Publish a file with the same columns, or accept the change with "
            "--allow-schema-change (API: allow_schema_change=true); the difference is "
            "recorded in the version's history.",
            schema_change=difference,
        )
    return difference
