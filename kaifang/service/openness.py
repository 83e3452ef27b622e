"""The recorded openness score beside each dataset in listings and detail: read from the
latest score record (one query), never recomputed per request. ``openness`` is ``null`` for
a dataset that has no record yet (run ``kaifang score --all``)."""

from __future__ import annotations

from typing import Any

from kaifang.catalog.db import Catalog
from kaifang.scoring.records import latest_by_slug


def with_scores(catalog: Catalog, datasets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add ``openness: {score, band, stars, recorded_at} | null`` to each dataset dict."""
    if not datasets:
        return datasets
    with catalog.read() as session:
        latest = latest_by_slug(session, [d["id"] for d in datasets])
    for item in datasets:
        recorded = latest.get(item["id"])
        item["openness"] = recorded.to_dict() if recorded is not None else None
    return datasets
