"""A Spark session built from :class:`~kaifang.settings.Settings` (``spark_master``).

PySpark is an optional dependency (``pip install 'kaifang[spark]'``); importing this module
without it raises a :class:`~kaifang.errors.EngineUnavailableError` that says how to install it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kaifang.errors import EngineUnavailableError
from kaifang.settings import Settings

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

SPARK_INSTALL_HINT = (
    "Install the Spark extra: pip install -e '.[spark]' (PySpark), and a Java 17 runtime: "
    "scripts/install-system-deps (Debian package openjdk-17-jre-headless)."
)


def spark_session(settings: Settings, *, app_name: str = "kaifang") -> SparkSession:
    """The Spark session on ``settings.spark_master`` (created once per process by Spark;
    later calls return the same session). Small, explicit defaults: shuffles sized for the
    query threads, no web UI, timestamps read from Parquet as written (no time zone shift)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise EngineUnavailableError("PySpark is not installed", hint=SPARK_INSTALL_HINT) from None
    builder = (
        SparkSession.builder.master(settings.spark_master)
        .appName(app_name)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(max(2, settings.query_threads * 2)))
        .config("spark.sql.session.timeZone", "UTC")
        # DuckDB's TRY_CAST and try() give NULL on bad input; so does Spark without ANSI mode
        .config("spark.sql.ansi.enabled", "false")
        .config("spark.sql.parquet.inferTimestampNTZ.enabled", "true")
        .config("spark.executor.memory", "512m")
        .config("spark.driver.memory", "1g")
    )
    try:
        session = builder.getOrCreate()
    except Exception as error:  # the JVM failed to start or reach the master
        raise EngineUnavailableError(
            f"could not start a Spark session on {settings.spark_master!r}: {error}",
            hint="Check KAIFANG_SPARK_MASTER and that Java is installed. " + SPARK_INSTALL_HINT,
        ) from None
    session.sparkContext.setLogLevel("FATAL")  # errors reach the caller as QueryError
    return session
