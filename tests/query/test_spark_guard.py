"""The guard answers before Spark starts: a refused query costs no JVM, whatever the engine."""

from __future__ import annotations

import time

import pytest
from click.testing import CliRunner

from kaifang.cli import cli
from kaifang.errors import QueryError
from kaifang.query.spark_engine import SparkEngine
from kaifang.settings import Settings

# A master nothing listens on: were Spark started, the command would wait and then fail on it.
NOWHERE = "spark://127.0.0.1:9"
REFUSED = "SELECT * FROM read_csv('/etc/passwd')"


def test_a_refused_query_never_starts_spark(settings: Settings) -> None:
    engine = SparkEngine(settings.replace(spark_master=NOWHERE))
    with pytest.raises(QueryError, match="read_csv"):
        engine.run_sql(REFUSED, resolver=lambda name: None)
    assert engine.started is False


def test_query_command_refuses_in_under_a_second_on_spark(
    settings: Settings, runner: CliRunner
) -> None:
    args = ["--data-dir", str(settings.data_dir), "query", REFUSED, "--engine", "spark"]
    runner.invoke(cli, ["--data-dir", str(settings.data_dir), "datasets"])  # imports, catalog
    began = time.perf_counter()
    result = runner.invoke(cli, args, env={"KAIFANG_SPARK_MASTER": NOWHERE})
    elapsed = time.perf_counter() - began
    assert isinstance(result.exception, QueryError)  # run_cli prints it as one error line
    assert "read_csv" in result.exception.message
    assert "Starting Spark" not in result.output
    assert elapsed < 1.0, f"refused in {elapsed:.2f} s"
