"""The k-anonymity rules, once for every engine and every caller: rows whose quasi-identifier
class (the rows sharing the same values of ``group``) has fewer than ``k`` members are left
out. The SQL is standard window SQL that DuckDB runs as it is and Spark runs as written or
transpiled by sqlglot; the privacy policy (:func:`kaifang.privacy.transforms.policy_sql`) and
the freeway trips (:mod:`kaifang.sources.freeway.protect`, with coarsening steps before
suppression: :func:`coarsened_steps_sql`) both use them."""

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


STEP = "_step"


def step_classes_sql(source: str, *, steps: Sequence[Sequence[str]]) -> str:
    """``source`` with each step's class expressions computed once, as columns
    (``_class<step>_<part>``), for :func:`coarsened_steps_sql` to count (a window partitioned
    by computed expressions is several times slower on DuckDB; materialize this first)."""
    classes = [
        f"{expr} AS _class{number}_{part}"
        for number, group in enumerate(steps, 1)
        for part, expr in enumerate(group)
    ]
    return f"SELECT *, {', '.join(classes)} FROM {source}"


def coarsened_steps_sql(
    source: str, *, steps: Sequence[Sequence[str]], k: int, select: Sequence[str]
) -> str:
    """``SELECT select, _step FROM source``: each row's first step whose class has at least
    ``k`` rows, counted among the rows no earlier step placed (``_step`` 1, 2, …; 0 when
    every step leaves it in a class smaller than ``k``, i.e. it is to be suppressed).

    ``steps`` are the class expressions of each step, finest first (local recoding: a row
    in a rare class is tried at the next, coarser step before it is suppressed), and
    ``source`` holds them already computed (:func:`step_classes_sql`). Every row of a class
    is placed at the same step, so once each row is published at its step's values (and
    with its step, so two steps never share a class), every published class holds at least
    ``k`` rows. :func:`rare_rows_removed_sql` is the rule with one step."""
    sql = f"SELECT *, 0 AS {STEP}0 FROM {source}"
    for number, group in enumerate(steps, 1):
        before = f"{STEP}{number - 1}"
        partition = ", ".join(
            (f"{before} > 0", *(f"_class{number}_{part}" for part in range(len(group))))
        )
        sql = (
            f"SELECT *, CASE WHEN {before} > 0 THEN {before} "
            f"WHEN count(*) OVER (PARTITION BY {partition}) >= {int(k)} THEN {number} "
            f"ELSE 0 END AS {STEP}{number} FROM ({sql}) AS step{number - 1}"
        )
    return f"SELECT {', '.join(select)}, {STEP}{len(steps)} AS {STEP} FROM ({sql}) AS stepped"
