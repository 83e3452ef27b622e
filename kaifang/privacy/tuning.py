"""``tune_policy``: coarsen the proposed generalizations until k-anonymity holds within the
suppression budget, the way ARX-style hierarchies are climbed (date → month → quarter →
year, address → 30-number range → village → district → county...).

Each round applies the policy (SQL) and measures the classes with one ``GROUP BY``; the
quasi-identifier with the most distinct values that can still be coarsened goes one level up.
When no level is left, the policy is returned as it is and the gate explains what fails.
"""

from __future__ import annotations

import dataclasses

import duckdb

from kaifang.privacy.policy import ColumnPolicy, Policy
from kaifang.privacy.relations import query
from kaifang.privacy.transforms import apply_policy
from kaifang.privacy.verify import k_anonymity
from kaifang.settings import Settings
from kaifang.sqlutil import quote_ident

LADDERS: tuple[tuple[str, ...], ...] = (
    ("month", "quarter", "year", "year5", "year10"),
    ("5min", "hour", "day"),
    ("band5", "band10"),
    ("range30", "village", "district", "county"),
    ("grid4", "grid3", "grid2"),
)
MAX_ROUNDS = 12


def next_level(spec: ColumnPolicy) -> str | None:
    if spec.action != "generalize" or spec.to is None:
        return None
    for ladder in LADDERS:
        if spec.to in ladder:
            position = ladder.index(spec.to)
            return ladder[position + 1] if position + 1 < len(ladder) else None
    return None


def tune_policy(relation: duckdb.DuckDBPyRelation, policy: Policy, settings: Settings) -> Policy:
    """A copy of ``policy`` coarsened until at most ``settings.max_suppression`` of the rows
    sit in classes smaller than k (those rows are then suppressed)."""
    if not policy.quasi_identifiers or policy.count_column:
        return policy
    k = policy.k or (
        settings.k_anonymity_sensitive if policy.sensitive_columns else settings.k_anonymity
    )
    rows = int(relation.aggregate("count(*)").fetchall()[0][0]) or 1
    columns = dict(policy.columns)
    for _ in range(MAX_ROUNDS):
        trial = dataclasses.replace(policy, columns=columns, suppress_rare_rows=False)
        out = apply_policy(relation, trial, settings)
        quasi = [c for c in policy.quasi_identifiers if c in out.columns]
        kanon = k_anonymity(out, quasi, k)
        if kanon.violating_rows / rows <= settings.max_suppression:
            return dataclasses.replace(
                policy, columns=columns, suppress_rare_rows=kanon.violating_rows > 0
            )
        climbable = [c for c in quasi if next_level(columns.get(c, ColumnPolicy("keep")))]
        if not climbable:
            break
        distinct = ", ".join(f"count(DISTINCT {quote_ident(c)})" for c in climbable)
        counts = query(out, "tuning", f"SELECT {distinct} FROM tuning").fetchall()[0]
        widest = max(zip(counts, climbable, strict=True))[1]
        spec = columns[widest]
        columns[widest] = dataclasses.replace(spec, to=next_level(spec))
    return dataclasses.replace(policy, columns=columns, suppress_rare_rows=True)
