"""Freeway gantry codes (``01F0005N``, ``03A0056S``, ``05FR143N``): road number, road type,
kilometre and direction, as the freeway bureau's ETC files give them, with or without a
header row. Where a row is one vehicle's passage or trip (two such columns, or one next to a
time to the second, and no count column), they are the trip's places and, with the times,
rebuild a person's route; in a table about the gantries themselves (counts per month, a
location list) they are infrastructure codes (:mod:`kaifang.privacy.decide`)."""

from __future__ import annotations

from kaifang.privacy.detectors.base import Detector

DETECTOR = Detector(
    name="gantry_code",
    category="quasi_identifier",
    label="門架代碼 freeway gantry code",
    pattern=r"[0-9]{2}[a-z][0-9a-z][0-9]{3}[nsew]",
    whole_cell=True,
    keywords=("門架", "gantry"),
    min_rate=0.8,
    mask_style="none",
    requires=("digit", "latin"),
    lengths=(8, 8),
    action="keep",
    reason="旅次起訖門架與時間可重建行蹤 / trip gantries with times rebuild a person's route",
)

TRIP_PATH = Detector(
    name="trip_path",
    category="quasi_identifier",
    label="旅次路徑 trip path (time+gantry pairs)",
    pattern=r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}(?::[0-9]{2})?"
    r"\+[0-9]{2}[a-z][0-9a-z][0-9]{3}[nsew]",
    keywords=("tripinformation", "旅次路徑", "行經門架", "trip_path"),
    min_rate=0.8,
    mask_style="middle",
    requires=("digit", "latin"),
    lengths=(22, None),
    action="drop",
    reason="旅次行經每座門架的時間可重建完整行蹤 / a trip's path (time at each gantry) "
    "rebuilds the whole route: drop it or publish it at a coarser grain",
)
"""M06A ``TripInformation`` as text (``2024-03-25 08:00:01+03F0017N; ...``), found from
its values whether or not the file has a header."""
