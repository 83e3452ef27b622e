"""Vehicle plates: current ``ABC-1234`` and older ``AB-1234``, ``1234-AB``, ``ABC-123``,
``123-ABC``; ``123-4567`` and undashed forms count only under a plate column name."""

from __future__ import annotations

from kaifang.privacy.detectors.base import Detector

DETECTOR = Detector(
    name="vehicle_plate",
    category="direct_identifier",
    label="車牌號碼 vehicle plate",
    pattern=(
        r"[a-z]{3}-[0-9]{4}|[a-z]{2}-[0-9]{4}|[0-9]{4}-[a-z]{2}|[a-z]{3}-[0-9]{3}"
        r"|[0-9]{3}-[a-z]{3}|[a-z][0-9]-[0-9]{4}|[0-9]{4}-[a-z][0-9]"
    ),
    context_pattern=r"[0-9]{3}-[0-9]{4}|[a-z]{2,3}[0-9]{3,4}|[0-9]{3,4}[a-z]{2,3}",
    keywords=("車牌", "車號", "牌照", "plate", "license"),
    min_rate=0.5,
    requires=("digit",),
    lengths=(6, None),
    action="drop",
    reason="車牌可連結到車主 / a plate links to its owner",
)
