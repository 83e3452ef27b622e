"""Scheduled re-imports: a flagship source's files (the folder or archive an agency drops its
new files in) imported again by ``kaifang worker`` when their schedule comes due, through the
same importer as ``kaifang import`` — reading, screening, the gate and the commit step
included. Importing files that did not change publishes nothing, so an hourly schedule costs
a read, not a version. A failing import is recorded with its reason and never stops the
others; a lock keeps two workers from running the same import at once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from kaifang.catalog.db import Catalog
from kaifang.catalog.models import ScheduledImport
from kaifang.cron import Schedule
from kaifang.errors import ConflictError, KaifangError, NotFoundError, ValidationError
from kaifang.settings import Settings
from kaifang.sources.registry import source_named
from kaifang.sources.source import Source

NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
LOCK_FOR = timedelta(hours=6)
"""A run's lock lapses by itself after this long (a worker killed mid-import)."""
TRUE, FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def _iso(moment: datetime | None) -> str | None:
    return moment.replace(tzinfo=UTC).isoformat() if moment is not None else None


def _naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def import_dict(item: ScheduledImport) -> dict[str, Any]:
    return {
        "name": item.name,
        "source": item.source,
        "path": item.path,
        "options": dict(item.options),
        "schedule": item.schedule,
        "created": _iso(item.created),
        "last_started": _iso(item.last_started),
        "last_finished": _iso(item.last_finished),
        "last_status": item.last_status or None,
        "last_error": item.last_error or None,
        "last_report": dict(item.last_report),
        "runs": item.runs,
        "failures": item.failures,
        "running": item.lock_until is not None,
    }


def checked_options(source: Source, given: dict[str, str | bool]) -> dict[str, str | bool]:
    """``given`` (``name=value`` from the command line) as the importer's options: each one a
    known option, flags as booleans, choices among their choices."""
    known = {option.name: option for option in source.options}
    out: dict[str, str | bool] = {}
    for name, value in given.items():
        option = known.get(name.replace("-", "_"))
        if option is None:
            raise ValidationError(
                f"the {source.name} importer has no option {name!r}",
                hint=f"Its options: {', '.join(sorted(known)) or 'none'}.",
                key="option",
            )
        if option.default is False:  # a flag
            text = str(value).strip().lower()
            if text not in TRUE + FALSE:
                raise ValidationError(f"option {name}: say true or false, not {value!r}")
            out[option.name] = text in TRUE
        else:
            if option.choices and value not in option.choices:
                raise ValidationError(
                    f"option {name}: {value!r} is not one of {', '.join(option.choices)}"
                )
            out[option.name] = str(value)
    return out


def add_import(
    catalog: Catalog,
    name: str,
    source: str,
    path: Path,
    *,
    options: dict[str, str | bool] | None = None,
    schedule: str = "daily",
) -> dict[str, Any]:
    """Schedule ``source``'s importer on ``path`` (made absolute: the worker may run in
    another folder)."""
    if not NAME.match(name):
        raise ValidationError(
            f"scheduled import name {name!r}: use lower-case letters, digits, - and _ "
            "(at most 63), starting with a letter or digit",
            key="name",
        )
    found = source_named(source)
    if found.path_must_exist and not path.exists():
        raise ValidationError(
            f"{path} does not exist", hint="Give the folder or file the agency's files are in."
        )
    Schedule(schedule)  # refuses a schedule it cannot read
    item = ScheduledImport(name=name, source=found.name, path=str(path.resolve()),
                           options=checked_options(found, options or {}), schedule=schedule,
                           last_report={})  # fmt: skip
    with catalog.write() as session:
        if session.scalar(select(ScheduledImport.id).where(ScheduledImport.name == name)):
            raise ConflictError(
                f"a scheduled import called {name!r} exists",
                hint=f"Remove it first: kaifang schedule remove {name}",
            )
        session.add(item)
        session.flush()
        return import_dict(item)


def list_imports(catalog: Catalog) -> list[dict[str, Any]]:
    with catalog.read() as session:
        rows = session.scalars(select(ScheduledImport).order_by(ScheduledImport.name)).all()
        return [import_dict(item) for item in rows]


def _find(session: Any, name: str) -> ScheduledImport:
    item: ScheduledImport | None = session.scalar(
        select(ScheduledImport).where(ScheduledImport.name == name)
    )
    if item is None:
        raise NotFoundError(
            f"no scheduled import {name!r}", hint="`kaifang schedule list` shows them."
        )
    return item


def remove_import(catalog: Catalog, name: str) -> dict[str, Any]:
    """Stop re-importing; what it published stays published."""
    with catalog.write() as session:
        item = _find(session, name)
        out = import_dict(item)
        session.delete(item)
        return out


@dataclass(frozen=True)
class ImportRun:
    name: str
    status: str  # ok | failed
    report: dict[str, Any]
    error: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "status": self.status, "report": self.report,
                "error": self.error}  # fmt: skip


def _lock(catalog: Catalog, name: str, now: datetime) -> tuple[str, Path, dict[str, Any]]:
    with catalog.write() as session:
        item = _find(session, name)
        if item.lock_until is not None and item.lock_until > _naive(now):
            raise ConflictError(
                f"scheduled import {name!r} is already running (locked until {item.lock_until})",
                hint="Wait for that run to end; a crashed run's lock lapses by itself.",
            )
        item.lock_until = _naive(now + LOCK_FOR)
        item.last_started = _naive(now)
        return item.source, Path(item.path), dict(item.options)


def run_import(
    settings: Settings, catalog: Catalog, name: str, *, now: datetime | None = None
) -> ImportRun:
    """Run the scheduled import ``name`` once; its outcome is recorded, a failure included
    (answered, not raised: the worker goes on with the next one)."""
    now = now or datetime.now(UTC)
    source_name, path, options = _lock(catalog, name, now)
    report: dict[str, Any] = {}
    error: str | None = None
    try:  # whatever fails, the lock is released below and the failure recorded
        source = source_named(source_name)
        defaults = {o.name: o.default for o in source.options}
        if source.path_must_exist and not path.exists():
            raise ValidationError(
                f"{path.name}: the scheduled import's path no longer exists",
                hint="Restore the folder, or remove the import and add it again.",
            )
        report = source.run_import(settings, path, **{**defaults, **options}).to_dict()
    except KaifangError as exc:
        error = str(exc)
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
    with catalog.write() as session:
        item = _find(session, name)
        item.lock_until = None
        item.last_finished = _naive(datetime.now(UTC))
        item.last_status = "failed" if error else "ok"
        item.last_error = error or ""
        item.last_report = report
        item.runs += 1
        item.failures += 1 if error else 0
    return ImportRun(name, "failed" if error else "ok", report, error)


def due_imports(catalog: Catalog, now: datetime) -> list[str]:
    with catalog.read() as session:
        items = session.scalars(select(ScheduledImport).order_by(ScheduledImport.name)).all()
        return [
            i.name
            for i in items
            if Schedule(i.schedule).due(
                i.last_started.replace(tzinfo=UTC) if i.last_started else None, now
            )
        ]


def run_due_imports(
    settings: Settings, catalog: Catalog, *, now: datetime | None = None
) -> list[ImportRun]:
    """Run every due import once; one another worker is running is skipped."""
    now = now or datetime.now(UTC)
    runs = []
    for name in due_imports(catalog, now):
        try:
            runs.append(run_import(settings, catalog, name, now=now))
        except ConflictError:
            continue
    return runs
