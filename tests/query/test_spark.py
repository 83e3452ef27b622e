"""to_spark_sql: the validated query in Spark's dialect, tables renamed, aliases kept."""

from __future__ import annotations

import pytest

from kaifang.query import to_spark_sql, validate_sql


def always(name: str) -> bool:
    return True


@pytest.mark.parametrize(
    ("sql", "tables", "expected"),
    [
        (
            "SELECT people.name FROM people",
            {"people": "kaifang.people_v3"},
            "SELECT people.name FROM kaifang.people_v3 AS people",
        ),
        (
            "SELECT p.name, c.population FROM people__v1 AS p JOIN cities c USING (city)",
            {"people__v1": "people_v1", "cities": "cities_v2"},
            "SELECT p.name, c.population FROM people_v1 AS p JOIN cities_v2 AS c USING (city)",
        ),
        (
            "WITH t AS (SELECT * FROM people) SELECT count(*) FROM t",
            {"people": "spark_people"},
            "WITH t AS (SELECT * FROM spark_people AS people) SELECT COUNT(*) FROM t",
        ),
        ("SELECT * FROM people__v2", None, "SELECT * FROM people__v2"),
        (
            'SELECT "市" FROM "臺北市人口"',
            {"臺北市人口": "taipei_population"},
            "SELECT `市` FROM taipei_population AS `臺北市人口`",
        ),
    ],
)
def test_tables_are_renamed(sql: str, tables: dict[str, str] | None, expected: str) -> None:
    assert to_spark_sql(validate_sql(sql, known_tables=always), tables) == expected


def test_duckdb_functions_are_transpiled() -> None:
    validated = validate_sql(
        "SELECT list_transform([1, 2], x -> x + 1), strftime(born, '%Y') FROM people",
        known_tables=always,
    )
    spark = to_spark_sql(validated, {"people": "p"})
    assert "TRANSFORM(ARRAY(1, 2), x -> x + 1)" in spark
    assert "DATE_FORMAT" in spark
