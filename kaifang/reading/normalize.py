"""The SQL that normalizes staged text cells before typing.

For each staged column ``c<i>`` (all VARCHAR) the normalized view has:

- ``raw_<i>``: the cell as read;
- ``r_<i>``: trailing whitespace removed (spaces, tabs, U+3000 ideographic space), '' as NULL;
- ``a_<i>``: an Excel apostrophe prefix removed from digit codes (``'01`` -> ``01``);
- ``n_<i>``: trimmed on both sides and full-width ASCII (``１２Ａ``, U+FF01-U+FF5E, U+3000)
  mapped to half-width — exactly what NFKC does to those characters — for typing and codes.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

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


def normalized_view(
    sources: Sequence[str],
    table_sql: str,
    normalize: Collection[int] = (),
    *,
    row_number: bool = False,
    only: Collection[int] | None = None,
) -> str:
    """A subquery with ``raw_<i>`` for every staged column in ``sources`` (or only those
    indexes in ``only``) and, for the column indexes in ``normalize``, also ``r_<i>``,
    ``a_<i>`` and ``n_<i>``. ``row_number`` adds ``data_row`` (1-based, in file order)."""
    ws = quote_literal(WHITESPACE)
    row = ", row_number() OVER () AS data_row" if row_number else ""
    row_out = ", data_row" if row_number else ""
    step1, step2, step3 = [], [], []
    for i, source in enumerate(sources):
        if only is not None and i not in only:
            continue
        r, a, n = rtrimmed(i), unprefixed(i), normalized(i)
        step1.append(f"{quote_ident(source)} AS {raw(i)}")
        step2.append(raw(i))
        step3.append(raw(i))
        if i not in normalize:
            continue
        step1.append(f"NULLIF(rtrim({quote_ident(source)}, {ws}), '') AS {r}")
        step2.append(
            f"{r}, CASE WHEN starts_with({r}, '''') AND regexp_full_match({r}, '''[0-9]+') "
            f"THEN substr({r}, 2) ELSE {r} END AS {a}"
        )
        # ASCII-only values (the vast majority) skip the translation.
        step3.append(
            f"{r}, {a}, NULLIF(CASE WHEN strlen({a}) = length({a}) THEN trim({a}) ELSE "
            f"translate(trim({a}, {ws}), {quote_literal(FULL_WIDTH)}, "
            f"{quote_literal(HALF_WIDTH)}) END, '') AS {n}"
        )
    return (
        f"(SELECT {', '.join(step3)}{row_out} FROM (SELECT {', '.join(step2)}{row_out} FROM "
        f"(SELECT {', '.join(step1)}{row} FROM {table_sql})))"
    )
