"""Identifiers: national ones (``ORGCODE-NNNNNN`` for a dataset, ``ORGCODE-NNNNNN-NNN`` for a
resource) and URL-safe ids that are also valid SQL table names (``^[a-z][a-z0-9_]{0,62}$``).

A new dataset's id is one people can read (:func:`readable_id`): its English title's words,
else its Chinese title in pinyin without tone marks (pypinyin), cut to a short length; never
the file's name. A publisher may choose it instead (:func:`check_id`)."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable

from kaifang.errors import ValidationError

SLUG_RE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
ORG_CODE_RE = re.compile(r"^[0-9A-Z]{10}$")
SLUG_MAX = 63
READABLE_MAX = 40  # a generated id stays short; a chosen one may use all SLUG_MAX
# ``<resource>__v<N>`` names a pinned version in SQL, so a slug never holds a double underscore.
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_WORD = re.compile(r"(?:^|_)[a-z][a-z0-9]*[a-z][a-z0-9]*(?:_|$)")  # two letters, not t_ alone


def normalize_org_code(code: str) -> str:
    """``379130000e`` -> ``379130000E``; a ValidationError unless it has the national form."""
    normalized = code.strip().upper()
    if not ORG_CODE_RE.match(normalized):
        raise ValidationError(
            f"organization code {code!r} is not a national organization code",
            hint="Use the 10-character code of the agency (機關代碼), e.g. 379130000E.",
            key="code",
        )
    return normalized


def dataset_identifier(org_code: str, serial: int) -> str:
    return f"{org_code}-{serial:06d}"


def resource_identifier(dataset_identifier: str, serial: int) -> str:
    return f"{dataset_identifier}-{serial:03d}"


class _AsciiOrSpace(dict[int, str]):
    """``str.translate``'s table for a decomposed (NFKD) text: a combining mark goes (``é``
    -> ``e``), any other non-ASCII character becomes a space, ASCII stays; each character is
    looked at once, then the table answers in C (a bulk load slugifies many titles a dataset)."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        value = char if char.isascii() else "" if unicodedata.combining(char) else " "
        if len(self) < 65_536:
            self[code] = value
        return value


_ASCII_OR_SPACE = _AsciiOrSpace()


@functools.lru_cache(maxsize=4096)
def slugify(text: str) -> str:
    """Lowercase ASCII words joined by ``_``; empty when ``text`` has no ASCII letters/digits
    (Chinese titles: the caller falls back to another source)."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = decomposed if decomposed.isascii() else decomposed.translate(_ASCII_OR_SPACE)
    slug = _NOT_SLUG.sub("_", ascii_text.lower()).strip("_")
    if slug and not slug[0].isalpha():
        slug = f"t_{slug}"
    return slug[:SLUG_MAX].rstrip("_")


def romanize(text: str) -> str:
    """``text`` with every Chinese character in pinyin without tone marks, as separate
    words (``臺北市竊盜 2024`` -> ``tai bei shi qie dao 2024``); other text is kept."""
    from pypinyin import lazy_pinyin

    return " ".join(lazy_pinyin(text, errors="default"))


def readable_id(text: str, *, limit: int = READABLE_MAX) -> str:
    """A short id people can read from a title, cut at a word boundary to at most ``limit``
    characters: its ASCII words when they hold a word (``Theft points 竊盜點位`` ->
    ``theft_points``), else the whole title with Chinese in pinyin (``2020 總統`` ->
    ``t_2020_zong_tong``); empty when ``text`` has neither."""
    slug = slugify(text)
    if not text.isascii() and not _WORD.search(slug):
        slug = slugify(romanize(text))
    if len(slug) <= limit:
        return slug
    cut = slug[: limit + 1].rsplit("_", 1)[0]
    return (cut if len(cut) >= limit // 2 else slug[:limit]).rstrip("_")


def check_id(text: str, *, key: str = "id") -> str:
    """``text`` when it is a valid id (1-63 lower-case ASCII letters, digits or single
    underscores, starting with a letter), else a ValidationError that says how to fix it."""
    wanted = text.strip()
    if is_slug(wanted):
        return wanted
    suggestion = slugify(wanted.replace("-", "_")) or readable_id(wanted)
    example = suggestion if suggestion and is_slug(suggestion) else "theft_points_2024"
    raise ValidationError(
        f"{key}: {wanted!r} is not a valid id: use 1-{SLUG_MAX} lower-case ASCII letters, "
        "digits or single underscores, starting with a letter (no '-': the id is also an SQL "
        "table name)",
        hint=f"Choose an id such as {example!r}.",
        key=key,
    )


def is_slug(text: str) -> bool:
    return bool(SLUG_RE.match(text)) and "__" not in text


def unique_slug(candidates: list[str], fallback: str, taken: Callable[[str], bool]) -> str:
    """The first candidate that slugifies to something free, else the first one numbered
    (``theft_2``); ``fallback`` stands in when no candidate has ASCII letters or digits.

    ``taken(slug)`` says whether a slug is already used."""
    bases = [s for s in (slugify(c) for c in candidates) if s] or [fallback]
    for base in bases:
        if not taken(base):
            return base
    base = bases[0]
    for n in range(2, 100_000):
        suffix = f"_{n}"
        slug = base[: SLUG_MAX - len(suffix)].rstrip("_") + suffix
        if not taken(slug):
            return slug
    raise ValidationError(f"no free id left for {base!r}")  # pragma: no cover - 100k clashes
