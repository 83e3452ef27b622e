"""What protecting M06A trips costs: trips, vehicle-kilometres and gantry passages kept.

Measured over every trip read with the step the protection placed it at
(:func:`kaifang.sources.freeway.protect.stepped_trips_sql`), in SQL that DuckDB and Spark
both run:

- **trips kept** and the trips placed at each step (the rest are suppressed);
- **vehicle-km kept**: the read ``TripLength`` of the kept trips against all trips' (the
  published length is rounded to its grain, so the read one measures the loss);
- **gantry passages kept**: per gantry, the passages of the kept trips' paths against those
  of every trip read, i.e. the vehicles M03A counts at that gantry, so a gantry whose trips
  are mostly suppressed shows here. M07A and M08A are counted from every trip; the trips they
  hold more than the published M06A are the suppressed ones.

A loss of trips or of vehicle-km above ``freeway_trip_max_loss`` refuses the publish unless
the publisher accepts it (``--accept-utility-loss``, recorded as ``accepted`` in the
version's screening report).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from kaifang.errors import PublishRefusedError
from kaifang.privacy.suppress import STEP
from kaifang.settings import Settings
from kaifang.sources.freeway.grains import Dialect, trip_steps

WORST_GANTRIES = 5


@dataclass(frozen=True)
class TripUtility:
    """Trips and vehicle-km read and kept, trips per step, passages per gantry."""

    trips_in: int
    trips_kept: int
    km_in: float
    km_kept: float
    by_step: list[int]
    gantries: list[tuple[str, int, int]] = field(default_factory=list)

    @classmethod
    def from_rows(
        cls, totals: Sequence[Sequence[Any]], gantries: Sequence[Sequence[Any]]
    ) -> TripUtility:
        """From the rows of the two queries of :func:`utility_sql`."""
        row = totals[0]
        return cls(
            int(row[0]),
            int(row[1] or 0),
            round(float(row[2] or 0), 1),
            round(float(row[3] or 0), 1),
            [int(n or 0) for n in row[4:]],
            sorted((str(g), int(n), int(kept)) for g, n, kept in gantries),
        )


def utility_sql(table: str, settings: Settings, *, dialect: Dialect = "duckdb") -> list[str]:
    """Two queries over ``table`` (trips with ``_step``): the totals row, and per gantry
    ``(gantry, passages, passages kept)``."""
    kept = f"CASE WHEN {STEP} > 0 THEN 1 ELSE 0 END"
    per_step = [
        f"sum(CASE WHEN {STEP} = {n} THEN 1 ELSE 0 END)"
        for n in range(1, len(trip_steps(settings)) + 1)
    ]
    totals = (
        f"SELECT count(*), sum({kept}), sum(TripLength), "
        f"sum(CASE WHEN {STEP} > 0 THEN TripLength ELSE 0 END), {', '.join(per_step)} "
        f"FROM {table}"
    )
    unnest = "explode" if dialect == "spark" else "unnest"
    passages = (
        f"SELECT p.gantry, count(*), sum(kept) FROM (SELECT {unnest}(TripInformation) AS p, "
        f"{kept} AS kept FROM {table}) AS passages GROUP BY p.gantry"
    )
    return [totals, passages]


def _share(kept: float, total: float) -> float:
    return round(kept / total, 4) if total else 1.0


def utility_report(settings: Settings, utility: TripUtility, *, accepted: bool) -> dict[str, Any]:
    """The ``utility`` part of the screening report; PublishRefusedError when trips or
    vehicle-km lost pass ``freeway_trip_max_loss`` and the loss is not ``accepted``."""
    limit = settings.freeway_trip_max_loss
    trips_share = _share(utility.trips_kept, utility.trips_in)
    km_share = _share(utility.km_kept, utility.km_in)
    lost = max(1 - trips_share, 1 - km_share)
    shares = [(g, n, kept, _share(kept, n)) for g, n, kept in utility.gantries]
    below = [s for s in shares if 1 - s[3] > limit]
    worst = sorted(shares, key=lambda s: (s[3], s[0]))[:WORST_GANTRIES]
    message = (
        f"{utility.trips_kept:,} of {utility.trips_in:,} trips kept ({trips_share:.1%}), "
        f"{utility.km_kept:,.1f} of {utility.km_in:,.1f} vehicle-km ({km_share:.1%}); "
        f"{len(below)} of {len(shares)} gantries lose more than {limit:.0%} of their passages"
    )
    if lost > limit and not accepted:
        raise PublishRefusedError(
            f"M06A: the trip protection would lose more than freeway_trip_max_loss "
            f"({limit:.0%}): {message}",
            hint="Publish at coarser grains (KAIFANG_FREEWAY_TRIP_COARSER_GRAINS, e.g. add "
            "'6 hours/10 km'), raise KAIFANG_FREEWAY_TRIP_MAX_LOSS, or accept the loss with "
            "--accept-utility-loss (recorded in the version).",
            trips_kept_share=trips_share,
            vehicle_km_kept_share=km_share,
        )
    return {
        "trips_in": utility.trips_in,
        "trips_kept": utility.trips_kept,
        "trips_kept_share": trips_share,
        "vehicle_km_in": utility.km_in,
        "vehicle_km_kept": utility.km_kept,
        "vehicle_km_kept_share": km_share,
        "max_loss": limit,
        "over_max_loss": lost > limit,
        "accepted": accepted and lost > limit,
        "gantry_passages": {
            "compared_with": "passages of every trip read (what M03A counts at each gantry)",
            "gantries": len(shares),
            "passages_in": sum(n for _, n, _ in utility.gantries),
            "passages_kept": sum(kept for _, _, kept in utility.gantries),
            "smallest_share": min((s[3] for s in shares), default=1.0),
            "gantries_over_max_loss": len(below),
            "worst": [
                {"gantry": g, "passages_in": n, "passages_kept": kept, "share": share}
                for g, n, kept, share in worst
            ],
        },
        "message": message,
    }
