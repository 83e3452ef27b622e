"""Where TDCS files go: the history folder layout and the daily ``.tar.gz`` archives.

``M03A/20240325/00/TDCS_M03A_20240325_000000.csv`` under the output folder, or the same
paths inside ``M03A_20240325.tar.gz`` (whose root folder is ``M03A/``). Archives are
byte-for-byte reproducible (fixed member times, no gzip timestamp).
"""

from __future__ import annotations

import gzip
import io
import tarfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path


def file_path(code: str, day: date, minute_of_day: int) -> str:
    """The upstream relative path of the file starting at ``minute_of_day``."""
    ymd = day.strftime("%Y%m%d")
    hh, mm = divmod(minute_of_day, 60)
    return f"{code}/{ymd}/{hh:02d}/TDCS_{code}_{ymd}_{hh:02d}{mm:02d}00.csv"


def archive_name(code: str, day: date) -> str:
    """The daily archive's name, e.g. ``M03A_20240325.tar.gz``."""
    return f"{code}_{day.strftime('%Y%m%d')}.tar.gz"


class DaySink:
    """Receives one dataset-day's files and writes them as a folder tree or one archive."""

    def __init__(self, out_dir: Path, code: str, day: date, *, archive: bool) -> None:
        self.out_dir = out_dir
        self.code = code
        self.day = day
        self.archive = archive
        self.rows = 0
        self.written: list[Path] = []
        self._members: list[tuple[str, bytes]] = []

    def add(self, minute_of_day: int, text: str) -> None:
        relative = file_path(self.code, self.day, minute_of_day)
        data = text.encode("utf-8")
        self.rows += text.count("\n")
        if self.archive:
            self._members.append((relative, data))
            return
        target = self.out_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        self.written.append(target)

    def close(self) -> None:
        """Write the archive (when archiving); folder files are already on disk."""
        if not self.archive:
            return
        target = self.out_dir / archive_name(self.code, self.day)
        target.parent.mkdir(parents=True, exist_ok=True)
        # Member times: midnight after the day, Taiwan time, whatever the machine's zone.
        taipei = timezone(timedelta(hours=8))
        stamp = (
            int(datetime(self.day.year, self.day.month, self.day.day, tzinfo=taipei).timestamp())
            + 86400
        )
        raw = io.BytesIO()
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as zipped:
            with tarfile.open(fileobj=zipped, mode="w", format=tarfile.GNU_FORMAT) as tar:
                for folder in _folders(self._members):
                    info = tarfile.TarInfo(folder)
                    info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, stamp
                    tar.addfile(info)
                for name, data in self._members:
                    info = tarfile.TarInfo(name)
                    info.size, info.mode, info.mtime = len(data), 0o644, stamp
                    tar.addfile(info, io.BytesIO(data))
        target.write_bytes(raw.getvalue())
        self.written.append(target)
        self._members.clear()


def _folders(members: list[tuple[str, bytes]]) -> list[str]:
    seen: dict[str, None] = {}
    for name, _ in members:
        parts = name.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            seen.setdefault("/".join(parts[:depth]), None)
    return list(seen)
