"""Harvest sources in the catalog: adding, listing, status (the last runs and every failure
with its reason) and removal."""

from __future__ import annotations

import re
from datetime import UTC
from typing import Any

from sqlalchemy import func, select

from kaifang.catalog.accounts import find_organization
from kaifang.catalog.db import Catalog
from kaifang.catalog.models import (
    HARVEST_MODES,
    HARVEST_TYPES,
    HarvestRecord,
    HarvestRun,
    HarvestSource,
)
from kaifang.cron import Schedule
from kaifang.errors import ConflictError, NotFoundError, ValidationError

NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")


def _iso(moment: Any) -> str | None:
    return moment.replace(tzinfo=UTC).isoformat() if moment is not None else None


def source_dict(source: HarvestSource) -> dict[str, Any]:
    return {
        "name": source.name,
        "url": source.url,
        "type": source.type,
        "org": source.organization.code,
        "mode": source.mode,
        "schedule": source.schedule,
        "filter": source.filter,
        "created": _iso(source.created),
        "last_started": _iso(source.last_started),
        "last_success": _iso(source.last_success),
        "running": source.lock_until is not None,
    }


def add_source(
    catalog: Catalog,
    name: str,
    url: str,
    *,
    kind: str,
    org: str,
    mode: str = "metadata",
    schedule: str = "daily",
    filter: str = "",
) -> dict[str, Any]:
    if not NAME.match(name):
        raise ValidationError(
            f"harvest source name {name!r}: use lower-case letters, digits, - and _ "
            "(at most 63), starting with a letter or digit"
        )
    if kind not in HARVEST_TYPES:
        raise ValidationError(f"--type {kind!r}: one of {', '.join(HARVEST_TYPES)}")
    if mode not in HARVEST_MODES:
        raise ValidationError(f"--mode {mode!r}: one of {', '.join(HARVEST_MODES)}")
    if not re.match(r"^(https?|file)://", url):
        raise ValidationError(
            f"{url!r} is not an http(s) or file:// URL",
            hint="Give the portal's address, e.g. https://data.example.gov.tw",
        )
    Schedule(schedule)  # refuses a bad schedule now, not at the first run
    with catalog.write() as session:
        organization = find_organization(session, org)
        if session.scalar(select(HarvestSource.id).where(HarvestSource.name == name)):
            raise ConflictError(f"harvest source {name!r} already exists")
        source = HarvestSource(
            name=name,
            url=url.strip(),
            type=kind,
            organization=organization,
            mode=mode,
            schedule=schedule,
            filter=filter,
        )
        session.add(source)
        session.flush()
        return source_dict(source)


def list_sources(catalog: Catalog) -> list[dict[str, Any]]:
    with catalog.read() as session:
        sources = session.scalars(select(HarvestSource).order_by(HarvestSource.name)).all()
        return [source_dict(s) for s in sources]


def _run_dict(run: HarvestRun) -> dict[str, Any]:
    return {
        "started": _iso(run.started),
        "finished": _iso(run.finished),
        "status": run.status,
        "counts": run.counts,
        "failures": run.failures,
        "requests": run.requests,
    }


def source_status(catalog: Catalog, name: str, *, runs: int = 5) -> dict[str, Any]:
    """The source, its last ``runs`` runs (newest first) and its datasets per state."""
    with catalog.read() as session:
        source = session.scalar(select(HarvestSource).where(HarvestSource.name == name))
        if source is None:
            raise NotFoundError(
                f"no harvest source {name!r}", hint="`kaifang harvest list` shows them."
            )
        recent = session.scalars(
            select(HarvestRun)
            .where(HarvestRun.source_id == source.id)
            .order_by(HarvestRun.id.desc())
            .limit(runs)
        ).all()
        states = dict(
            session.execute(
                select(HarvestRecord.state, func.count())
                .where(HarvestRecord.source_id == source.id)
                .group_by(HarvestRecord.state)
            ).all()
        )
        problems = session.scalars(
            select(HarvestRecord)
            .where(HarvestRecord.source_id == source.id, HarvestRecord.state != "active")
            .order_by(HarvestRecord.remote_id)
        ).all()
        return {
            **source_dict(source),
            "datasets": {state: int(n) for state, n in states.items()},
            "runs": [_run_dict(r) for r in recent],
            "not_active": [
                {"remote_id": r.remote_id, "state": r.state, "reason": r.message} for r in problems
            ],
        }
