"""De-identification on Spark: kaifang/privacy's policy, as Spark SQL.

:func:`kaifang.privacy.transforms.policy_sql` writes the whole policy as the one DuckDB
``SELECT`` that :func:`~kaifang.privacy.transforms.apply_policy` runs (each transform one SQL
expression, then suppression of quasi-identifier combinations rarer than k,
:mod:`kaifang.privacy.suppress`); here sqlglot transpiles that same SQL to Spark SQL. The
same policy therefore gives the same rows on both engines, so a year of M06A can be screened
and published on a cluster.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

import sqlglot
from sqlglot import exp

from kaifang.errors import ValidationError
from kaifang.privacy.policy import Policy
from kaifang.privacy.transforms import policy_sql
from kaifang.settings import Settings

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

SUPPORTED_ACTIONS = ("keep", "drop", "mask", "generalize", "suppress")


def spark_policy_sql(
    types: Mapping[str, str], policy: Policy, settings: Settings, *, table: str = "policy_input"
) -> str:
    """:func:`policy_sql` transpiled to Spark SQL. Refused (apply them with DuckDB): the
    keyed-HMAC pseudonym, a DuckDB macro with no Spark counterpart yet, and masking
    identifiers inside free text, whose detector patterns are RE2 and not yet checked on
    Java's regex engine."""
    refused = [
        n
        for n, s in policy.columns.items()
        if s.action not in SUPPORTED_ACTIONS or (s.action == "mask" and s.style == "text")
    ]
    if refused:
        raise ValidationError(
            f"the Spark engine cannot apply the policy to {', '.join(map(repr, refused))}",
            hint=f"On Spark the actions are: {', '.join(SUPPORTED_ACTIONS)} (no mask style "
            "'text'); pseudonymize and mask free text with the DuckDB engine.",
        )
    tree = sqlglot.parse_one(policy_sql(types, policy, settings, table=table), read="duckdb")
    return tree.transform(_whole_match).transform(_spark_equivalent).sql(dialect="spark")


def _whole_match(node: exp.Expr) -> exp.Expr:
    """DuckDB's ``regexp_full_match(x, 'p')`` as Spark's ``x RLIKE '^(?:p)$'`` (a pass of its
    own, before the rewrites that rebuild nodes around their arguments)."""
    if not isinstance(node, exp.RegexpFullMatch):
        return node
    value, pattern = node.this, node.expression
    if not isinstance(pattern, exp.Literal) or not pattern.is_string:
        raise ValidationError("regexp_full_match needs a literal pattern to run on Spark")
    anchored = exp.Literal.string(f"^(?:{pattern.this})$")
    return exp.RegexpLike(this=value, expression=anchored)


def _spark_equivalent(node: exp.Expr) -> exp.Expr:
    """DuckDB functions sqlglot cannot write for Spark, rewritten: ``try(x)`` is ``x`` (the
    session runs with ANSI mode off, where a bad date is NULL), and ``time_bucket`` of N
    minutes/hours/days is the timestamp truncated to the unit minus the remainder."""
    if isinstance(node, exp.Try):
        inner: exp.Expr = node.this
        return inner
    if isinstance(node, exp.RegexpReplace):
        return _java_regexp_replace(node)
    if isinstance(node, exp.DateBin):
        interval = node.this
        unit_var = interval.unit if isinstance(interval, exp.Interval) else None
        unit = unit_var.name.upper() if unit_var is not None else ""
        if unit not in _UNIT_PART:
            raise ValidationError(f"time bucket {interval.sql()} has no Spark form")
        width = int(interval.this.name)
        ts = node.expression.sql(dialect="spark")
        part = _UNIT_PART[unit]
        return sqlglot.parse_one(
            f"TIMESTAMPADD({unit}, -({part}({ts}) % {width}), DATE_TRUNC('{unit}', {ts}))",
            read="spark",
        )
    return node


def _java_regexp_replace(node: exp.RegexpReplace) -> exp.Expr:
    """Spark replaces every match and knows no flags argument: case-insensitivity moves into
    the pattern as ``(?i)`` and back-references are written ``$1`` instead of ``\\1``."""
    modifiers = node.args.get("modifiers")
    flags = modifiers.name if isinstance(modifiers, exp.Literal) else ""
    pattern, replacement = node.expression, node.args.get("replacement")
    if isinstance(pattern, exp.Literal) and "i" in flags:
        pattern = exp.Literal.string("(?i)" + pattern.name)
    if isinstance(replacement, exp.Literal):
        replacement = exp.Literal.string(re.sub(r"\\([0-9])", r"$\1", replacement.name))
    return exp.RegexpReplace(this=node.this, expression=pattern, replacement=replacement)


_UNIT_PART = {"MINUTE": "MINUTE", "HOUR": "HOUR", "DAY": "DAYOFMONTH"}


def apply_policy_spark(frame: DataFrame, policy: Policy, settings: Settings) -> DataFrame:
    """``frame`` with ``policy`` applied by Spark (same rows as the DuckDB transforms)."""
    types = {field.name: field.dataType.simpleString() for field in frame.schema.fields}
    view = f"policy_input_{id(frame):x}"
    frame.createOrReplaceTempView(view)
    return frame.sparkSession.sql(spark_policy_sql(types, policy, settings, table=view))
