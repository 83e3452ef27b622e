"""Opening the catalog: the engine (SQLite file by default, PostgreSQL when
``settings.database_url`` is set), migrations applied on open, and sessions.

SQLite runs in WAL mode with foreign keys on. Writes go through :meth:`Catalog.write`, which on
SQLite takes the write lock up front (``BEGIN IMMEDIATE``) so that two writers never deadlock
half-way; reads (:meth:`Catalog.read`) never block on writers.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kaifang import jsonable
from kaifang.errors import KaifangError
from kaifang.settings import Settings

# SQLAlchemy is imported where an engine is made: reading HEAD_REVISION here (the quick read
# path of kaifang.catalog.quick) must not cost its ~0.3 s of start-up.
if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Connection, Engine
    from sqlalchemy.orm import Session

MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_S = 60
MIGRATION_LOCK_ID = 0x6B616966  # "kaif"
HEAD_REVISION = "listed_index"
"""The newest migration. Opening a catalog already there reads one row and never imports
alembic (most of a catalog command's start-up); tests/catalog/test_db.py checks this equals
alembic's own head, so a new migration must update it."""


def alembic_config() -> Config:
    from alembic.config import Config  # lazy: only migrating needs alembic

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str | None:
    """The head as alembic computes it from the migration scripts."""
    from alembic.script import ScriptDirectory  # lazy: only migrating needs alembic

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(conn: Connection) -> str | None:
    """The revision stamped in the catalog, None for an empty database."""
    from sqlalchemy import inspect, text

    if not inspect(conn).has_table("alembic_version"):
        return None
    version: str | None = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return version


def upgrade(engine: Engine) -> None:
    """Run ``alembic upgrade head`` on ``engine`` unless it is already there."""
    with engine.connect() as conn:
        if current_revision(conn) == HEAD_REVISION:
            return
    with engine.connect() as conn, _foreign_keys_deferred_to_the_end(conn), conn.begin():
        # Processes opening a new catalog at once: one migrates, the others wait and see it done
        # (SQLite: the write engine's BEGIN IMMEDIATE; PostgreSQL: a transaction advisory lock).
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_ID})")
        if current_revision(conn) == HEAD_REVISION:
            return
        from alembic import command  # lazy: only migrating needs alembic

        config = alembic_config()
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
        _check_foreign_keys(conn)


@contextmanager
def _foreign_keys_deferred_to_the_end(conn: Connection) -> Iterator[None]:
    """On SQLite, foreign keys off while migrations run, on again after.

    A SQLite migration that alters a table copies it into a new one and drops the old
    (alembic's batch mode); with foreign keys on, dropping a table that other rows refer to
    (resources, referred to by versions) fails, so a catalog holding data could not be
    upgraded. The pragma has no effect inside a transaction, so it is set on the driver's
    connection before the migration's transaction begins; :func:`_check_foreign_keys` then
    checks every reference before that transaction commits."""
    if conn.dialect.name != "sqlite":
        yield
        return
    driver = conn.connection.driver_connection
    assert driver is not None
    driver.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
    finally:
        driver.execute("PRAGMA foreign_keys=ON")


def _check_foreign_keys(conn: Connection) -> None:
    """Refuse (and so roll back) a SQLite migration that left a reference dangling."""
    if conn.dialect.name != "sqlite":
        return
    dangling = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if dangling:
        table, rowid, parent, _ = dangling[0]
        raise KaifangError(
            f"upgrading the catalog would leave {len(dangling)} rows referring to missing "
            f"rows (first: {table} row {rowid} refers to {parent}); nothing was changed",
            hint="Report this with the catalog's kaifang version; keep the catalog file as is.",
        )


SQLITE_POOL_SIZE = 40
"""SQLite connections a process keeps open: as many as the server's request threads (anyio's
default limit), so busy pages reuse connections instead of opening and configuring new ones
past SQLAlchemy's default pool of 5 (which showed in the profile under 16 clients)."""


SQLITE_MMAP_BYTES = 1 << 30
"""How much of the catalog file SQLite reads through memory mapping rather than a read call
per page: every connection of the pool then shares the operating system's cache of the file
instead of warming a 2 MB cache of its own (a search's rows at 100,000 datasets spent more
time in those calls than in SQLite). Address space, not memory: pages are the OS cache's."""


def _wal(cursor: Any) -> None:
    """Put the catalog file in WAL mode. On a new file, several processes opening it at once
    (two server workers, a publish beside them) race to switch the mode, and SQLite answers
    the losers "database is locked" at once, without waiting on the busy timeout: they try
    again until the timeout (the winner's switch is in the file, so the next try succeeds)."""
    import sqlite3
    import time

    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_S
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _sqlite_engine(url: str, *, immediate: bool) -> Engine:
    from sqlalchemy import create_engine, event
    from sqlalchemy.engine import make_url

    in_memory = make_url(url).database in (None, "", ":memory:")  # one shared connection
    pool = {} if in_memory else {"pool_size": SQLITE_POOL_SIZE}
    engine = create_engine(
        url,
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S},
        json_deserializer=jsonable.loads,  # the JSON columns are text here
        **pool,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # let the "begin" hook below emit BEGIN
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
        _wal(cursor)
        cursor.execute("PRAGMA foreign_keys=ON")
        if not in_memory:
            cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def create_catalog_engine(
    url: str, *, immediate: bool = False, pool: Mapping[str, Any] | None = None
) -> Engine:
    """An engine on ``url``; ``pool`` holds SQLAlchemy pool options for a server database
    (see :func:`pool_options`)."""
    from sqlalchemy import create_engine

    if url.startswith("sqlite"):
        return _sqlite_engine(url, immediate=immediate)
    try:
        return create_engine(url, pool_pre_ping=True, **(pool or {}))
    except ModuleNotFoundError as exc:
        raise KaifangError(
            f"the database driver for {url.split(':', 1)[0]} is not installed ({exc.name})",
            hint="Install it with: pip install 'kaifang[postgres]'",
        ) from None


def pool_options(settings: Settings) -> dict[str, Any]:
    """The connection pool of a PostgreSQL catalog, from the ``database_pool_*`` settings."""
    return {
        "pool_size": settings.database_pool_size,
        "max_overflow": settings.database_max_overflow,
        "pool_timeout": settings.database_pool_timeout,
        "pool_recycle": settings.database_pool_recycle,
    }


class Catalog:
    """An open catalog. Use ``with catalog.read() as s`` / ``with catalog.write() as s``."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        url = settings.catalog_url
        if url.startswith("sqlite"):
            Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
        self.engine = create_catalog_engine(url, pool=pool_options(settings))
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        self._write_engine = (
            create_catalog_engine(url, immediate=True) if self.is_sqlite else self.engine
        )
        upgrade(self._write_engine)
        from sqlalchemy.orm import sessionmaker

        from kaifang.catalog.stamp import ChangeStamp

        self.stamp = ChangeStamp(self.engine)
        """Changes whenever anyone commits to the catalog (kaifang.catalog.stamp)."""

        self._reader = sessionmaker(self.engine, expire_on_commit=False)
        self._writer = sessionmaker(self._write_engine, expire_on_commit=False)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._reader() as session, session.begin():
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A transaction that commits on success and rolls back on any exception."""
        with self._writer() as session, session.begin():
            yield session

    def close(self) -> None:
        self.stamp.close()
        self.engine.dispose()
        self._write_engine.dispose()

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_catalog(settings: Settings) -> Catalog:
    """Open (creating and migrating as needed) the catalog that ``settings`` point at."""
    return Catalog(settings)
