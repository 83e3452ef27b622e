"""Freeway history on Spark: the bulk import parses generated TDCS files like DuckDB does, and
the freeway analyses give the same answers on both engines."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from kaifang.query import QueryEngine
from kaifang.query.spark_engine import SparkEngine
from kaifang.sources.freeway.generate import FreewayPlan, generate_freeway
from kaifang.sources.freeway.importer import import_freeway
from kaifang.sources.freeway.spark import (
    ANALYSES,
    import_freeway_spark,
    tdcs_duckdb_sql,
    tdcs_files,
)
from kaifang.storage import VersionStore
from tests.catalogs import MakeSettings

pytestmark = pytest.mark.spark
CODES = ("M03A", "M05A")


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    root = tmp_path_factory.mktemp("tdcs")
    generated = generate_freeway(root, FreewayPlan(days=2, datasets=CODES, scale=0.02))
    return root, generated.rows


@pytest.fixture(scope="module")
def both_parquets(
    history: tuple[Path, dict[str, int]],
    spark_engine: SparkEngine,
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, int]]:
    root, _rows = history
    out = tmp_path_factory.mktemp("parquet")
    imported = import_freeway_spark(spark_engine.settings, root, datasets=CODES, out_dir=out)
    spark_files = {
        code.lower(): sorted(str(p) for p in folder.glob("part-*.parquet"))
        for code, folder in imported.folders.items()
    }
    duck_files = {}
    for code in CODES:
        target = out / f"{code}-duckdb.parquet"
        duckdb.execute(
            f"COPY ({tdcs_duckdb_sql(code, tdcs_files(root, code))}) TO '{target}' (FORMAT parquet)"
        )
        duck_files[code.lower()] = [str(target)]
    return duck_files, spark_files, imported.rows


def test_spark_import_keeps_every_row(
    history: tuple[Path, dict[str, int]],
    both_parquets: tuple[dict[str, list[str]], dict[str, list[str]], dict[str, int]],
) -> None:
    _root, generated = history
    assert both_parquets[2] == {code: generated[code] for code in CODES}


@pytest.mark.parametrize("name", ANALYSES)
def test_analyses_agree(
    name: str,
    both_parquets: tuple[dict[str, list[str]], dict[str, list[str]], dict[str, int]],
    spark_engine: SparkEngine,
) -> None:
    duck_files, spark_files, _rows = both_parquets
    folder = Path(next(iter(duck_files.values()))[0]).parent
    with QueryEngine(spark_engine.settings, allowed_directories=[folder]) as duck:
        expected = duck.run_sql(ANALYSES[name], resolver=duck_files.get)
    got = spark_engine.run_sql(ANALYSES[name], resolver=spark_files.get)
    assert got.columns == expected.columns
    assert got.rows == expected.rows
    assert expected.rows  # the analysis found something to compare


def test_import_freeway_on_spark_publishes_what_duckdb_publishes(
    history: tuple[Path, dict[str, int]],
    spark_engine: SparkEngine,
    tmp_path_factory: pytest.TempPathFactory,
    make_settings: MakeSettings,
) -> None:
    """``kaifang import freeway --engine spark``: the same resources, rows and per-day
    partitions as the DuckDB import of the same files (each into a catalog of its own)."""
    root, generated = history
    published = {}
    cluster = spark_engine.settings
    for engine in ("duckdb", "spark"):
        settings = make_settings(
            tmp_path_factory.mktemp(engine),
            spark_master=cluster.spark_master,
            query_timeout=cluster.query_timeout,
        )
        result = import_freeway(settings, root, engine=engine)
        published[engine] = {r.code: (r.resource, r.version, r.rows) for r in result.resources}
        files = VersionStore(settings).version_files("freeway_m03a", 1)
        assert sum("Date=" in f for f in files) == 2  # one partition per generated day
    assert published["spark"] == published["duckdb"]
    assert published["spark"]["M03A"][2] == generated["M03A"]
