"""De-identification transforms, each one DuckDB SQL expression (no Python per row), so the
same policy can later run on Spark: drop, pseudonymize, mask, generalize, suppress, keep."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import duckdb

from kaifang.errors import ValidationError
from kaifang.privacy.detectors import DEFAULT_DETECTORS
from kaifang.privacy.detectors.base import MaskStyle, mask_sql
from kaifang.privacy.normalize import fold_sql
from kaifang.privacy.policy import ColumnPolicy, Policy
from kaifang.privacy.pseudonym import hmac_sql
from kaifang.privacy.relations import query
from kaifang.privacy.suppress import rare_rows_removed_sql
from kaifang.settings import Settings
from kaifang.sqlutil import quote_ident

# DuckDB's and Spark's names of number types, lower case.
_NUMERIC = {
    "tinyint",
    "smallint",
    "int",
    "integer",
    "bigint",
    "hugeint",
    "float",
    "double",
    "decimal",
}


def _text(column: str) -> str:
    return f"trim({fold_sql(column)})"


def mask_text_sql(column: str) -> str:
    """Every strong identifier inside free text replaced by ``[遮蔽]`` (twice, since RE2
    consumes the boundary character between two adjacent identifiers)."""
    out = fold_sql(column)
    for det in DEFAULT_DETECTORS:
        if det.strong and det.category == "direct_identifier":
            body = det.pattern
            rx = f"({body})" if not det.bounded else f"(^|[^0-9a-z])(?:{body})($|[^0-9a-z])"
            repl = "[遮蔽]" if not det.bounded else "\\1[遮蔽]\\2"
            for _ in range(2):
                out = f"regexp_replace({out}, '{rx}', '{repl}', 'gi')"
    return out


def date_sql(text: str) -> str:
    """A DATE from ISO, slashed, 8-digit, 民國 ROC and 7-digit ROC writings (NULL if none)."""
    roc = r"^(?:民國)?([0-9]{2,3})[-/.年]([0-9]{1,2})[-/.月]([0-9]{1,2})日?$"
    roc7 = r"^([01]?[0-9]{2})([0-9]{2})([0-9]{2})$"
    iso = r"^([0-9]{4})[-/.年]([0-9]{1,2})[-/.月]([0-9]{1,2})"
    ymd8 = r"^((?:19|20)[0-9]{2})([0-9]{2})([0-9]{2})$"

    def build(rx: str, offset: int) -> str:
        parts = [f"CAST(regexp_extract({text}, '{rx}', {i}) AS INTEGER)" for i in (1, 2, 3)]
        return (
            f"CASE WHEN regexp_matches({text}, '{rx}') THEN "
            f"try(make_date({parts[0]} + {offset}, {parts[1]}, {parts[2]})) END"
        )

    return f"coalesce({build(iso, 0)}, {build(ymd8, 0)}, {build(roc, 1911)}, {build(roc7, 1911)})"


# DuckDB's names of the types whose values ``generalize_sql`` buckets without their text.
_TIME_TYPES = {"TIMESTAMP", "DATE"}


def generalize_sql(column: str, to: str, *, numeric: bool, type_name: str = "") -> str:
    """``type_name``: the column's type as DuckDB names it (``TIMESTAMP``, ``VARCHAR``...)."""
    s = _text(column)
    if to in ("month", "quarter", "year", "year5", "year10"):
        d = date_sql(s)
        if to in ("year5", "year10"):
            width = 5 if to == "year5" else 10
            low = f"(year({d}) // {width} * {width})"
            return f"CAST({low} AS VARCHAR) || '-' || CAST({low} + {width - 1} AS VARCHAR)"
        if to == "year":
            return f"CAST(year({d}) AS VARCHAR)"
        if to == "quarter":
            return f"CAST(year({d}) AS VARCHAR) || 'Q' || CAST(quarter({d}) AS VARCHAR)"
        return f"strftime({d}, '%Y-%m')"
    if to in ("band5", "band10"):
        width = 5 if to == "band5" else 10
        n = f"TRY_CAST(regexp_replace({s}, '歲', '') AS INTEGER)"
        low = f"({n} // {width} * {width})"
        return f"CAST({low} AS VARCHAR) || '-' || CAST({low} + {width - 1} AS VARCHAR)"
    if to == "range30":
        number = f"CAST(regexp_extract({s}, '([0-9]+)(?:之[0-9]+)?號', 1) AS INTEGER)"
        low = f"(({number} - 1) // 30 * 30 + 1)"
        return (
            f"CASE WHEN regexp_matches({s}, '[0-9]+~[0-9]+號') THEN {s} "
            f"WHEN regexp_matches({s}, '[0-9]+(?:之[0-9]+)?號') THEN "
            f"regexp_extract({s}, '^(.*?)[0-9]+(?:之[0-9]+)?號', 1) || CAST({low} AS VARCHAR) "
            f"|| '~' || CAST({low} + 29 AS VARCHAR) || '號' ELSE {s} END"
        )
    if to in ("village", "district", "county"):
        county = "(?:[^縣市]{1,3}(?:縣|市))"
        district = f"{county}?[^區鄉鎮市]{{1,4}}(?:區|鄉|鎮|市)"
        # A coarser level stands in when the finer one is missing (no 村/里 in the address).
        levels = ["village", "district", "county"][["village", "district", "county"].index(to) :]
        rxs = {
            "county": f"^({county})",
            "district": f"^({district})",
            "village": f"^({district}?[^村里]{{1,4}}(?:村|里))",
        }
        found = ", ".join(f"nullif(regexp_extract({s}, '{rxs[level]}', 1), '')" for level in levels)
        return f"coalesce({found})"
    if to.startswith("grid"):
        scale = 10 ** int(to[4:])
        if numeric:
            return f"floor(CAST({column} AS DOUBLE) * {scale}) / {scale}"

        def grid(part: str) -> str:
            return f"CAST(floor(TRY_CAST({part} AS DOUBLE) * {scale}) / {scale} AS VARCHAR)"

        first = f"trim(split_part({s}, ',', 1))"
        second = f"trim(split_part({s}, ',', 2))"
        return (
            f"CASE WHEN position(',' IN {s}) > 0 THEN {grid(first)} || ',' || {grid(second)} "
            f"ELSE {grid(s)} END"
        )
    interval = {"5min": "INTERVAL 5 MINUTE", "hour": "INTERVAL 1 HOUR", "day": "INTERVAL 1 DAY"}
    if type_name in _TIME_TYPES:
        # A typed column's text cast back is the same timestamp: bucket the value itself
        # (the text round trip, folding and trimming cost most of a publish's write).
        return (
            f"strftime(time_bucket({interval[to]}, CAST({column} AS TIMESTAMP)), '%Y-%m-%d %H:%M')"
        )
    t = f"TRY_CAST({s} AS TIMESTAMP)"
    bucket = f"strftime(time_bucket({interval[to]}, {t}), '%Y-%m-%d %H:%M')"
    return f"coalesce({bucket}, {s})"


def column_sql(
    name: str, spec: ColumnPolicy, settings: Settings, *, numeric: bool, type_name: str = ""
) -> str | None:
    """The SQL expression that replaces column ``name`` (None: the column is dropped)."""
    col = quote_ident(name)
    if spec.action == "drop":
        return None
    if spec.action == "pseudonymize":
        return hmac_sql(col, settings, column=name)
    if spec.action == "mask":
        style = spec.style or "middle"
        if style == "text":
            return mask_text_sql(col)
        masked: MaskStyle = style  # type: ignore[assignment]  # validated in policy.py
        return f"CASE WHEN {col} IS NULL THEN NULL ELSE {mask_sql(_text(col), masked)} END"
    if spec.action == "generalize":
        assert spec.to is not None  # validated in policy.py
        return generalize_sql(col, spec.to, numeric=numeric, type_name=type_name)
    return col


def policy_sql(
    types: Mapping[str, str], policy: Policy, settings: Settings, *, table: str = "policy_input"
) -> str:
    """DuckDB SQL applying ``policy`` to ``table`` whose columns and type names (DuckDB's or
    Spark's) are ``types``, in order: the column actions, then (with ``suppress_rare_rows``
    or any ``suppress`` column) rows in quasi-identifier combinations rarer than k removed.
    DuckDB runs it as it is; :mod:`kaifang.privacy.spark` transpiles it for Spark."""
    unknown = [name for name in policy.columns if name not in types]
    if unknown:
        raise ValidationError(
            f"policy names columns the table does not have: {', '.join(map(repr, unknown))}",
            hint=f"Columns are: {', '.join(types)}.",
        )
    select: list[str] = []
    for name, type_name in types.items():
        spec = policy.columns.get(name, ColumnPolicy("keep"))
        expr = column_sql(
            name, spec, settings, numeric=is_numeric_type(type_name), type_name=type_name
        )
        if expr is not None:
            select.append(f"{expr} AS {quote_ident(name)}")
    if not select:
        raise ValidationError("the policy drops every column", hint="Keep at least one column.")
    transformed = f"SELECT {', '.join(select)} FROM {quote_ident(table)}"
    kept = [
        name for name in types if policy.columns.get(name, ColumnPolicy("keep")).action != "drop"
    ]
    quasi = suppressed_classes(kept, policy)
    if not quasi:
        return transformed
    k = policy.k or (
        settings.k_anonymity_sensitive if policy.sensitive_columns else settings.k_anonymity
    )
    return rare_rows_removed_sql(
        f"({transformed}) AS transformed",
        group=[quote_ident(c) for c in quasi],
        k=k,
        select=[quote_ident(c) for c in kept],
    )


def suppressed_classes(columns: Sequence[str], policy: Policy) -> list[str]:
    """The columns whose value combinations rarer than k ``policy`` removes from a table of
    ``columns`` (its kept columns); empty when it removes no rows. Rows then come out of
    the count grouped by class, not in the table's order."""
    kept = [
        name for name in columns if policy.columns.get(name, ColumnPolicy("keep")).action != "drop"
    ]
    quasi = [c for c in policy.quasi_identifiers if c in kept]
    quasi += [n for n, s in policy.columns.items() if s.action == "suppress" and n not in quasi]
    suppress = policy.suppress_rare_rows or any(
        s.action == "suppress" for s in policy.columns.values()
    )
    return quasi if suppress else []


def is_numeric_type(type_name: str) -> bool:
    """Whether a DuckDB (``INTEGER``, ``DECIMAL(9,2)``) or Spark (``int``, ``decimal(9,2)``)
    type name is a number."""
    base = type_name.lower().split("(", 1)[0].strip()
    return base in _NUMERIC


def apply_policy(
    relation: duckdb.DuckDBPyRelation, policy: Policy, settings: Settings
) -> duckdb.DuckDBPyRelation:
    """``relation`` with the policy applied (:func:`policy_sql`)."""
    types = {n: str(t) for n, t in zip(relation.columns, relation.types, strict=True)}
    return query(relation, "policy_input", policy_sql(types, policy, settings))
