"""DuckDB and Spark give the same answers to the query corpus, on the same Parquet files."""

from __future__ import annotations

from pathlib import Path

import pytest

from kaifang.errors import QueryError
from kaifang.query import QueryEngine
from kaifang.query.spark_engine import SparkEngine
from kaifang.settings import load_settings
from tests.query.conftest import Tables, make_tables

pytestmark = pytest.mark.spark

# The positive cases of tests/query that are standard SQL (DuckDB's table functions and
# lambdas, such as range() and list_transform(), have no Spark equivalent and stay DuckDB's).
CORPUS = [
    "SELECT count(*) FROM people",
    "SELECT count(*) FROM people__v1",
    "SELECT count(*) FROM people__v2",
    "SELECT p.name, c.population FROM people__v1 AS p JOIN cities c USING (city) ORDER BY p.id",
    "SELECT city, count(*) AS n, max(age) FROM people WHERE city IS NOT NULL "
    "GROUP BY city HAVING count(*) > 1 ORDER BY city",
    "SELECT id, rank() OVER (PARTITION BY city ORDER BY id DESC) AS r FROM people__v1 ORDER BY id",
    "WITH old AS (SELECT * FROM people WHERE age >= 50) SELECT name FROM old ORDER BY 1",
    "SELECT city FROM people__v1 UNION SELECT city FROM cities ORDER BY city",
    "SELECT city FROM cities EXCEPT SELECT city FROM people__v1 ORDER BY city",
    "SELECT upper('a'), 'a' || 'b'",
    "SELECT name FROM people WHERE born = DATE '2005-03-03'",
    "SELECT * FROM 'cities' WHERE population < 500000",
    "SELECT city, avg(score) AS mean, sum(age) FROM people GROUP BY city ORDER BY city NULLS FIRST",
    "SELECT name, age, row_number() OVER (ORDER BY age DESC NULLS LAST, id) AS n FROM people "
    "ORDER BY n",
    "SELECT strftime(born, '%Y') AS y, count(*) FROM people WHERE born IS NOT NULL "
    "GROUP BY 1 ORDER BY 1",
    "SELECT p.id FROM people p WHERE p.city IN (SELECT city FROM cities WHERE population > "
    "2000000) ORDER BY p.id",
    "SELECT coalesce(name, '?') AS who, CASE WHEN age >= 40 THEN 'old' ELSE 'young' END AS band "
    "FROM people ORDER BY id, who",
]


@pytest.fixture(scope="module")
def corpus_tables(tmp_path_factory: pytest.TempPathFactory) -> Tables:
    return make_tables(tmp_path_factory.mktemp("tables"))


@pytest.mark.parametrize("sql", CORPUS)
def test_spark_answers_as_duckdb(
    sql: str, corpus_tables: Tables, spark_engine: SparkEngine, tmp_path: Path
) -> None:
    settings = load_settings({}, data_dir=tmp_path)
    with QueryEngine(
        settings, allowed_directories=[Path(corpus_tables["people"][0]).parents[2]]
    ) as duck:
        expected = duck.run_sql(sql, resolver=corpus_tables.get)
    got = spark_engine.run_sql(sql, resolver=corpus_tables.get)
    assert got.rows == expected.rows
    assert got.truncated is False


def test_parameters_and_row_limit(corpus_tables: Tables, spark_engine: SparkEngine) -> None:
    result = spark_engine.run_sql(
        "SELECT id FROM people WHERE age > ? ORDER BY id",
        resolver=corpus_tables.get,
        params=[40],
        max_rows=2,
    )
    assert result.rows == [(2,), (5,)]
    assert result.truncated is True


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("SELECT nope FROM people", "Spark could not run the query"),
        ("SELECT * FROM secrets", "secrets"),
        ("DROP TABLE people", "DROP"),
    ],
)
def test_errors_are_query_errors(
    sql: str, message: str, corpus_tables: Tables, spark_engine: SparkEngine
) -> None:
    with pytest.raises(QueryError, match=message):
        spark_engine.run_sql(sql, resolver=corpus_tables.get)


def test_information_schema_views_on_spark(
    corpus_tables: Tables, spark_engine: SparkEngine
) -> None:
    """The guard's dotted view names (kaifang.query.information_schema) register on Spark."""
    import pyarrow as pa
    import pyarrow.dataset as pads

    from kaifang.query import TableSource

    views: dict[str, TableSource] = {
        "information_schema.tables": pads.dataset(pa.table({"table_name": ["a", "b"]}))
    }

    def resolver(name: str) -> TableSource | None:
        return views.get(name) or corpus_tables.get(name)

    got = spark_engine.run_sql(
        "SELECT t.table_name, count(*) AS n FROM information_schema.tables t "
        "JOIN cities ON true GROUP BY 1 ORDER BY 1",
        resolver=resolver,
    )
    cities = len(spark_engine.run_sql("SELECT * FROM cities", resolver=resolver).rows)
    assert got.rows == [("a", cities), ("b", cities)]
