"""The Spark fixtures (a plugin of tests/conftest.py): a real standalone cluster (one master, one
worker) on 127.0.0.1 for the session, the engine on it, and settings for tests that publish."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kaifang.query.spark_engine import SparkEngine
from kaifang.settings import Settings
from tests.catalogs import Catalogs

SPARK_TEST_CLUSTER = Path(__file__).resolve().parents[1] / "scripts" / "spark-test-cluster"


@pytest.fixture(scope="session")
def spark_master() -> Iterator[str]:
    """``spark://127.0.0.1:<port>`` of a cluster started by scripts/spark-test-cluster; a
    failure to start (no Java, no PySpark) fails the tests with the install command."""
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"  # the driver binds to loopback too
    started = subprocess.run(
        [str(SPARK_TEST_CLUSTER), "start", "1", "1g"],
        capture_output=True,
        text=True,
        check=False,
        timeout=240,
        env={**os.environ, "KAIFANG_PYTHON": sys.executable},
    )
    if started.returncode != 0:
        pytest.fail(
            "could not start the Spark test cluster:\n"
            f"{started.stderr}\nInstall Java with: scripts/install-system-deps "
            "(apt-get install openjdk-17-jre-headless) and PySpark with: pip install -e '.[spark]'"
        )
    master, folder = started.stdout.split()[:2]
    try:
        yield master
    finally:
        try:
            from pyspark.sql import SparkSession

            active = SparkSession.getActiveSession()  # stop a session, never start one here
            if active is not None:
                active.stop()
        finally:  # the cluster stops even when the driver's JVM is gone
            subprocess.run([str(SPARK_TEST_CLUSTER), "stop", folder], check=False, timeout=120)


@pytest.fixture(scope="session")
def spark_engine(
    spark_master: str, tmp_path_factory: pytest.TempPathFactory, catalogs: Catalogs
) -> SparkEngine:
    """The engine on the cluster, with its own catalog on the run's backend. Tests that publish
    build their own settings with :func:`spark_settings` (a catalog of their own each)."""
    settings = catalogs.settings(
        tmp_path_factory.mktemp("spark-data"),
        spark_master=spark_master,
        query_timeout=120.0,
        spark_query_timeout=120.0,
    )
    return SparkEngine(settings)


@pytest.fixture(scope="session")
def spark_settings(spark_master: str, catalogs: Catalogs) -> Callable[..., Settings]:
    """``spark_settings(data_dir, **overrides)``: settings on the cluster with a catalog of
    their own on the run's backend (a data directory must not share another's catalog: on
    PostgreSQL a copied database URL would)."""

    def make(data_dir: Path, **overrides: Any) -> Settings:
        return catalogs.settings(
            data_dir,
            spark_master=spark_master,
            query_timeout=120.0,
            spark_query_timeout=120.0,
            **overrides,
        )

    return make
