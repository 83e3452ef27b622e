"""Finding TDCS files under a path: single CSVs, day folders, daily ``.tar.gz`` archives.

Each CSV is assigned a dataset (M03A…M08A) from its name (``TDCS_M03A_…``, a ``M03A/``
folder, ``M03A_20240325.tar.gz``) AND from its first line's shape (column count and the
kind of value in each column). A file whose name and content disagree, or whose content
matches no dataset, is a :class:`~kaifang.errors.ReadError` naming the file. Archives are
extracted member by member (streaming) into a work folder; nothing is read whole into memory.
Files not read (empty, not CSV, an older gantry table) are listed in ``skipped`` with why.
"""

from __future__ import annotations

import re
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kaifang.errors import ReadError
from kaifang.reading.limits import SOURCE_ARCHIVE_LIMITS
from kaifang.sources.freeway.columns import DATASETS

_CODE_IN_NAME = re.compile(r"(?<![0-9A-Z])(M0[3-8]A)(?![0-9A-Z])", re.IGNORECASE)
_GANTRY_TABLE_NAME = "門架"
_SNIFF_BYTES = 4096

_TIME = r"\d{4}[-/]\d{1,2}[-/]\d{1,2} \d{1,2}:\d{2}(:\d{2})?"
_GANTRY = r"[0-9A-Z]{6,12}"
_TYPE = r"31|32|41|42|5"
_INT = r"-?\d+"
_NUMBER = r"-?\d+(\.\d+)?"
SHAPES: dict[str, tuple[str, ...]] = {
    "M03A": (_TIME, _GANTRY, r"[NSEW]", _TYPE, _INT),
    "M04A": (_TIME, _GANTRY, _GANTRY, _TYPE, _INT, _INT),
    "M05A": (_TIME, _GANTRY, _GANTRY, _TYPE, _INT, _INT),
    "M06A": (_TYPE, _TIME, _GANTRY, _TIME, _GANTRY, _NUMBER, r"[YN]", r".*"),
    "M07A": (_TIME, _GANTRY, _TYPE, _NUMBER, _INT),
    "M08A": (_TIME, _GANTRY, _GANTRY, _TYPE, _INT),
}


@dataclass
class Discovered:
    """The CSV files found per dataset code (in path order) and any gantry tables."""

    files: dict[str, list[Path]] = field(default_factory=dict)
    gantry_tables: list[Path] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)  # {file, reason}

    @property
    def file_count(self) -> int:
        return sum(len(v) for v in self.files.values()) + len(self.gantry_tables)


def shapes_matching(line: str) -> list[str]:
    """The dataset codes whose column shape this (first) line has."""
    cells = [cell.strip() for cell in line.rstrip("\r\n").split(",")]
    return [
        code
        for code, shape in SHAPES.items()
        if len(cells) == len(shape)
        and all(re.fullmatch(pattern, cell) for pattern, cell in zip(shape, cells, strict=True))
    ]


def code_from_name(path: Path, root: Path) -> str | None:
    """The dataset code named by the file or one of its folders below ``root``, if any."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        parts = (path.name,)
    for part in reversed(parts or (path.name,)):
        match = _CODE_IN_NAME.search(part)
        if match:
            return match.group(1).upper()
    return None


def _first_line(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    for line in head.decode("utf-8", errors="replace").splitlines():
        if line.strip():
            return line
    return ""


def classify(path: Path, root: Path) -> str | None:
    """The dataset code of one CSV, or None for an empty file; ReadError on a mismatch."""
    line = _first_line(path)
    if not line:
        return None
    named = code_from_name(path, root)
    matching = shapes_matching(line)
    if named is not None:
        if named not in matching:
            found = ", ".join(matching) or "no TDCS dataset"
            raise ReadError(
                f"named as {named} but its first line has the shape of {found}: {line[:120]!r}",
                file=path,
                row=1,
                hint=f"{named} has columns {', '.join(c.name for c in DATASETS[named].columns)};"
                " check the file was not renamed or mixed up.",
            )
        return named
    if len(matching) == 1:
        return matching[0]
    raise ReadError(
        "cannot tell which TDCS dataset this is "
        + (f"(it could be {' or '.join(matching)})" if matching else "(no dataset has its shape)"),
        file=path,
        row=1,
        hint="Keep the upstream name (TDCS_M05A_20240325_000000.csv) or a M05A/ folder.",
    )


def _is_gantry_table(path: Path) -> bool:
    if _GANTRY_TABLE_NAME in path.name:
        return True
    with path.open("rb") as handle:
        head = handle.read(64)
    return head.decode("cp950", errors="replace").startswith("方向,編號")


def _extract(archive: Path, workdir: Path) -> Path:
    target = workdir / archive.name.removesuffix(".tar.gz").removesuffix(".tgz")
    target.mkdir(parents=True, exist_ok=True)
    try:
        with tarfile.open(archive, mode="r|gz") as tar:
            for member in SOURCE_ARCHIVE_LIMITS.checked_tar(tar, archive):
                if member.isfile() or member.isdir():
                    tar.extract(member, target, filter="data")
    except (tarfile.TarError, OSError, EOFError) as error:
        raise ReadError(
            f"cannot extract the archive ({error})",
            file=archive,
            hint="Download the daily .tar.gz again; it may be truncated.",
        ) from None
    return target


def _walk(path: Path, workdir: Path) -> Iterator[tuple[Path, Path]]:
    """(file, root it was found under) for every CSV, extracting archives on the way."""
    if path.is_file():
        if path.name.endswith((".tar.gz", ".tgz")):
            extracted = _extract(path, workdir)
            for inner in sorted(extracted.rglob("*.csv")):
                # The archive's name names the dataset too: M03A_20240325.tar.gz.
                yield inner, workdir
        elif path.suffix.lower() == ".csv":
            yield path, path.parent
        return
    for child in sorted(path.rglob("*")):
        if child.is_file() and (
            child.suffix.lower() == ".csv" or child.name.endswith((".tar.gz", ".tgz"))
        ):
            yield from ((f, path if r == child.parent else r) for f, r in _walk(child, workdir))


def discover(path: Path, workdir: Path) -> Discovered:
    """Every TDCS file under ``path`` (a CSV, a folder or an archive), by dataset."""
    if not path.exists():
        raise ReadError("no such file or folder", file=path, hint="Check the PATH argument.")
    found = Discovered()
    for file, root in _walk(path, workdir):
        if _is_gantry_table(file):
            found.gantry_tables.append(file)
            continue
        code = classify(file, root)
        if code is not None:
            found.files.setdefault(code, []).append(file)
        else:
            found.skipped.append({"file": file.name, "reason": "empty file (no rows)"})
    if path.is_dir():
        found.skipped += [
            {"file": str(f.relative_to(path)), "reason": "not a TDCS .csv or daily .tar.gz"}
            for f in sorted(path.rglob("*"))
            if f.is_file()
            and f.suffix.lower() != ".csv"
            and not f.name.endswith((".tar.gz", ".tgz"))
        ]
    found.skipped += [
        {"file": f.name, "reason": f"an older gantry table; {found.gantry_tables[-1].name} is read"}
        for f in found.gantry_tables[:-1]
    ]
    if not found.files and not found.gantry_tables:
        raise ReadError(
            "no TDCS CSV files found",
            file=path,
            hint="Pass a TDCS_M03A_*.csv file, a day folder, a M03A_YYYYMMDD.tar.gz or a "
            "folder of them.",
        )
    return found
