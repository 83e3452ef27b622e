"""Coarsened places: a whole cell that is a county, district, village, road or a
``1~30號`` house-number range. A quasi-identifier: it narrows down people without naming
one, so it enters the k-anonymity check."""

from __future__ import annotations

from kaifang.privacy.detectors.base import Detector

_C = "[\\x{4e00}-\\x{9fff}]"
DETECTOR = Detector(
    name="coarse_address",
    category="quasi_identifier",
    label="粗化地址 coarse address",
    pattern=(
        f"(?:{_C}{{1,3}}(?:縣|市))?(?:{_C}{{1,3}}(?:區|鄉|鎮|市))?(?:{_C}{{1,3}}(?:村|里))?"
        f"(?:{_C}{{1,8}}(?:路|街|大道)(?:{_C}段)?)?(?:[0-9]+~[0-9]+號)?"
    ),
    whole_cell=True,
    validate=lambda tok: f"length({tok}) >= 2",
    contact=True,
    keywords=("村里", "里別", "鄉鎮", "行政區", "地點", "位置", "轄區"),
    min_rate=0.7,
    requires=("cjk",),
    lengths=(2, 40),
    action="generalize",
    reason="已粗化的地點為間接識別資料，納入 k 匿名檢查 / a coarse place is a quasi-identifier",
)
