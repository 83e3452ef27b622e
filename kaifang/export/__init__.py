"""Exports: a version's rows as CSV, JSON, NDJSON, Parquet or XLSX, streamed in chunks.

Used by the download endpoints, the national spec's dump and ``kaifang export``.
"""

from kaifang.export.formats import FORMATS, ExportFormat, stream_rows

__all__ = ["FORMATS", "ExportFormat", "stream_rows"]
