"""The caller's part of a version manifest (the store adds files, rows, bytes, hashes)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb

from kaifang.catalog.models import utcnow
from kaifang.reading import Field, Table

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


DUCKDB_TO_SCHEMA = {
    "VARCHAR": "string",
    "BIGINT": "integer",
    "INTEGER": "integer",
    "SMALLINT": "integer",
    "TINYINT": "integer",
    "HUGEINT": "integer",
    "DOUBLE": "number",
    "FLOAT": "number",
    "BOOLEAN": "boolean",
    "DATE": "date",
    "TIMESTAMP": "datetime",
    "TIME": "time",
}


def published_fields(read: Sequence[Field], relation: duckdb.DuckDBPyRelation) -> list[Field]:
    """The fields of the rows as published: the privacy policy may have dropped columns or
    changed their type (a date generalized to a month is text)."""
    by_name = {f.name: f for f in read}
    out = []
    for name, dtype in zip(relation.columns, relation.dtypes, strict=True):
        kind = DUCKDB_TO_SCHEMA.get(str(dtype).split("(")[0], "string")
        original = by_name.get(name)
        if original is not None and (original.type == kind or original.type == "year"):
            out.append(original)
        else:
            out.append(Field(name=name, type=kind, notes=["changed by the privacy policy"]))
    return out


def described_fields(fields: Sequence[Field], descriptions: dict[str, str]) -> list[dict[str, Any]]:
    """Table Schema fields with the agency's column descriptions."""
    out = []
    for f in fields:
        schema = f.to_schema()
        if descriptions.get(f.name):
            schema["description"] = descriptions[f.name]
        out.append(schema)
    return out


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
    schema_change: dict[str, Any] | None = None,
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
            "problem_count": table.problem_count,
        },
        "schema_change": schema_change or {},
        "screening": screening,
        "legal_basis": legal_basis,
        "clustered_by": clustered_by,
    }


def version_summary(
    table: Table,
    *,
    screening: dict[str, Any],
    clustered_by: list[str],
    schema_change: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """What the catalog keeps about a version besides its columns: the screening summary, the
    sort order, how the agency's file was read (sniffed ``format`` and ``encoding``) and its
    reading problems (the first few, and their count) — what openness scoring rates — and how
    its columns differ from the version before (``schema_change``, empty when they do not)."""
    return {
        "screening": screening,
        "clustered_by": clustered_by,
        "source": {"format": table.format, "encoding": table.encoding},
        "reading": {
            "problems": [p.to_dict() for p in table.problems[:MAX_PROBLEMS_IN_SUMMARY]],
            "problem_count": table.problem_count,
        },
        "schema_change": schema_change or {},
    }
