"""Spark writes the version's files itself and the store adopts them: the published version
equals the DuckDB import's, adoption is atomic, and fingerprints of the two engines never
let one reuse the other's days."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow.dataset as pads
import pyarrow.parquet as pq
import pytest

from kaifang.catalog.db import open_catalog
from kaifang.errors import ValidationError
from kaifang.query import run_sql
from kaifang.query.resolver import catalog_resolver
from kaifang.query.spark_engine import SparkEngine
from kaifang.query.spark_session import spark_session
from kaifang.settings import Settings
from kaifang.sources.freeway.generate import FreewayPlan, generate_freeway
from kaifang.sources.freeway.importer import FreewayImport, import_freeway
from kaifang.sources.freeway.spark_files import FINGERPRINT_SCHEME, write_partitioned_spark
from kaifang.storage import ROW_GROUP_ROWS, AdoptedFile, VersionStore

pytestmark = pytest.mark.spark
CODES = ("M03A", "M06A")
CLUSTERING = {
    "M03A": ["Date", "GantryID", "TimeInterval"],
    "M06A": ["Date", "GantryID_O", "DetectionTime_O"],
}


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tdcs")
    generate_freeway(root, FreewayPlan(days=2, datasets=CODES, scale=0.02, trips_per_day=3000))
    return root


@pytest.fixture(scope="module")
def imports(
    history: Path,
    spark_settings: Callable[..., Settings],
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, tuple[Settings, FreewayImport]]:
    out = {}
    for engine in ("duckdb", "spark"):
        settings = spark_settings(
            tmp_path_factory.mktemp(engine), k_anonymity=3, freeway_trip_max_loss=1.0
        )
        out[engine] = (settings, import_freeway(settings, history, engine=engine))
    return out


def query(settings: Settings, sql: str) -> list[tuple[Any, ...]]:
    store = VersionStore(settings)
    with open_catalog(settings) as catalog:
        result = run_sql(
            sql, resolver=catalog_resolver(catalog, store), settings=settings, max_rows=1_000_000
        )
    return [tuple(row) for row in result.rows]


@pytest.mark.parametrize("code", CODES)
def test_spark_publishes_the_version_duckdb_publishes(
    imports: dict[str, tuple[Settings, FreewayImport]], code: str
) -> None:
    found = {
        engine: next(r for r in result.resources if r.code == code)
        for engine, (_settings, result) in imports.items()
    }
    duck, spark = found["duckdb"], found["spark"]
    assert (spark.resource, spark.version, spark.rows) == (duck.resource, duck.version, duck.rows)
    assert spark.days_written == duck.days_written == ["2024-03-25", "2024-03-26"]
    assert spark.screening == duck.screening
    manifests = {
        engine: VersionStore(settings).read_manifest(duck.resource, 1)
        for engine, (settings, _result) in imports.items()
    }
    columns = [f["name"] for f in manifests["duckdb"]["schema"]["fields"]]
    listed = ", ".join(columns)
    types = ", ".join(f"typeof({c})" for c in columns)
    answers = {
        engine: (
            query(settings, f"SELECT {listed} FROM {duck.resource} ORDER BY ALL"),
            query(settings, f"SELECT {types} FROM {duck.resource} LIMIT 1"),
        )
        for engine, (settings, _result) in imports.items()
    }
    assert answers["spark"] == answers["duckdb"]
    assert len(answers["spark"][0]) == spark.rows
    for key in ("schema", "clustered_by", "partitions_written"):
        assert manifests["spark"][key] == manifests["duckdb"][key]
    assert manifests["spark"]["clustered_by"] == CLUSTERING[code]
    partitions = {
        engine: [f["partition"] for f in manifest["files"]]
        for engine, manifest in manifests.items()
    }
    assert partitions["spark"] == partitions["duckdb"]
    assert manifests["spark"]["source"]["format"] == "spark-parquet"
    assert all(p.startswith(FINGERPRINT_SCHEME) for p in manifests["spark"]["partitions"].values())


@pytest.mark.parametrize("code", CODES)
def test_spark_files_are_sorted_zstd_with_row_groups(
    imports: dict[str, tuple[Settings, FreewayImport]], code: str
) -> None:
    settings, result = imports["spark"]
    resource = next(r.resource for r in result.resources if r.code == code)
    keys = [k for k in CLUSTERING[code] if k != "Date"]
    for path in VersionStore(settings).version_files(resource, 1):
        table = pq.read_table(path, columns=keys)
        assert table.equals(table.sort_by([(k, "ascending") for k in keys]))
        metadata = pq.ParquetFile(path).metadata
        assert metadata.row_group(0).column(0).compression == "ZSTD"


def test_reimports_reuse_only_their_own_engine_s_days(
    history: Path, imports: dict[str, tuple[Settings, FreewayImport]]
) -> None:
    settings, _first = imports["spark"]
    again = import_freeway(settings, history, engine="spark")
    assert all(r.unchanged for r in again.resources)
    switched = import_freeway(settings, history, engine="duckdb")
    trips = next(r for r in switched.resources if r.code == "M06A")
    assert (trips.unchanged, trips.version) == (False, 2)
    assert trips.days_written == ["2024-03-25", "2024-03-26"]  # other scheme: all changed
    assert trips.days_kept == []


def test_a_failed_adoption_of_spark_files_leaves_nothing(
    spark_engine: SparkEngine, tmp_path: Path
) -> None:
    settings = spark_engine.settings.replace(data_dir=tmp_path / "data")
    session = spark_session(settings)
    frame = session.sql(
        "SELECT id, CAST(DATE'2024-03-25' + CAST(id % 3 AS INT) AS DATE) AS Date "
        "FROM range(0, 3000)"
    )
    written = write_partitioned_spark(
        frame, tmp_path / "spark", partition_by="Date", order_by=["id"]
    )
    assert len(written.files) == 3
    assert sorted(written.fingerprints) == ["2024-03-25", "2024-03-26", "2024-03-27"]
    other = tmp_path / "other.parquet"
    pq.write_table(pq.read_table(written.files[0].source).drop_columns(["id"]), other)
    store = VersionStore(settings)

    def refuse(staged: pads.Dataset) -> dict[str, object]:
        assert staged.count_rows() == 3_000
        raise PermissionError("refused")

    mismatched = [*written.files, AdoptedFile(str(other), {"Date": "2024-03-28"})]
    with store.lock("trips"), pytest.raises(ValidationError, match="another schema"):
        store.adopt_version("trips", 1, mismatched, {})
    assert all(Path(f.source).exists() for f in written.files)  # refused before any move
    with store.lock("trips"), pytest.raises(PermissionError):
        store.adopt_version("trips", 1, written.files, {}, before_commit=refuse)
    assert store.list_versions("trips") == []
    staging = Path(store.location.path("trips")) / "_staging"
    assert list(staging.iterdir()) == []


def test_spark_row_groups_have_the_store_s_rows(spark_engine: SparkEngine, tmp_path: Path) -> None:
    frame = spark_session(spark_engine.settings).sql(
        "SELECT id, DATE'2024-03-25' AS Date FROM range(0, 300000)"
    )
    written = write_partitioned_spark(frame, tmp_path, partition_by="Date", order_by=["id"])
    (only,) = written.files
    metadata = pq.ParquetFile(only.source).metadata
    groups = [metadata.row_group(g).num_rows for g in range(metadata.num_row_groups)]
    assert groups == [ROW_GROUP_ROWS, ROW_GROUP_ROWS, 300_000 - 2 * ROW_GROUP_ROWS]
