"""What reading produces: fields, notes, problems and the table handle's contract."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# Frictionless Table Schema types that kaifang infers.
FIELD_TYPES = ("string", "integer", "number", "boolean", "date", "datetime", "time", "year")


@dataclass
class Note:
    """A normalization the reader applied (a finding, not an error)."""

    code: str
    message: str
    column: str | None = None
    count: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass
class Problem:
    """A cell or row the reader could not read as the column's type, or a row with more or
    fewer cells than the header; ``row`` is 1-based counting data rows (the header is not a
    data row). ``values`` keeps cells that are in no column (``extra-cells``)."""

    row: int | None
    column: str | None
    code: str
    message: str
    values: list[str] | None = None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        if self.values is None:
            del out["values"]
        return out


@dataclass
class Field:
    """One column: Table Schema ``name``/``type``, plus what reading did to it."""

    name: str
    type: str = "string"
    description: str = ""
    title: str = ""
    format: str = "default"
    notes: list[str] = field(default_factory=list)

    def to_schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "type": self.type}
        if self.title:
            out["title"] = self.title
        if self.description:
            out["description"] = self.description
        if self.format != "default":
            out["format"] = self.format
        return out
