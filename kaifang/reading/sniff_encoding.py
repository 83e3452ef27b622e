"""Which file format and text encoding a file is in, judged from its first bytes.

Sniff order for text (from the Taiwan formats reference): a byte-order mark, then strict UTF-8,
then CP950 (a superset of Big5 as Windows writes it). UTF-16 is only recognized by its BOM.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from kaifang.errors import NotTabularError

SAMPLE_BYTES = 512 * 1024
_ODD_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]")

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Magic numbers of common non-tabular files, to fail with a clear message.
_NOT_TABULAR_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "a legacy Office (XLS/DOC) file"),
)


@dataclass(frozen=True)
class EncodingGuess:
    """``name`` is a Python codec name; ``bom`` the byte-order mark to skip (may be empty)."""

    name: str
    bom: bytes = b""

    @property
    def label(self) -> str:
        """The name shown to people (``utf-8-sig`` for UTF-8 with a BOM)."""
        if self.name == "utf-8" and self.bom:
            return "utf-8-sig"
        if self.name.startswith("utf-16"):
            return "utf-16"
        return self.name


def read_head(path: Path, size: int = SAMPLE_BYTES) -> bytes:
    with path.open("rb") as handle:
        return handle.read(size)


def sniff_format(path: Path, head: bytes) -> str:
    """``csv``, ``xlsx``, ``ods`` or ``json``; raises :class:`NotTabularError` otherwise."""
    if not head:
        raise NotTabularError("the file is empty", file=path, hint="Check the download.")
    for magic, what in _NOT_TABULAR_MAGIC:
        if head.startswith(magic):
            raise NotTabularError(
                f"the file is {what}, not tabular data",
                file=path,
                hint="kaifang reads CSV/TSV, XLSX, ODS and JSON arrays of objects.",
            )
    if head.startswith(b"PK\x03\x04"):
        return _zip_format(path)
    guess = sniff_encoding(head)
    if not guess.name.startswith("utf-16") and b"\x00" in head:
        raise NotTabularError(
            "the file holds binary data (NUL bytes), not text",
            file=path,
            hint="kaifang reads CSV/TSV, XLSX, ODS and JSON arrays of objects.",
        )
    text = head[len(guess.bom) :].decode(guess.name, errors="replace").lstrip()
    if not text:
        raise NotTabularError("the file holds only blank space", file=path)
    if _looks_binary(text):
        raise NotTabularError(
            f"the file does not look like text in {guess.label} (control or undecodable bytes)",
            file=path,
            hint="kaifang reads CSV/TSV, XLSX, ODS and JSON arrays of objects.",
        )
    if text.startswith("["):
        return "json"
    return "csv"


def _looks_binary(text: str) -> bool:
    """Over 2 % (and at least 4) control or replacement characters: not a text table."""
    odd = len(_ODD_CHARACTERS.findall(text))
    return odd >= 4 and odd > len(text) * 0.02


def _zip_format(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", errors="replace")
                if "opendocument.spreadsheet" in mimetype:
                    return "ods"
    except zipfile.BadZipFile:
        pass
    raise NotTabularError(
        "the file is a ZIP archive but not an XLSX or ODS workbook",
        file=path,
        hint="Unpack it and inspect the files inside.",
    )


def sniff_encoding(head: bytes) -> EncodingGuess:
    """BOM, then strict UTF-8 (a multi-byte character cut at the sample's end is fine),
    then CP950."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return EncodingGuess(name, bom)
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    try:
        decoder.decode(head, final=False)
    except UnicodeDecodeError:
        return EncodingGuess("cp950")
    return EncodingGuess("utf-8")


def normalize_encoding_name(name: str) -> EncodingGuess:
    """An encoding the caller forces (``big5`` is read as its superset ``cp950``)."""
    codec = codecs.lookup(name).name
    if codec in {"big5", "cp950"}:
        return EncodingGuess("cp950")
    if codec == "utf-8-sig":
        return EncodingGuess("utf-8", codecs.BOM_UTF8)
    return EncodingGuess(codec)
