"""Flagship sources: freeway (TDCS), elections (CEC), theft points, school directories.

Each subpackage holds the source's column definitions (``columns``), pure parsing helpers
written as DuckDB SQL expression builders (``parse``), and a generator of realistic files in
the exact upstream layout (``generate``).
"""
