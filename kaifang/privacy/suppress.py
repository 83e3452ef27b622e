"""The k-anonymity rule, once for every engine and every caller: rows whose quasi-identifier
class (the rows sharing the same values of ``group``) has fewer than ``k`` members are left
out. The SQL is standard window SQL that DuckDB runs as it is and Spark runs as written or
transpiled by sqlglot; the privacy policy (:func:`kaifang.privacy.transforms.policy_sql`) and
the freeway trips (:mod:`kaifang.sources.freeway.protect`) both use it."""

from __future__ import annotations

from collections.abc import Sequence

CLASS_SIZE = "_class_size"


def rare_rows_removed_sql(
    source: str, *, group: Sequence[str], k: int, select: Sequence[str]
) -> str:
    """``SELECT select FROM source`` without the rows of classes smaller than ``k``.

    ``source`` is a table name or a parenthesized subquery; ``group`` the SQL expressions
    (quoted) whose values make a class; ``select`` the output expressions over ``source``'s
    columns (quoted, aliased where they compute)."""
    partition = ", ".join(group)
    return (
        f"SELECT {', '.join(select)} FROM (SELECT *, count(*) OVER (PARTITION BY {partition}) "
        f"AS {CLASS_SIZE} FROM {source}) AS sized WHERE {CLASS_SIZE} >= {int(k)}"
    )
