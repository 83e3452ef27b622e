"""What every flagship source declares about its columns.

A :class:`SourceColumn` is the manual's column id plus the zh-TW title, unit, description and
Table Schema type. Importers of headerless files (TDCS, CEC) pass these in to reading; the
catalog shows the title, unit and description.
"""

from __future__ import annotations

from dataclasses import dataclass

from kaifang.reading.model import Field


@dataclass(frozen=True)
class SourceColumn:
    """One column of an upstream file, named as its publisher's format document names it."""

    name: str
    title: str
    type: str = "string"
    description: str = ""
    unit: str = ""

    def to_field(self) -> Field:
        """The reading :class:`Field`; the unit is appended to the description."""
        description = f"{self.description}（單位：{self.unit}）" if self.unit else self.description
        return Field(name=self.name, type=self.type, title=self.title, description=description)


def column_names(columns: tuple[SourceColumn, ...]) -> list[str]:
    """The column ids in file order."""
    return [c.name for c in columns]
