"""Deterministic pseudo-random numbers as DuckDB SQL, for generators.

``uniform_sql('42', "'vol'", 'g.gantry_id')`` is a SQL expression in [0, 1) that depends only
on its inputs, so generated data is the same on every run and on any number of threads
(DuckDB's ``random()`` is not reproducible under parallel execution).
"""

from __future__ import annotations


def uniform_sql(*parts: str) -> str:
    """A uniform number in [0, 1) from the 53 high bits of ``hash(hash(parts...))``: DuckDB
    combines several arguments by XOR, so without the outer hash two draws that differ only
    in a salt would be correlated."""
    return f"((hash(hash({', '.join(parts)})) >> 11)::DOUBLE / 9007199254740992.0)"


def count_sql(mean: str, *parts: str) -> str:
    """A non-negative integer whose expectation is ``mean`` (stochastic rounding of a
    ±20 % noisy mean): small means give the many zeros real counts show."""
    noise = uniform_sql(*parts, "'n'")
    rounding = uniform_sql(*parts, "'r'")
    return f"CAST(floor(({mean}) * (0.8 + 0.4 * {noise}) + {rounding}) AS INTEGER)"
