"""`kaifang query --engine spark` and a portal with ``engine=spark`` run users' SQL on the
cluster and answer as DuckDB does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from kaifang.app import create_app
from kaifang.catalog import create_organization, open_catalog
from kaifang.cli import cli
from kaifang.publish import publish_file
from kaifang.query.spark_engine import SparkEngine
from kaifang.settings import Settings

pytestmark = pytest.mark.spark
ORG = "379130000E"
SQL = "SELECT 案類, count(*) AS n FROM {rid} GROUP BY 1 ORDER BY 1"


@pytest.fixture
def published(settings: Settings, tmp_path: Path) -> str:
    with open_catalog(settings) as catalog:
        create_organization(catalog, ORG, name="臺北市政府警察局")
    csv = tmp_path / "theft.csv"
    csv.write_text("編號,案類\n1,住宅竊盜\n2,汽車竊盜\n3,住宅竊盜\n", encoding="utf-8")
    return publish_file(settings, csv, org=ORG, title="竊盜").resource


def test_query_command_runs_on_spark(
    published: str, settings: Settings, spark_master: str, runner: CliRunner
) -> None:
    args = ["--data-dir", str(settings.data_dir), "query", SQL.format(rid=published), "--json"]
    env = {"KAIFANG_SPARK_MASTER": spark_master}
    on_duckdb = runner.invoke(cli, args, env=env)
    on_spark = runner.invoke(cli, [*args, "--engine", "spark"], env=env)
    assert on_spark.exit_code == 0, on_spark.output
    assert json.loads(on_spark.stdout)["rows"] == json.loads(on_duckdb.stdout)["rows"]
    assert json.loads(on_spark.stdout)["rows"] == [["住宅竊盜", 2], ["汽車竊盜", 1]]


def test_portal_sql_runs_on_spark_when_configured(
    published: str, settings: Settings, spark_master: str
) -> None:
    spark_settings = settings.replace(engine="spark", spark_master=spark_master)
    with TestClient(create_app(spark_settings)) as client:
        service = client.app.state.service
        assert isinstance(service.sql_engine, SparkEngine)
        answer = client.get("/api/sql", params={"sql": SQL.format(rid=published)})
    assert answer.status_code == 200, answer.text
    assert answer.json()["rows"] == [["住宅竊盜", 2], ["汽車竊盜", 1]]


def test_query_command_shows_spark_progress_and_its_own_limit(
    published: str, settings: Settings, spark_master: str, runner: CliRunner
) -> None:
    args = ["--data-dir", str(settings.data_dir), "query", SQL.format(rid=published), "--json"]
    env = {"KAIFANG_SPARK_MASTER": spark_master, "KAIFANG_QUERY_TIMEOUT": "0.001"}
    on_spark = runner.invoke(cli, [*args, "--engine", "spark"], env=env)
    # query_timeout is DuckDB's: the Spark query runs under spark_query_timeout (120 s)
    assert on_spark.exit_code == 0, on_spark.output
    assert "Starting Spark on" in on_spark.stderr
    assert json.loads(on_spark.stdout)["rows"] == [["住宅竊盜", 2], ["汽車竊盜", 1]]
