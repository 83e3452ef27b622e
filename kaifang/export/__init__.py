"""Exports: a version's rows as CSV, JSON, NDJSON, Parquet or XLSX, streamed in chunks.

Used by the download endpoints (``GET /api/resources/{id}/download.{fmt}``) and the national
spec's dump.
"""

from kaifang.export.formats import FORMATS, ExportFormat, stream_rows

__all__ = ["FORMATS", "ExportFormat", "stream_rows"]
