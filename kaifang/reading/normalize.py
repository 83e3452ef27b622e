"""The SQL that normalizes staged text cells before typing.

For each staged column ``c<i>`` (all VARCHAR) the normalized view has:

- ``raw_<i>``: the cell as read;
- ``r_<i>``: trailing whitespace removed (spaces, tabs, U+3000 ideographic space), '' as NULL;
- ``a_<i>``: an Excel apostrophe prefix removed from digit codes (``'01`` -> ``01``);
- ``n_<i>``: trimmed on both sides and full-width ASCII (``１２Ａ``, U+FF01-U+FF5E, U+3000)
  mapped to half-width — exactly what NFKC does to those characters — for typing and codes.
"""

from __future__ import annotations

from collections.abc import Sequence

from kaifang.sqlutil import quote_ident, quote_literal

WHITESPACE = " \t\r\n\u3000"
FULL_WIDTH = "".join(chr(c) for c in range(0xFF01, 0xFF5F)) + "\u3000"
HALF_WIDTH = "".join(chr(c) for c in range(0x21, 0x7F)) + " "


def raw(i: int) -> str:
    return f"raw_{i}"


def rtrimmed(i: int) -> str:
    return f"r_{i}"


def unprefixed(i: int) -> str:
    return f"a_{i}"


def normalized(i: int) -> str:
    return f"n_{i}"


def normalized_view(sources: Sequence[str], table_sql: str, *, row_number: bool = False) -> str:
    """A subquery giving raw/r/a/n columns for each staged column in ``sources``."""
    ws = quote_literal(WHITESPACE)
    row = ", file_row_number + 1 AS data_row" if row_number else ""
    row_out = ", data_row" if row_number else ""
    step1 = ", ".join(
        f"{quote_ident(s)} AS {raw(i)}, NULLIF(rtrim({quote_ident(s)}, {ws}), '') AS {rtrimmed(i)}"
        for i, s in enumerate(sources)
    )
    step2 = ", ".join(
        f"{raw(i)}, {rtrimmed(i)}, CASE WHEN starts_with({rtrimmed(i)}, '''') "
        f"AND regexp_full_match({rtrimmed(i)}, '''[0-9]+') THEN substr({rtrimmed(i)}, 2) "
        f"ELSE {rtrimmed(i)} END AS {unprefixed(i)}"
        for i in range(len(sources))
    )
    step3 = ", ".join(
        f"{raw(i)}, {rtrimmed(i)}, {unprefixed(i)}, NULLIF(translate(trim({unprefixed(i)}, {ws}), "
        f"{quote_literal(FULL_WIDTH)}, {quote_literal(HALF_WIDTH)}), '') AS {normalized(i)}"
        for i in range(len(sources))
    )
    return (
        f"(SELECT {step3}{row_out} FROM (SELECT {step2}{row_out} FROM "
        f"(SELECT {step1}{row} FROM {table_sql})))"
    )
