"""Finding CEC elections under a path: an election folder, a tree of them, or ``votedata.zip``.

An *election* is a folder that directly holds el*.csv files (``elbase`` — also the misnamed
``elbese`` —, ``elcand``, ``elctks``, ``elpaty``, ``elprof``, ``elrepm``, ``elretks``),
recognised by the start of the name whatever follows it or its case (``ELBASE.CSV``,
``elctks_T1.csv``, ``elcand(1).csv``, ``elbase.head200.csv``); its
title is the folder path below the tree's root (``voteData/`` left out), with full-width
characters folded (``第１案`` → ``第1案``) and runs of spaces collapsed.

Every other file under the path is listed with the reason it was not read
(:attr:`ElectionFolder.skipped`, :func:`files_outside`): nothing is skipped without a word.

The CEC's ZIP stores member names in Big5 without the UTF-8 flag: they are decoded with
``name.encode('cp437').decode('big5')`` (CP950, a superset) unless the flag (bit 11) is set.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from kaifang.catalog.identifiers import readable_id
from kaifang.errors import ReadError
from kaifang.reading.limits import SOURCE_ARCHIVE_LIMITS
from kaifang.sources.elections.columns import FILES

MISNAMED = {"elbese": "elbase"}
_SKIP_PARTS = {"votedata"}
_KINDS = sorted([*FILES, *MISNAMED], key=len, reverse=True)
_NAME = re.compile(rf"^({'|'.join(_KINDS)})(?![a-z])", re.IGNORECASE)
_REFERENDUM = re.compile(r"^rf(area|prof|tckt)(?![a-z])", re.IGNORECASE)


@dataclass
class ElectionFolder:
    folder: Path
    title: str
    files: dict[str, Path] = field(default_factory=dict)  # canonical stem -> file
    skipped: list[dict[str, str]] = field(default_factory=list)  # {file, reason}

    @property
    def key(self) -> str:
        """A short ASCII key unique to the election: its numbers plus a hash (the name of
        its resources under importers before readable ids, and of its work files)."""
        digits = "_".join(re.findall(r"[0-9]+", self.title))[:24]
        digest = hashlib.sha1(self.title.encode("utf-8")).hexdigest()[:6]
        return f"{digits}_{digest}" if digits else digest

    @property
    def readable_key(self) -> str:
        """A key people can read: the election's year and the seat type of the folder below
        it in English (``2020總統立委 總統`` -> ``2020_president``), else in pinyin."""
        return readable_election_key(self.title)


SEATS = {
    "總統": "president",
    "區域立委": "legislator_district",
    "山地立委": "legislator_mountain_indigenous",
    "平地立委": "legislator_plains_indigenous",
    "不分區政黨": "legislator_party_list",
    "不分區立委": "legislator_party_list",
    "立委": "legislator",
    "立法委員": "legislator",
    "直轄市長": "mayor",
    "縣市長": "magistrate",
    "直轄市議員": "city_councillor",
    "縣市議員": "county_councillor",
    "鄉鎮市長": "township_mayor",
    "村里長": "village_chief",
    "地方公職人員選舉": "local",
    "公民投票": "referendum",
    "修憲複決": "constitutional_referendum",
}
"""The CEC folders' seat and election types in English, for readable ids."""
_YEAR = re.compile(r"(?:19|20)[0-9]{2}")


def readable_election_key(title: str) -> str:
    """``2020總統立委 總統`` -> ``2020_president``; ``2022-111年地方公職人員選舉 C1 prv`` ->
    ``2022_c1_prv``; ``20080322-總統`` -> ``2008_president``. The year is the first one the
    title names; the rest is the folders below the election's (the seat type), or the
    election's own words when it has no subfolder, in English where :data:`SEATS` knows
    them, else in pinyin."""
    parts = title.split(" ")
    year = _YEAR.search(title)
    if len(parts) > 1:
        rest = parts[1:]
    else:  # the election's own words, without its dates and term numbers
        rest = [re.sub(r"[0-9]+|年|任|[-_]", " ", parts[0]).strip() if year else parts[0]]
    words: list[str] = []
    for text in rest:
        known = SEATS.get(text)
        words.append(known if known is not None else readable_id(text, limit=30))
    key = "_".join(w for w in [year.group(0) if year else "", *words] if w)
    return key or readable_id(title)


def normalize_title(text: str) -> str:
    """Full-width digits/letters folded (NFKC), whitespace runs collapsed to one space."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def member_name(info: zipfile.ZipInfo) -> str:
    """A ZIP member's real name: Big5 bytes unless the UTF-8 flag is set."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437")
    try:
        return raw.decode("cp950")
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="replace")


def extract_votedata(archive: Path, target: Path) -> Path:
    """Extract ``archive`` under ``target`` with decoded member names; return ``target``."""
    SOURCE_ARCHIVE_LIMITS.check_zip(archive)
    try:
        with zipfile.ZipFile(archive) as zipped:
            for info in zipped.infolist():
                if info.is_dir():
                    continue
                name = PurePosixPath(member_name(info).replace("\\", "/"))
                if name.is_absolute() or ".." in name.parts:
                    raise ReadError(
                        f"member {str(name)!r} points outside the archive",
                        file=archive,
                        hint="Unpack the archive by hand and import the folder.",
                    )
                out = target.joinpath(*name.parts)
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(zipped.read(info))
    except zipfile.BadZipFile:
        raise ReadError(
            "not a ZIP archive", file=archive, hint="Pass votedata.zip as downloaded."
        ) from None
    return target


def _stem(path: Path) -> str | None:
    """The canonical file kind (``elbase``…) a name starts with, for a .csv file."""
    match = _NAME.match(path.name.strip())
    if match is None or path.suffix.lower() != ".csv":
        return None
    stem = match.group(1).lower()
    return MISNAMED.get(stem, stem)


def _why_not(path: Path) -> str:
    """Why a file in an election folder is not read."""
    if _REFERENDUM.match(path.name) and path.suffix.lower() == ".csv":
        return "a referendum file (rfarea, rfprof, rftckt): referendums are not imported yet"
    if _NAME.match(path.name):
        return "not a .csv file"
    return f"not a CEC voteData file (the names start with {', '.join(sorted(FILES))})"


def _add(election: ElectionFolder, stem: str, file: Path) -> None:
    """Add ``file`` as ``stem``; of two files of one kind, the canonical name is read."""
    other = election.files.get(stem)
    if other is None:
        election.files[stem] = file
        return
    keep, drop = (file, other) if file.stem.lower() == stem else (other, file)
    election.files[stem] = keep
    election.skipped.append(
        {"file": drop.name, "reason": f"another {stem} file in this folder is read: {keep.name}"}
    )


def find_elections(path: Path) -> list[ElectionFolder]:
    """Every election folder under ``path`` (itself included), sorted by title."""
    if not path.is_dir():
        raise ReadError("not a folder or .zip", file=path, hint="Pass an election folder.")
    root = path
    found: dict[Path, ElectionFolder] = {}
    for file in sorted(path.rglob("*")):
        stem = _stem(file) if file.is_file() else None
        if stem is None:
            continue
        folder = file.parent
        if folder not in found:
            found[folder] = ElectionFolder(folder, _title(root, folder))
        _add(found[folder], stem, file)
    for folder, election in found.items():
        election.skipped += [
            {"file": f.name, "reason": _why_not(f)}
            for f in sorted(folder.iterdir())
            if f.is_file() and _stem(f) is None
        ]
    if not found:
        raise ReadError(
            "no CEC files (elbase, elcand, elctks, elpaty, elprof) found",
            file=path,
            hint="Pass an election folder, a tree of them (voteData/) or votedata.zip.",
        )
    return sorted(found.values(), key=lambda e: e.title)


def files_outside(path: Path, elections: list[ElectionFolder]) -> list[dict[str, str]]:
    """Files under ``path`` in no election folder, each with the reason it was not read."""
    folders = {e.folder for e in elections}
    return [
        {"file": str(f.relative_to(path)), "reason": "not in an election folder (no el*.csv "
         "file beside it)"}
        for f in sorted(path.rglob("*"))
        if f.is_file() and f.parent not in folders
    ]  # fmt: skip


def _title(root: Path, folder: Path) -> str:
    """The folder path below ``voteData/`` when the folder sits in one (so a tree and a leaf
    import name an election alike), else below ``root`` — at least two parts, as a seat-type
    folder (``總統``) alone says little."""
    absolute = folder.resolve()
    anchors = [p for p in absolute.parents if p.name.lower() in _SKIP_PARTS]
    if anchors:
        parts = list(absolute.relative_to(anchors[0]).parts)
    else:
        parts = list(folder.relative_to(root).parts)
        base = root.resolve()
        while len(parts) < 2 and base.name:
            parts.insert(0, base.name)
            base = base.parent
    return normalize_title(" ".join(parts))
