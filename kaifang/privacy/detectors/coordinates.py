"""Precise coordinates: a number with at least 4 decimals in Taiwan's latitude
(21.8–25.4) or longitude (119.3–122.1) range, or a ``lat,lon`` WGS84 pair."""

from __future__ import annotations

from kaifang.privacy.detectors.base import Detector


def _in_taiwan_sql(token: str) -> str:
    first = f"TRY_CAST(split_part(replace({token}, ' ', ''), ',', 1) AS DOUBLE)"
    return (
        f"(position(',' IN {token}) > 0 OR {first} BETWEEN 21.8 AND 25.4 "
        f"OR {first} BETWEEN 119.3 AND 122.1)"
    )


DETECTOR = Detector(
    name="coordinates",
    category="quasi_identifier",
    label="精確座標 precise coordinates",
    pattern=r"-?[0-9]{1,3}\.[0-9]{4,}(?:, ?-?[0-9]{1,3}\.[0-9]{4,})?",
    validate=_in_taiwan_sql,
    contact=True,
    keywords=(
        "座標",
        "坐標",
        "經度",
        "緯度",
        "latitude",
        "longitude",
        "lat",
        "lon",
        "lng",
        "wgs84",
    ),
    min_rate=0.5,
    mask_style="coordinate",
    requires=("digit",),
    lengths=(6, None),
    action="generalize",
    reason="精確座標可定位住所，建議網格化到小數 3 位 / precise coordinates locate a home",
)
