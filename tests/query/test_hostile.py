"""Hostile SQL: every case is refused with a clear error or stopped by a limit, and a normal
query still answers right after — on a fresh sandbox each time (run_sql) and on one engine
reused across all cases, as a server does."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kaifang.errors import QueryError, QueryLimitError
from kaifang.query import QueryEngine, TableSource, run_sql
from kaifang.query.serving import ServingCopy, build_copy, copy_alias, serving_root
from kaifang.settings import Settings, load_settings
from tests.query.conftest import PEOPLE, Tables, make_tables

REFUSED = "refused"
LIMIT = "limit"
NESTED = "(" * 1000 + "1" + ")" * 1000

# (id, sql, outcome, a fragment the message must contain)
CASES: list[tuple[str, str, str, str]] = [
    # files, in every form
    ("read_csv", "SELECT * FROM read_csv('/etc/passwd')", REFUSED, "read_csv"),
    ("read_csv_auto", "SELECT * FROM read_csv_auto('/etc/passwd', sep=':')", REFUSED, "read_csv"),
    ("from_string_path", "SELECT * FROM '/etc/passwd'", REFUSED, "not a published resource"),
    ("quoted_path", 'SELECT * FROM "/etc/passwd"', REFUSED, "not a published resource"),
    ("relative_path", 'SELECT * FROM "../people/v1/part-0.parquet"', REFUSED, "not a published"),
    ("read_text", "SELECT * FROM read_text('/etc/passwd')", REFUSED, "read_text"),
    ("read_blob", "SELECT content FROM read_blob('/etc/shadow')", REFUSED, "read_blob"),
    ("glob", "SELECT * FROM glob('/*')", REFUSED, "glob"),
    ("parquet_scan", "SELECT * FROM parquet_scan('/tmp/x.parquet')", REFUSED, "parquet_scan"),
    ("read_parquet_published", "SELECT * FROM read_parquet('{people}')", REFUSED, "read_parquet"),
    ("parquet_metadata", "SELECT * FROM parquet_metadata('{people}')", REFUSED, "parquet_meta"),
    ("http_url", "SELECT * FROM 'http://example.com/data.csv'", REFUSED, "not a published"),
    ("s3_url", "SELECT * FROM read_parquet('s3://bucket/x.parquet')", REFUSED, "read_parquet"),
    ("read_json_auto", "SELECT * FROM read_json_auto('/etc/passwd')", REFUSED, "read_json"),
    ("read_ndjson", "SELECT * FROM read_ndjson_objects('/etc/passwd')", REFUSED, "read_ndjson"),
    ("sniff_csv", "SELECT * FROM sniff_csv('/etc/passwd')", REFUSED, "sniff_csv"),
    ("csv_join", "SELECT * FROM people, read_csv('/etc/hosts')", REFUSED, "read_csv"),
    ("cte_file", "WITH x AS (SELECT * FROM '/etc/passwd') SELECT * FROM x", REFUSED, "not a pub"),
    (
        "subquery_file",
        "SELECT * FROM people WHERE name IN (SELECT * FROM read_csv('/etc/passwd'))",
        REFUSED,
        "read_csv",
    ),
    (
        "scalar_subquery",
        "SELECT (SELECT count(*) FROM read_text('/etc/passwd'))",
        REFUSED,
        "read_text",
    ),
    (
        "lateral_file",
        "SELECT * FROM people, LATERAL (SELECT * FROM glob(people.name)) g",
        REFUSED,
        "glob",
    ),
    ("query_table", "SELECT * FROM query_table('people')", REFUSED, "query_table"),
    ("query_fn", "SELECT * FROM query('SELECT 1')", REFUSED, "query"),
    # catalog, settings and environment
    ("duckdb_settings", "SELECT * FROM duckdb_settings()", REFUSED, "duckdb_settings"),
    ("duckdb_extensions", "SELECT * FROM duckdb_extensions()", REFUSED, "duckdb_extensions"),
    ("duckdb_tables_view", "SELECT * FROM duckdb_tables", REFUSED, "not a published resource"),
    # information_schema.tables / .columns are kaifang's own views (the resolver builds them;
    # this one has none): DuckDB's catalog is never what the names reach
    ("information_schema", "SELECT * FROM information_schema.tables", REFUSED, "not a published"),
    ("information_schema_other", "SELECT * FROM information_schema.schemata", REFUSED, "qualified"),
    ("information_schema_db", "SELECT * FROM memory.information_schema.tables", REFUSED, "qualif"),
    ("pg_catalog", "SELECT * FROM pg_catalog.pg_tables", REFUSED, "qualified"),
    ("qualified_resource", "SELECT * FROM main.people", REFUSED, "qualified"),
    (
        "cte_shadow",
        "SELECT * FROM (WITH duckdb_tables AS (SELECT 1) SELECT 1), duckdb_tables",
        REFUSED,
        "not a published resource",
    ),
    ("getenv", "SELECT getenv('HOME')", REFUSED, "getenv"),
    ("current_setting", "SELECT current_setting('temp_directory')", REFUSED, "current_setting"),
    ("pragma_fn", "SELECT * FROM pragma_version()", REFUSED, "pragma_version"),
    ("pragma_stmt", "PRAGMA enable_profiling", REFUSED, "not allowed"),
    ("setseed", "SELECT setseed(0.5)", REFUSED, "setseed"),
    ("sleep", "SELECT sleep_ms(100000)", REFUSED, "sleep_ms"),
    ("json_execute", "SELECT * FROM json_execute_serialized_sql('{{}}')", REFUSED, "json_exec"),
    ("describe_ref", "FROM (DESCRIBE people)", REFUSED, "not"),
    # extensions
    ("install", "INSTALL httpfs", REFUSED, "not allowed"),
    ("force_install", "FORCE INSTALL httpfs", REFUSED, "not allowed"),
    ("load", "LOAD httpfs", REFUSED, "not allowed"),
    # statements that write or change state
    ("attach", "ATTACH '{out}/evil.duckdb' AS evil", REFUSED, "not allowed"),
    ("copy_to", "COPY people TO '{out}/people.csv'", REFUSED, "not allowed"),
    ("copy_query", "COPY (SELECT * FROM people) TO '{out}/p.csv' (FORMAT csv)", REFUSED, "not"),
    ("export", "EXPORT DATABASE '{out}/dump'", REFUSED, ""),
    ("set", "SET enable_external_access = true", REFUSED, "not allowed"),
    ("reset", "RESET lock_configuration", REFUSED, "not allowed"),
    ("call", "CALL pragma_version()", REFUSED, "not allowed"),
    ("create", "CREATE TABLE t AS SELECT * FROM people", REFUSED, "not allowed"),
    ("create_macro", "CREATE MACRO f(x) AS x", REFUSED, "not allowed"),
    ("drop", "DROP TABLE people", REFUSED, "not allowed"),
    ("insert", "INSERT INTO people VALUES (1)", REFUSED, "not allowed"),
    ("update", "UPDATE people SET age = 1", REFUSED, "not allowed"),
    ("delete", "DELETE FROM people", REFUSED, "not allowed"),
    ("alter", "ALTER TABLE people ADD COLUMN x INTEGER", REFUSED, "not allowed"),
    ("select_into", "SELECT * INTO copy_of_people FROM people", REFUSED, "INTO"),
    ("secret", "CREATE SECRET s (TYPE s3, KEY_ID 'x', SECRET 'y')", REFUSED, "not allowed"),
    # several statements, comments
    ("two_statements", "SELECT 1; DROP TABLE people", REFUSED, "exactly one statement"),
    (
        "trailing_statement",
        "SELECT * FROM people;\nSELECT * FROM read_csv('/etc/passwd');",
        REFUSED,
        "exactly one statement",
    ),
    ("comment_hides_semicolon", "SELECT 1 /* ; */ ; INSTALL httpfs", REFUSED, "exactly one"),
    (
        "line_comment",
        "SELECT * FROM read_text('/etc/passwd') -- just a comment",
        REFUSED,
        "read_text",
    ),
    ("comment_inside_name", "SELECT * FROM read_/**/csv('/etc/passwd')", REFUSED, ""),
    (
        "comment_split",
        "SELECT * FROM /* people */ read_csv /* x */ ('/etc/passwd')",
        REFUSED,
        "read_csv",
    ),
    # unicode tricks
    ("fullwidth", "SELECT * FROM ｒｅａｄ＿ｃｓｖ('/etc/passwd')", REFUSED, "not allowed"),
    ("fullwidth_getenv", "SELECT ｇｅｔｅｎｖ('HOME')", REFUSED, "not allowed"),
    ("homoglyph_table", "SELECT * FROM реорlе", REFUSED, "not a published resource"),
    ("zero_width_fn", "SELECT * FROM read\u200b_csv('/etc/passwd')", REFUSED, ""),
    ("zero_width_table", "SELECT * FROM peo\u200bple", REFUSED, "not a published resource"),
    ("quoted_lookalike", 'SELECT * FROM "people.parquet"', REFUSED, "not a published resource"),
    # resource exhaustion
    (
        "cross_join",
        "SELECT count(*) FROM people a, people b, people c, people d, people e, "
        "people f, people g, people h, people i, people j",
        LIMIT,
        "stopped",
    ),
    (
        "range_cross_join",
        "SELECT count(*) FROM range(1000000) a, range(1000000) b",
        LIMIT,
        "stopped",
    ),
    (
        "recursive_cte",
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r",
        LIMIT,
        "stopped",
    ),
    (
        "generate_series_table",
        "SELECT count(*) FROM generate_series(1, 1000000000000)",
        LIMIT,
        "stopped",
    ),
    (
        "generate_series_list",
        "SELECT unnest(generate_series(1, 1000000000000))",
        REFUSED,
        "Lists larger",
    ),
    (
        "lambda_blowup",
        "SELECT sum(length(list_aggregate(list_transform(range(100000), "
        "x -> repeat('x', 1000)), 'string_agg', ''))) FROM range(1000000)",
        LIMIT,
        "stopped",
    ),
    (
        "memory_blowup",
        "SELECT length(string_agg(repeat('x', 1000), '')) FROM range(1000000)",
        LIMIT,
        "memory limit of 256MB",
    ),
    ("deep_nesting", f"SELECT {NESTED}", REFUSED, "nested too deeply"),
    (
        "deep_subqueries",
        "SELECT * FROM " + "(SELECT * FROM " * 300 + "people" + ") t" * 300,
        REFUSED,
        "",
    ),
    ("long_query", "SELECT 1" + " " * 1_000_000, REFUSED, "limit is 100,000"),
    ("long_in_list", "SELECT 1 WHERE 1 IN (" + ", ".join(["1"] * 40_000) + ")", REFUSED, "limit"),
]

assert len(CASES) >= 40
assert len({case[0] for case in CASES}) == len(CASES)

Resolver = Callable[[str], list[str] | None]
NORMAL = "SELECT count(*) FROM people"


def _sql(template: str, tables: Tables, out: Path) -> str:
    """The case's SQL; ``{out}`` is a folder that must still not exist afterwards."""
    return (
        template.replace("{people}", tables["people"][0])
        .replace("{out}", str(out))
        .replace("{{}}", "{}")
    )


def _check(outcome: str, fragment: str, error: QueryError) -> None:
    if outcome == LIMIT:
        assert isinstance(error, QueryLimitError), error
    text = str(error)
    assert fragment in text, text
    assert "Traceback" not in text
    assert error.hint, "every refusal says what to do next"


@pytest.mark.parametrize(
    ("sql", "outcome", "fragment"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_refused_or_stopped(
    sql: str, outcome: str, fragment: str, tables: Tables, query_settings: Settings, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    with pytest.raises(QueryError) as caught:
        run_sql(_sql(sql, tables, out), resolver=tables.get, settings=query_settings)
    _check(outcome, fragment, caught.value)
    assert not out.exists()
    answer = run_sql(NORMAL, resolver=tables.get, settings=query_settings)
    assert answer.rows == [(len(PEOPLE["id"]),)]


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[QueryEngine, Tables]]:
    root = tmp_path_factory.mktemp("shared")
    tables = make_tables(root / "tables")
    settings = load_settings(
        {}, data_dir=root / "data", query_timeout=1.0, query_memory_limit="256MB"
    )
    engine = QueryEngine(settings, allowed_directories=[root / "tables"])
    yield engine, tables
    engine.close()


@pytest.mark.parametrize(
    ("sql", "outcome", "fragment"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_refused_or_stopped_on_a_reused_engine(
    sql: str, outcome: str, fragment: str, shared: tuple[QueryEngine, Tables]
) -> None:
    engine, tables = shared
    out = Path(tables["people"][0]).parents[3] / "out"
    with pytest.raises(QueryError) as caught:
        engine.run_sql(_sql(sql, tables, out), resolver=tables.get)
    _check(outcome, fragment, caught.value)
    assert not out.exists()
    assert engine.run_sql(NORMAL, resolver=tables.get).rows == [(len(PEOPLE["id"]),)]


# -- the same cases where the resources are attached serving copies (kaifang.query.serving) --
COPY_WRITES: list[tuple[str, str]] = [
    ("insert_copy_alias", "INSERT INTO {alias}.data SELECT * FROM {alias}.data"),
    ("select_copy_alias", "SELECT * FROM {alias}.data"),
    ("delete_copy_alias", "DELETE FROM {alias}.data"),
    ("detach_copy", "DETACH {alias}"),
    ("attach_copy_writable", "ATTACH '{path}' AS again"),
    ("update_through_view", "UPDATE people SET age = 0"),
    ("create_in_copy", "CREATE TABLE {alias}.extra AS SELECT 1"),
]


@pytest.fixture(scope="module")
def shared_copies(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[QueryEngine, Tables, Callable[[str], TableSource | None]]]:
    root = tmp_path_factory.mktemp("copies")
    tables = make_tables(root / "tables")
    settings = load_settings(
        {}, data_dir=root / "data", query_timeout=1.0, query_memory_limit="256MB"
    )
    sources: dict[str, TableSource] = dict(tables)
    for name, rows in (("people", len(PEOPLE["id"])), ("cities", 4)):
        path = build_copy(settings, name, 1, tables[name], rows=rows)
        assert path is not None
        sources[name] = ServingCopy(str(path), rows, tables[name])
    engine = QueryEngine(settings, allowed_directories=[root / "tables", serving_root(settings)])
    yield engine, tables, sources.get
    engine.close()


@pytest.mark.parametrize(
    ("sql", "outcome", "fragment"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_refused_or_stopped_when_reading_serving_copies(
    sql: str,
    outcome: str,
    fragment: str,
    shared_copies: tuple[QueryEngine, Tables, Callable[[str], TableSource | None]],
) -> None:
    engine, tables, resolve = shared_copies
    out = Path(tables["people"][0]).parents[3] / "out"
    with pytest.raises(QueryError) as caught:
        engine.run_sql(_sql(sql, tables, out), resolver=resolve)
    _check(outcome, fragment, caught.value)
    assert not out.exists()
    assert engine.run_sql(NORMAL, resolver=resolve).rows == [(len(PEOPLE["id"]),)]


@pytest.mark.parametrize("sql", [c[1] for c in COPY_WRITES], ids=[c[0] for c in COPY_WRITES])
def test_users_cannot_name_or_write_an_attached_copy(
    sql: str, shared_copies: tuple[QueryEngine, Tables, Callable[[str], TableSource | None]]
) -> None:
    engine, _tables, resolve = shared_copies
    engine.run_sql(NORMAL, resolver=resolve)  # attaches the copies
    copy = resolve("people")
    assert isinstance(copy, ServingCopy)
    text = sql.format(alias=copy_alias(copy.path), path=copy.path)
    with pytest.raises(QueryError) as caught:
        engine.run_sql(text, resolver=resolve)
    assert caught.value.hint
    assert engine.run_sql("SELECT sum(age) FROM people", resolver=resolve).rows == [(410,)]
