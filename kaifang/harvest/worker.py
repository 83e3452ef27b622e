"""The harvests ``kaifang worker`` runs: those whose schedule has come due. One worker per
deployment is enough; two are safe (each source's run lock keeps them apart), and a restarted
worker picks up where the schedule says."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from kaifang.catalog.db import Catalog
from kaifang.catalog.models import HarvestSource
from kaifang.cron import Schedule
from kaifang.errors import ConflictError
from kaifang.harvest.run import RunReport, run_source
from kaifang.settings import Settings


def due_sources(catalog: Catalog, now: datetime) -> list[str]:
    with catalog.read() as session:
        sources = session.scalars(select(HarvestSource).order_by(HarvestSource.name)).all()
        return [
            s.name
            for s in sources
            if Schedule(s.schedule).due(
                s.last_started.replace(tzinfo=UTC) if s.last_started else None, now
            )
        ]


def run_due(
    settings: Settings, catalog: Catalog, *, now: datetime | None = None
) -> list[RunReport]:
    """Run every due source once; a source another worker is running is skipped."""
    now = now or datetime.now(UTC)
    reports = []
    for name in due_sources(catalog, now):
        try:
            reports.append(run_source(settings, catalog, name, now=now))
        except ConflictError:
            continue
    return reports
