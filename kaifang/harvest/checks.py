"""The openness facts a harvester can check from outside: an open licence, machine-readable
formats, links that answer, and freshness against the stated update frequency."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from kaifang.catalog.licenses import license_info
from kaifang.harvest.fetch import Fetcher
from kaifang.harvest.remote import RemoteDataset

MACHINE_READABLE = frozenset({"csv", "json", "xml", "xlsx", "ods", "geojson", "parquet",
                              "tsv", "kml", "shp", "rdf", "jsonld", "ndjson", "api"})  # fmt: skip
PERIODS = {"realtime": 1, "hourly": 1, "daily": 2, "weekly": 8, "monthly": 32,
           "quarterly": 93, "yearly": 366}  # fmt: skip


def parse_moment(text: str) -> datetime | None:
    """A remote ``modified`` as an aware time, or None when it is not ISO 8601-like."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace(" ", "T"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def remote_checks(
    remote: RemoteDataset,
    licence: str,
    frequency: str,
    *,
    fetcher: Fetcher | None,
    now: datetime,
) -> dict[str, Any]:
    formats = sorted({d.format.lower() for d in remote.distributions if d.format})
    links = [d.url for d in remote.distributions]
    dead = [url for url in links if not fetcher.alive(url)] if fetcher is not None else []
    modified = parse_moment(remote.modified)
    period = PERIODS.get(frequency)
    fresh = None
    if modified is not None and period is not None:
        fresh = now - modified <= timedelta(days=period)
    return {
        "open_licence": license_info(licence).is_open,
        "formats": formats,
        "machine_readable": any(f in MACHINE_READABLE for f in formats),
        "links": len(links),
        "links_alive": len(links) - len(dead) if fetcher is not None else None,
        "dead_links": dead,
        "fresh": fresh,
    }
