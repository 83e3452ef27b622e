"""The caller's part of a version manifest (the store adds files, rows, bytes, hashes)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from kaifang.catalog.models import utcnow
from kaifang.reading import Table

MAX_PROBLEMS_IN_MANIFEST = 1_000
# The catalog keeps the first few problems in each version's summary (loaded with every
# listing, so it stays small); the manifest keeps up to MAX_PROBLEMS_IN_MANIFEST.
MAX_PROBLEMS_IN_SUMMARY = 5
_CHUNK = 1 << 20


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return f"sha256:{digest.hexdigest()}"


def described_fields(table: Table, descriptions: dict[str, str]) -> list[dict[str, Any]]:
    """The Table Schema fields of ``table`` with the agency's column descriptions."""
    fields = []
    for f in table.fields:
        schema = f.to_schema()
        if descriptions.get(f.name):
            schema["description"] = descriptions[f.name]
        fields.append(schema)
    return fields


def build_manifest(
    table: Table,
    *,
    resource: str,
    fields: list[dict[str, Any]],
    source_hash: str,
    publisher: str,
    screening: dict[str, Any],
    legal_basis: str | None,
    clustered_by: list[str],
) -> dict[str, Any]:
    problems = [p.to_dict() for p in table.problems]
    return {
        "resource": resource,
        "schema": {"fields": fields},
        "source": {
            "file": table.file.name,
            "sha256": source_hash,
            "format": table.format,
            "encoding": table.encoding,
            "delimiter": table.delimiter,
            "header_row": table.header_row,
            "rows": table.rows,
        },
        "created": utcnow().isoformat(),
        "publisher": publisher,
        "reading": {
            "notes": [n.to_dict() for n in table.notes],
            "problems": problems[:MAX_PROBLEMS_IN_MANIFEST],
            "problem_count": len(problems),
        },
        "screening": screening,
        "legal_basis": legal_basis,
        "clustered_by": clustered_by,
    }


def version_summary(
    table: Table, *, screening: dict[str, Any], clustered_by: list[str]
) -> dict[str, Any]:
    """What the catalog keeps about a version besides its columns: the screening summary, the
    sort order, how the agency's file was read (sniffed ``format`` and ``encoding``) and its
    reading problems (the first few, and their count) — what openness scoring rates."""
    return {
        "screening": screening,
        "clustered_by": clustered_by,
        "source": {"format": table.format, "encoding": table.encoding},
        "reading": {
            "problems": [p.to_dict() for p in table.problems[:MAX_PROBLEMS_IN_SUMMARY]],
            "problem_count": len(table.problems),
        },
    }
