"""How large a file the reader accepts: columns, line and cell length, and how far an
archive (XLSX, ODS, zip, tar.gz) may expand, checked before it is expanded.

The defaults are the settings' defaults (``read_max_*``); a server or CLI passes
``ReadLimits.from_settings(settings)``.
"""

from __future__ import annotations

import dataclasses
import re
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kaifang.errors import ReadError
from kaifang.settings import Settings

_LINE_ERROR = re.compile(r"CSV Error on Line: (?P<line>[0-9]+)")


@dataclass(frozen=True)
class ReadLimits:
    max_columns: int
    max_line_bytes: int
    max_cell_chars: int
    max_expanded_bytes: int
    max_expansion_ratio: int

    @classmethod
    def from_settings(cls, settings: Settings) -> ReadLimits:
        return cls(
            max_columns=settings.read_max_columns,
            max_line_bytes=settings.read_max_line_kb * 1024,
            max_cell_chars=settings.read_max_cell_chars,
            max_expanded_bytes=settings.read_max_expanded_mb * 1024 * 1024,
            max_expansion_ratio=settings.read_max_expansion_ratio,
        )

    def check_columns(self, count: int, file: Path) -> None:
        if count > self.max_columns:
            raise ReadError(
                f"the table has {count:,} columns; at most {self.max_columns:,} are accepted",
                file=file,
                hint="Split the table into narrower files (or long format: one row per "
                "value), or raise the read_max_columns setting.",
            )

    def check_cell(self, text: str, file: Path, row: int, column: int) -> None:
        if len(text) > self.max_cell_chars:
            raise ReadError(
                f"a cell holds {len(text):,} characters; at most {self.max_cell_chars:,} are "
                "accepted",
                file=file,
                row=row,
                column=f"#{column + 1}",
                hint="Publish long texts as documents, not cells, or raise the "
                "read_max_cell_chars setting.",
            )

    def line_error(self, message: str, file: Path) -> ReadError | None:
        """The error for DuckDB's "Maximum line size ... exceeded", else None."""
        if "Maximum line size" not in message:
            return None
        match = _LINE_ERROR.search(message)
        where = f"line {match.group('line')}" if match else "a line"
        return ReadError(
            f"{where} is longer than {self.max_line_bytes // 1024:,} KB",
            file=file,
            hint="Check that the delimiter and quotes are right (an unclosed quote makes one "
            "huge line), or raise the read_max_line_kb setting.",
        )

    def check_zip(self, path: Path) -> None:
        """Refuse a zip (XLSX and ODS are zips) whose members would expand past the limits,
        from its directory, before anything is expanded."""
        try:
            with zipfile.ZipFile(path) as archive:
                members = archive.infolist()
        except (zipfile.BadZipFile, OSError):
            return  # not a zip after all: the reader says what it is
        expanded = sum(member.file_size for member in members)
        self._check_expansion(path, expanded, path.stat().st_size)

    def checked_tar(self, tar: tarfile.TarFile, archive: Path) -> Iterator[tarfile.TarInfo]:
        """``tar``'s members, refusing the one that would take the expanded total past the
        limits before it is extracted (a gzip stream's size is known only as it is read)."""
        expanded = 0
        for member in tar:
            expanded += max(member.size, 0)
            self._check_expansion(archive, expanded, archive.stat().st_size)
            yield member

    def _check_expansion(self, path: Path, expanded: int, compressed: int) -> None:
        if expanded > self.max_expanded_bytes:
            raise ReadError(
                f"the archive expands to {expanded / 2**20:,.0f} MB or more; at most "
                f"{self.max_expanded_bytes / 2**20:,.0f} MB is accepted",
                file=path,
                hint="Split the data into smaller files, or raise the read_max_expanded_mb "
                "setting.",
            )
        if expanded > 1024 * 1024 and expanded > compressed * self.max_expansion_ratio:
            raise ReadError(
                f"the archive expands {expanded / max(compressed, 1):,.0f} times its size; at "
                f"most {self.max_expansion_ratio} times is accepted",
                file=path,
                hint="Such ratios come from padding or decompression bombs: save the file "
                "again from its application, or raise the read_max_expansion_ratio setting.",
            )


DEFAULT_LIMITS = ReadLimits.from_settings(Settings())
SOURCE_ARCHIVE_LIMITS = dataclasses.replace(DEFAULT_LIMITS, max_expanded_bytes=16 * 1024**3)
"""For the flagship sources' own archives (a TDCS day, the election database), which an
operator imports: a whole day of trips is about a GB, so only the ratio is as strict."""
