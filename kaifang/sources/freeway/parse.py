"""Parsing TDCS values, as DuckDB SQL expression builders (see :mod:`kaifang.sources.sqltext`).

- Gantry ids: the traffic files write ``01F0005S``; the coordinate table ``01F-000.5S``.
- Timestamps: ``2024-03-25 00:00``, ``2024/04/16 00:00``, ``2016/6/6 07:25``, with or without
  seconds.
- M06A ``TripInformation``: ``time+gantry`` pairs separated by ``;`` (with a space after it).
"""

from __future__ import annotations

from kaifang.sources.sqltext import trim_padding_sql

_CODE_PATTERN = r"^([0-9]{2}[A-Z]+)-([0-9]{3})\.([0-9])([NSEW])$"
_ID_PATTERN = r"^([0-9]{2}[A-Z]+)([0-9]{3})([0-9])([NSEW])$"


def gantry_id_sql(expr: str) -> str:
    """The traffic files' id from either spelling: ``01F-000.5S`` → ``01F0005S``.

    Ids already in that form (and ids of another shape, e.g. ramps) are returned trimmed
    and upper-cased.
    """
    text = f"upper({trim_padding_sql(expr)})"
    return f"regexp_replace({text}, '{_CODE_PATTERN}', '\\1\\2\\3\\4')"


def gantry_code_sql(expr: str) -> str:
    """The coordinate table's spelling: ``01F0005S`` → ``01F-000.5S`` (others unchanged)."""
    text = f"upper({trim_padding_sql(expr)})"
    return f"regexp_replace({text}, '{_ID_PATTERN}', '\\1-\\2.\\3\\4')"


def tdcs_timestamp_sql(expr: str) -> str:
    """A TIMESTAMP from any spelling seen in TDCS files; NULL when unreadable."""
    text = f"replace({trim_padding_sql(expr)}, '/', '-')"
    return f"try_strptime({text}, ['%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M'])"


def trip_information_sql(expr: str) -> str:
    """``TripInformation`` as ``LIST(STRUCT(time TIMESTAMP, gantry VARCHAR))`` in path order.

    Segments are split on ``;`` and then ``+``, each part trimmed; empty segments are dropped.
    """
    stamp = tdcs_timestamp_sql("split_part(s, '+', 1)")
    gantry = trim_padding_sql("split_part(s, '+', 2)")
    return (
        f"list_transform(list_filter(string_split({expr}, ';'), lambda s: trim(s) <> ''), "
        f"lambda s: {{'time': {stamp}, 'gantry': {gantry}}})"
    )
