"""Reading: any supported file -> typed rows (DuckDB relation / Arrow batches), a Frictionless
Table Schema, notes (normalizations applied) and problems (row, column, code, message)."""

from kaifang.reading.model import FIELD_TYPES, Field, Note, Problem
from kaifang.reading.open import open_table
from kaifang.reading.table import Table

__all__ = ["FIELD_TYPES", "Field", "Note", "Problem", "Table", "open_table"]
