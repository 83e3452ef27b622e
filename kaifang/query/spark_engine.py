"""Run validated SQL on Apache Spark: the same surface as :class:`~kaifang.query.QueryEngine`.

The guard's query is transpiled with sqlglot to Spark SQL (:func:`~kaifang.query.to_spark_sql`)
and runs in a fresh Spark session of its own (sessions share the cluster and the one warm
SparkContext the engine starts on first need, not temp views), in
which each resource is a temp view over its version's Parquet files. Files are listed one by
one with recursive lookup on, so Spark infers no partition columns from folder names and the
column types are those written in the files. An object store's versions come as pyarrow
Datasets; Spark reads them through the driver (see docs/deploy.md for reading ``s3a://``
directly on a cluster with the Hadoop AWS connector).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias

import pyarrow.dataset as pa_dataset
from sqlglot import exp

from kaifang.errors import QueryError, QueryLimitError
from kaifang.query.base import ResolvedTables, SqlEngine
from kaifang.query.cursors import TableSource
from kaifang.query.guard import ValidatedQuery
from kaifang.query.serving import ServingCopy
from kaifang.query.spark_session import spark_session
from kaifang.settings import Settings

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession


Progress: TypeAlias = "Callable[[str], None]"

# How often a query with a progress callback reports its stages' tasks.
PROGRESS_INTERVAL = 1.0


class SparkEngine(SqlEngine):
    """Validated SQL on a Spark cluster (``settings.spark_master``), with the row limit of the
    DuckDB engine and a time limit of its own (``spark_query_timeout``). The Spark session
    starts on first need, once, and stays warm for every later query: the guard refuses a
    query before anything starts. ``session`` is for callers that already hold one;
    ``progress`` receives one line per step (start-up, stages' tasks) for a terminal."""

    def __init__(
        self,
        settings: Settings,
        *,
        session: SparkSession | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.settings = settings
        self._spark = session
        self._progress = progress
        self._lock = threading.Lock()
        self._warming: threading.Thread | None = None
        self.startup_seconds: float | None = None  # how long this engine waited for Spark

    @classmethod
    def for_storage(cls, settings: Settings) -> SparkEngine:
        """The engine a server uses when ``settings.engine`` is ``spark``."""
        return cls(settings)

    @property
    def started(self) -> bool:
        """Whether the Spark session is up (a refused query never starts it)."""
        return self._spark is not None

    @property
    def spark(self) -> SparkSession:
        """The warm session, started now if no query has needed it yet."""
        with self._lock:
            if self._spark is None:
                self._report(f"Starting Spark on {self.settings.spark_master} …")
                began = time.perf_counter()
                self._spark = spark_session(self.settings)
                self.startup_seconds = time.perf_counter() - began
                self._report(f"Spark started in {self.startup_seconds:.1f} s")
            return self._spark

    def start(self) -> None:
        """Warm the session in the background, so a server's first query does not wait for
        all of Spark's start-up (a failure to start surfaces on that query)."""
        if self._spark is not None or self._warming is not None:
            return

        def warm() -> None:
            try:
                self.spark  # noqa: B018 - the property starts the session
            except Exception:  # the first query raises it again, clearly
                pass

        self._warming = threading.Thread(target=warm, name="kaifang-spark-start", daemon=True)
        self._warming.start()

    def close(self) -> None:
        """Nothing to release per engine: the Spark session lives as long as the process."""

    def render(self, validated: ValidatedQuery, *, limit: int) -> str:
        return spark_sql(validated, limit=limit)

    def execute(
        self, sql: str, validated: ValidatedQuery, tables: ResolvedTables, params: Sequence[Any]
    ) -> tuple[list[str], list[tuple[Any, ...]]]:
        session = self.spark.newSession()
        limit = self.settings.spark_query_timeout
        group = f"kaifang-{uuid.uuid4().hex}"
        finished = threading.Event()
        timed_out = threading.Event()

        def cancel() -> None:
            timed_out.set()
            session.sparkContext.cancelJobGroup(group)

        timer = threading.Timer(limit, cancel)
        timer.daemon = True
        session.sparkContext.setJobGroup(group, "kaifang query", interruptOnCancel=True)
        watcher = self._watch(session, group, finished)
        timer.start()
        try:
            register_views(session, validated.tables, tables.sources)
            frame = session.sql(sql, args=list(params) or None)
            columns = list(frame.columns)
            rows = [tuple(_plain(value) for value in row) for row in frame.collect()]
        except Exception as error:  # pyspark raises many unrelated classes; all end here
            if timed_out.is_set():
                raise QueryLimitError(
                    f"the query ran longer than {limit:g} s on Spark and was stopped"
                    + self._startup_note(),
                    hint="Filter or aggregate more, or raise KAIFANG_SPARK_QUERY_TIMEOUT.",
                ) from None
            raise map_spark_error(error) from None
        finally:
            timer.cancel()
            finished.set()
            if watcher is not None:
                watcher.join()
            session.sparkContext.setLocalProperty("spark.jobGroup.id", None)  # type: ignore[arg-type]  # pyspark's stub says str, None clears it
        return columns, rows

    def limit_below_startup(self) -> bool:
        """Whether ``spark_query_timeout`` is shorter than this engine's wait for Spark."""
        started = self.startup_seconds
        return started is not None and self.settings.spark_query_timeout < started

    def _startup_note(self) -> str:
        if not self.limit_below_startup():
            return ""
        return (
            f" (the limit, spark_query_timeout = {self.settings.spark_query_timeout:g} s, is "
            f"shorter than Spark's start-up here, {self.startup_seconds:.0f} s: a cold "
            "session's first query runs while the JVM warms)"
        )

    def _report(self, line: str) -> None:
        if self._progress is not None:
            self._progress(line)

    def _watch(
        self, session: SparkSession, group: str, finished: threading.Event
    ) -> threading.Thread | None:
        """With a progress callback, a thread that reports the query's stages as they run."""
        if self._progress is None:
            return None
        tracker = session.sparkContext.statusTracker()

        def watch() -> None:
            last = ""
            while not finished.wait(PROGRESS_INTERVAL):
                done = total = 0
                for job in tracker.getJobIdsForGroup(group):
                    info = tracker.getJobInfo(job)
                    for stage in info.stageIds if info is not None else ():
                        stage_info = tracker.getStageInfo(stage)
                        if stage_info is not None:
                            done += stage_info.numCompletedTasks
                            total += stage_info.numTasks
                line = f"Spark: {done}/{total} tasks done" if total else "Spark: planning …"
                if line != last:
                    self._report(line)
                    last = line

        thread = threading.Thread(target=watch, name="kaifang-spark-progress", daemon=True)
        thread.start()
        return thread


def spark_sql(validated: ValidatedQuery, *, limit: int) -> str:
    """The guard's query as Spark SQL capped at ``limit`` rows, every identifier back-quoted
    (Spark accepts unquoted identifiers in ASCII only, and column names here are often 中文)."""
    query = validated.rename_tables({}, dialect="spark")
    if query.args.get("limit") is None and not query.args.get("offset"):
        query.set("limit", exp.Limit(expression=exp.Literal.number(limit)))
    else:
        query = exp.select(exp.Star()).from_(query.subquery("kaifang_result")).limit(limit)
    return query.sql(dialect="spark", identify=True)


def register_views(
    session: SparkSession, names: Sequence[str], sources: Mapping[str, TableSource]
) -> None:
    """One temp view per table in ``session``; names match without regard to case, as in
    Spark SQL, so ``People`` and ``people`` must be the same resource."""
    exposed: dict[str, str] = {}
    for name in names:
        first = exposed.setdefault(name.casefold(), name)
        if first != name:
            if sources[first] != sources[name]:
                raise QueryError(
                    f"tables {first!r} and {name!r} differ only by case but are different "
                    "resources",
                    hint="Quote the names exactly as the resources are published.",
                )
            continue
        # information_schema.tables / .columns: a dotted name must be quoted to be one part
        view = f"`{name}`" if "." in name else name
        source_frame(session, name, sources[name]).createOrReplaceTempView(view)


def source_frame(session: SparkSession, name: str, source: TableSource) -> DataFrame:
    """A Spark DataFrame over one version: its Parquet files, or a pyarrow Dataset (a DuckDB
    serving copy is read through the Parquet it mirrors)."""
    if isinstance(source, ServingCopy):
        source = source.fallback
    if isinstance(source, pa_dataset.Dataset):
        return session.createDataFrame(source.to_table())
    files = list(source)
    if not files:
        raise QueryError(
            f"resource {name!r} has no data files", hint="Publish a version of the resource first."
        )
    return session.read.option("recursiveFileLookup", "true").parquet(*files)


def map_spark_error(error: Exception) -> QueryError:
    """A Spark failure as a :class:`QueryError`: its first line, without the JVM trace."""
    text = str(error).strip().splitlines()
    message = text[0] if text else type(error).__name__
    return QueryError(
        f"Spark could not run the query: {message}",
        hint="Check the column and table names; the SQL runs as Spark SQL after transpiling.",
    )


def _plain(value: Any) -> Any:
    """Spark values as DuckDB returns them: Rows become dicts, binary becomes bytes."""
    from pyspark.sql import Row

    if isinstance(value, Row):
        return {key: _plain(item) for key, item in value.asDict().items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, bytearray):
        return bytes(value)
    return value
