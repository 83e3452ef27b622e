"""A Spark session built from :class:`~kaifang.settings.Settings` (``spark_master``).

PySpark is an optional dependency (``pip install 'kaifang[spark]'``); importing this module
without it raises a :class:`~kaifang.errors.EngineUnavailableError` that says how to install it.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from kaifang.errors import EngineUnavailableError
from kaifang.settings import Settings

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

SPARK_INSTALL_HINT = (
    "Install the Spark extra: pip install -e '.[spark]' (PySpark), and a Java 17 runtime: "
    "scripts/install-system-deps (Debian package openjdk-17-jre-headless)."
)


START_ATTEMPTS = 3


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
    for attempt in range(1, START_ATTEMPTS + 1):
        try:
            session = builder.getOrCreate()
            break
        except Exception as error:  # the JVM failed to start or reach the master
            # A JVM that dies while starting (a busy machine) usually starts on a retry.
            if attempt == START_ATTEMPTS:
                raise EngineUnavailableError(
                    f"could not start a Spark session on {settings.spark_master!r} "
                    f"after {START_ATTEMPTS} attempts: {error}",
                    hint="Check KAIFANG_SPARK_MASTER and that Java is installed. "
                    + SPARK_INSTALL_HINT,
                ) from None
            time.sleep(2.0 * attempt)
    session.sparkContext.setLogLevel("FATAL")  # errors reach the caller as QueryError
    return session
