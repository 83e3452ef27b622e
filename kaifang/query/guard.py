"""The query guard: parse with sqlglot, accept one read-only SELECT over published resources.

Two parsers look at every query. sqlglot (DuckDB dialect) checks the statement's shape and
resolves each table reference by scope (a CTE name is not a table); the SQL that runs is
regenerated from sqlglot's tree, never the user's text, and that regenerated text is then
parsed again by DuckDB itself (:mod:`kaifang.query.parse_check`), whose view of which
functions it will call is checked against the allow-lists.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError
from sqlglot.optimizer.scope import Scope, traverse_scope

from kaifang.errors import QueryError
from kaifang.query.parse_check import check_duckdb_parse

MAX_SQL_CHARS = 100_000
"""Longest SQL text accepted; longer text is refused before parsing."""
MAX_RENDERINGS = 16
"""Renderings one validated query keeps (one per dialect and row limit asked)."""

PINNED_VERSION = re.compile(r"^(?P<resource>.+)__v(?P<version>[1-9][0-9]*)$")
"""``<resource_id>__v<N>`` names version N of a resource; a bare id names the current one."""

_QUERY_TYPES = (exp.Select, exp.SetOperation)
_FORBIDDEN_ARGS = ("into", "locks")
_TABLE_HINT = (
    "Name a published resource by its id (e.g. FROM my_resource), or <id>__v<N> for version N; "
    "information_schema.tables and information_schema.columns list them."
)

INFORMATION_SCHEMA = {name: f"information_schema.{name}" for name in ("tables", "columns")}
"""The two schema-qualified names a query may use, each with the plain table name it becomes
(kaifang.query.information_schema builds them); DuckDB's own catalog stays out of reach."""


@dataclass(frozen=True)
class ValidatedQuery:
    """A query the guard accepted: its tree and the resource names it reads."""

    sql: str
    expression: exp.Query
    tables: tuple[str, ...]
    _rendered: dict[tuple[str, int | None], str] = field(
        default_factory=dict, compare=False, repr=False
    )

    def render(self, *, dialect: str = "duckdb", limit: int | None = None) -> str:
        """The SQL to run (regenerated from the tree), optionally capped at ``limit`` rows;
        kept per dialect and limit, since a builder's query shape is validated once and run
        on every request (copying and regenerating the tree cost a page ~7 % of its CPU)."""
        key = (dialect, limit)
        rendered = self._rendered.get(key)
        if rendered is None:
            rendered = _render_tree(self.expression, dialect, limit)
            if len(self._rendered) >= MAX_RENDERINGS:
                self._rendered.clear()
            self._rendered[key] = rendered
        return rendered

    def rename_tables(self, names: Mapping[str, str], *, dialect: str) -> exp.Query:
        """A copy of the tree whose resource tables read ``names[resource]`` instead (a
        possibly dotted table name in ``dialect``); each keeps its name as its alias."""
        tree = self.expression.copy()
        for table in _physical_tables(tree):
            target = names.get(table.name)
            if target is None or target == table.name:
                continue
            parts = exp.to_table(target, dialect=dialect)
            if not table.alias:
                table.set("alias", exp.TableAlias(this=exp.to_identifier(table.name)))
            for key in ("this", "db", "catalog"):
                table.set(key, parts.args.get(key))
        return tree


def validate_sql(sql: str, *, known_tables: Callable[[str], bool]) -> ValidatedQuery:
    """Parse ``sql`` and accept it only if it is one read-only query over known tables.

    ``known_tables(name)`` says whether a table name (a resource id or ``<id>__v<N>``) is a
    published resource. Raises :class:`~kaifang.errors.QueryError` saying what was refused.
    """
    if len(sql) > MAX_SQL_CHARS:
        raise QueryError(
            f"the SQL is {len(sql):,} characters long; the limit is {MAX_SQL_CHARS:,}",
            hint="Shorten the query: filter with parameters or a WHERE clause, not long lists.",
        )
    expression, tables = _analyse(sql)
    for name in tables:
        if not known_tables(name):
            raise QueryError(f"table {name!r} is not a published resource", hint=_TABLE_HINT)
    return ValidatedQuery(sql=sql, expression=expression, tables=tables)


@functools.lru_cache(maxsize=256)
def _analyse(sql: str) -> tuple[exp.Query, tuple[str, ...]]:
    """Both parsers' verdict on ``sql`` and the table names it reads, cached by text: the
    rows endpoint sends the same SQL with different bound values, so most requests skip the
    parsing. The tree is shared between callers; everything that changes it copies it first."""
    expression = _schema_views(_parse_one(sql))
    for node in expression.walk():
        if isinstance(node, exp.Query) and any(node.args.get(arg) for arg in _FORBIDDEN_ARGS):
            raise QueryError(
                "SELECT ... INTO and row locks are not allowed: queries are read-only",
                hint="Remove the INTO / FOR UPDATE clause.",
            )
    tables = _table_names(expression)
    try:
        check_duckdb_parse(expression.sql(dialect="duckdb"), tables=tables)
    except RecursionError:
        raise _too_deep() from None
    return expression, tables


def _parse_one(sql: str) -> exp.Query:
    try:
        statements = [s for s in sqlglot.parse(sql, read="duckdb") if s is not None]
    except RecursionError:
        raise _too_deep() from None
    except SqlglotError as error:
        first = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise QueryError(
            f"could not parse the SQL: {_strip_ansi(first)}",
            hint="Check the syntax near the position given; only SELECT queries are accepted.",
        ) from None
    if len(statements) != 1:
        raise QueryError(
            f"expected exactly one statement, found {len(statements)}",
            hint="Send one SELECT per request, without ';' between statements.",
        )
    statement = statements[0]
    while isinstance(statement, exp.Subquery):
        if any(value for key, value in statement.args.items() if key != "this"):
            raise QueryError(
                "a parenthesized query cannot be followed by ORDER BY, LIMIT or an alias here",
                hint="Remove the outer parentheses: SELECT ... ORDER BY ... LIMIT ...",
            )
        statement = statement.this
    if not isinstance(statement, _QUERY_TYPES):
        kind = statement.key.upper() if statement.key != "command" else _command_name(statement)
        raise QueryError(
            f"{kind} statements are not allowed: only SELECT queries can run",
            hint="Queries are read-only: use SELECT, WITH and UNION / INTERSECT / EXCEPT.",
        )
    return statement


def _schema_views(tree: exp.Query) -> exp.Query:
    """Turn ``information_schema.tables`` / ``.columns`` into the plain names of kaifang's
    own views (aliased by their short name, so ``tables.table_name`` still reads); any other
    qualified name is left for :func:`_table_names` to refuse."""
    for table in list(tree.find_all(exp.Table)):
        schema, catalog = table.args.get("db"), table.args.get("catalog")
        if not isinstance(table.this, exp.Identifier) or catalog or schema is None:
            continue
        plain = INFORMATION_SCHEMA.get(table.name.lower())
        if schema.name.lower() != "information_schema" or plain is None:
            continue
        if not table.alias:
            table.set("alias", exp.TableAlias(this=exp.to_identifier(table.name.lower())))
        table.set("this", exp.to_identifier(plain, quoted=True))
        table.set("db", None)
    return tree


def _command_name(statement: exp.Expr) -> str:
    return str(statement.this).split()[0].upper() if statement.this else "this"


def _table_names(tree: exp.Query) -> tuple[str, ...]:
    try:
        physical, cte_references = _classify_tables(tree)
    except RecursionError:
        raise _too_deep() from None
    except SqlglotError as error:
        raise QueryError(f"could not resolve the query's tables: {error}") from None
    physical_ids = {id(table) for table in physical}
    names: list[str] = []
    for table in tree.find_all(exp.Table):
        if not isinstance(table.this, exp.Identifier):
            continue  # a table function: DuckDB's parse checks it against the allow-list
        if id(table) in cte_references and id(table) not in physical_ids:
            continue
        if table.args.get("db") or table.args.get("catalog"):
            raise QueryError(
                f"table {table.sql(dialect='duckdb')} is qualified by a schema or catalog",
                hint=_TABLE_HINT,
            )
        if id(table) not in physical_ids:
            raise QueryError(f"cannot tell what table {table.name!r} refers to", hint=_TABLE_HINT)
        if table.name not in names:
            names.append(table.name)
    return tuple(names)


def _classify_tables(tree: exp.Query) -> tuple[list[exp.Table], set[int]]:
    """Table nodes that read a real table, and ids of the nodes that name a CTE, by scope."""
    physical: list[exp.Table] = []
    cte_references: set[int] = set()
    for scope in traverse_scope(tree):
        for node, source in scope.selected_sources.values():
            if isinstance(source, Scope):
                cte_references.add(id(node))
            elif isinstance(node, exp.Table) and isinstance(node.this, exp.Identifier):
                physical.append(node)
    return physical, cte_references


def _physical_tables(tree: exp.Query) -> list[exp.Table]:
    return _classify_tables(tree)[0]


def _render_tree(query: exp.Query, dialect: str, limit: int | None) -> str:
    if limit is not None:
        query = _with_limit(query, limit)
    return query.sql(dialect=dialect)


def _with_limit(query: exp.Query, limit: int) -> exp.Query:
    existing = query.args.get("limit")
    if _caps_at(existing, limit) and not query.args.get("offset"):
        return query  # its own LIMIT already returns no more (a builder's page: no wrapping)
    if existing is None and not query.args.get("offset"):
        capped = query.copy()
        capped.set("limit", exp.Limit(expression=exp.Literal.number(limit)))
        return capped
    wrapped: exp.Query = (
        exp.select(exp.Star()).from_(query.copy().subquery("kaifang_result")).limit(limit)
    )
    return wrapped


def _caps_at(existing: exp.Expression | None, limit: int) -> bool:
    """Whether ``existing`` is a plain ``LIMIT <integer>`` of at most ``limit`` rows."""
    if not isinstance(existing, exp.Limit):
        return False
    if {key for key, value in existing.args.items() if value} != {"expression"}:
        return False
    count = existing.expression
    return isinstance(count, exp.Literal) and count.is_int and int(count.name) <= limit


def _too_deep() -> QueryError:
    return QueryError(
        "the query is nested too deeply to analyse",
        hint="Flatten it: use a CTE (WITH) instead of many nested parentheses or subqueries.",
    )


def _strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)
