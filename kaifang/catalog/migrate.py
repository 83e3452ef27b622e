"""Move a data directory to production parts: the catalog to another database (SQLite to
PostgreSQL) with SQLAlchemy, table by table in dependency order, and the table versions to an
object store (or another folder) with ``pyarrow.fs``. The target catalog must hold no
organizations or datasets. ``kaifang catalog migrate`` runs it (docs/deploy.md)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.fs as pafs
from sqlalchemy import Engine, Integer, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from kaifang.catalog.db import open_catalog
from kaifang.catalog.models import Base, Dataset, Organization
from kaifang.errors import ConflictError, NotFoundError, ValidationError
from kaifang.settings import Settings
from kaifang.storage.filesystem import open_location

BATCH_ROWS = 5_000
DATABASES = ("sqlite", "postgresql")


@dataclass
class MigrationReport:
    """Rows copied per catalog table and the number of table files copied."""

    catalog_rows: dict[str, int] = field(default_factory=dict)
    files: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def check_database_url(url: str, option: str) -> str:
    """``url`` if it names a SQLite file or a PostgreSQL database, else a ValidationError that
    names ``option`` and shows the expected form."""
    hint = (
        f"Write {option} as sqlite:///path/to/catalog.sqlite or "
        "postgresql://user:password@host/database."
    )
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ValidationError(f"{option} {url!r} is not a database URL", hint=hint) from None
    if parsed.get_backend_name() not in DATABASES:
        raise ValidationError(
            f"{option} {url!r}: unsupported database {parsed.get_backend_name()!r}", hint=hint
        )
    if parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:"):
        raise ValidationError(f"{option} {url!r} names no SQLite file", hint=hint)
    return url


def migrate_data_dir(source: Settings, target: Settings, *, tables: bool = True) -> MigrationReport:
    """Copy ``source``'s catalog to ``target.database_url`` and (unless ``tables`` is False)
    its table versions to ``target.storage_url``. Refuses a target catalog that already has
    organizations or datasets (:class:`ConflictError`); re-run into an empty database after a
    failure."""
    if source.catalog_url == target.catalog_url:
        raise ValidationError(
            f"the source and target catalogs are the same ({source.catalog_url})",
            hint="Migrate into another, empty database.",
        )
    origin_url = make_url(source.catalog_url)
    if origin_url.get_backend_name() == "sqlite" and not Path(origin_url.database or "").is_file():
        raise NotFoundError(
            f"no catalog to migrate at {origin_url.database}",
            hint="Pass the data directory (--data-dir) or --from sqlite:///path/to/catalog.sqlite "
            "of an existing catalog.",
        )
    report = MigrationReport()
    with open_catalog(target) as into:
        with into.read() as session:
            taken = (session.scalar(select(func.count()).select_from(Dataset)) or 0) + (
                session.scalar(select(func.count()).select_from(Organization)) or 0
            )
        if taken:
            raise ConflictError(
                f"the target catalog {into.engine.url.render_as_string()} is not empty",
                hint="Migrate into a new, empty database.",
            )
        if tables:
            report.files = copy_tables(source, target)
        with open_catalog(source) as origin:
            report.catalog_rows = copy_catalog_rows(origin.engine, into.engine)
    return report


def copy_tables(source: Settings, target: Settings) -> int:
    """Copy every file under the source tables root to the target's; returns the count."""
    origin, into = open_location(source), open_location(target)
    if origin.uri() == into.uri():
        raise ValidationError(
            f"the source and target table storage are the same ({origin.uri()})",
            hint="Name another folder or s3://bucket/prefix to copy the tables to.",
            key="storage_url",
        )
    selector = pafs.FileSelector(origin.path(), recursive=True, allow_not_found=True)
    files = [i for i in origin.filesystem.get_file_info(selector) if i.type == pafs.FileType.File]
    if files:
        pafs.copy_files(
            origin.path(),
            into.path(),
            source_filesystem=origin.filesystem,
            destination_filesystem=into.filesystem,
        )
    return len(files)


def copy_catalog_rows(origin: Engine, into: Engine) -> dict[str, int]:
    """Every row of every catalog table, parents first; PostgreSQL id sequences moved past the
    copied ids so new rows get fresh ones. Rows seeded by migrations are replaced."""
    tables = Base.metadata.sorted_tables
    counts: dict[str, int] = {}
    with origin.connect() as reading, into.begin() as writing:
        for table in reversed(tables):
            writing.execute(table.delete())
        for table in tables:
            result = reading.execute(select(table)).mappings()
            counts[table.name] = 0
            while batch := result.fetchmany(BATCH_ROWS):
                writing.execute(table.insert(), [dict(row) for row in batch])
                counts[table.name] += len(batch)
        if into.dialect.name == "postgresql":
            for table in tables:
                pk = list(table.primary_key.columns)
                if len(pk) == 1 and pk[0].autoincrement is not False and _is_int(pk[0].type):
                    name, key = table.name, pk[0].name
                    writing.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{name}', '{key}'), "
                            f"coalesce((SELECT max({key}) FROM {name}), 0) + 1, false)"
                        )
                    )
    return counts


def _is_int(column_type: object) -> bool:
    return isinstance(column_type, Integer)
