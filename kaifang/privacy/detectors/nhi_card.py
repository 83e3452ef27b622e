"""NHI card numbers (健保卡號): 12 digits, only where the column name says 健保 / NHI."""

from __future__ import annotations

from kaifang.privacy.detectors.base import Detector

DETECTOR = Detector(
    name="nhi_card",
    category="direct_identifier",
    label="健保卡號 NHI card number",
    pattern="[0-9]{4}[ -]?[0-9]{4}[ -]?[0-9]{4}",
    needs_context=True,
    keywords=("健保", "nhi"),
    requires=("digit",),
    lengths=(12, None),
    action="drop",
    reason="健保卡號可直接識別個人 / an NHI card number identifies a person",
)
