"""NFKC-style folding in SQL: DuckDB has ``nfc_normalize`` but no NFKC, so the full-width
ASCII block (U+FF01–U+FF5E) and the ideographic space (U+3000) are folded with ``translate``,
which covers what Taiwanese data actually contains (full-width digits, letters, hyphens)."""

from __future__ import annotations

from kaifang.sqlutil import quote_literal

_FULL = "".join(chr(c) for c in range(0xFF01, 0xFF5F)) + "\u3000"
_HALF = "".join(chr(c) for c in range(0x21, 0x7F)) + " "


# Full-width punctuation that Chinese prose is full of (，（）：；！？): a cell holding no other
# full-width character is folded with a few ``replace`` calls, which cost a fraction of
# ``translate`` (whose cost grows with its 96-character mapping).
_PUNCTUATION = "，（）：；！？"


def fold_sql(expr: str) -> str:
    """``expr`` as text with full-width ASCII folded to half-width (case kept).

    ``translate`` costs several microseconds a cell, so it runs only on cells that hold a
    full-width character other than common punctuation (a whole-cell match of a negated
    class is far cheaper); the punctuation is replaced one character at a time."""
    text = f"CAST({expr} AS VARCHAR)"
    punctuation = text
    for char in _PUNCTUATION:
        half = chr(ord(char) - 0xFEE0)
        punctuation = f"replace({punctuation}, {quote_literal(char)}, {quote_literal(half)})"
    other = "[^\\x{ff01}-\\x{ff5e}\\x{3000}]"
    return (
        f"CASE WHEN regexp_full_match({text}, '{other}*') THEN {text} "
        f"WHEN regexp_full_match({text}, '(?:{other}|[{_PUNCTUATION}])*') THEN {punctuation} "
        f"ELSE translate({text}, {quote_literal(_FULL)}, {quote_literal(_HALF)}) END"
    )


# Characters that folding, lower-casing and trimming all leave as they are: ASCII other than
# upper-case letters (tab and newline too: ``trim`` strips only spaces), CJK punctuation
# U+3001–U+303F (not the ideographic space U+3000) and CJK ideographs. Space is kept too,
# but not first or last (``trim`` strips it).
_KEPT = (
    "\\x{9}\\x{a}\\x{d}\\x{21}-\\x{40}\\x{5b}-\\x{7f}"
    "\\x{3001}-\\x{303f}\\x{3400}-\\x{4dbf}\\x{4e00}-\\x{9fff}"
)


def _only_sql(text: str, chars: str) -> str:
    """SQL: ``text`` holds only ``chars`` and inner spaces (a regex class body)."""
    return f"regexp_full_match({text}, '(?:[{chars}](?:[ {chars}]*[{chars}])?)?')"


def normalized_sql(expr: str) -> str:
    """``expr`` folded and lower-cased: what every detector pattern is written against.

    Most cells need neither: a cell of ASCII without upper-case letters and of CJK text
    (one regex says so) is its own normal form, and Chinese prose whose only full-width
    characters are its punctuation (，（）...) needs only that replaced."""
    text = f"CAST({expr} AS VARCHAR)"
    punctuation = text
    for char in _PUNCTUATION:
        half = chr(ord(char) - 0xFEE0)
        punctuation = f"replace({punctuation}, {quote_literal(char)}, {quote_literal(half)})"
    return (
        f"CASE WHEN {_only_sql(text, _KEPT)} THEN {text} "
        f"WHEN {_only_sql(text, _KEPT + _PUNCTUATION)} THEN {punctuation} "
        f"ELSE lower(trim({fold_sql(expr)})) END"
    )


def fold_text(text: str) -> str:
    """The same folding in Python, for a handful of values (column names, examples)."""
    return text.translate(str.maketrans(_FULL, _HALF)).strip().lower()
