"""Passport numbers: 9 digits, only where the column name says 護照 / passport."""

from __future__ import annotations

from kaifang.privacy.detectors.base import Detector

DETECTOR = Detector(
    name="passport",
    category="direct_identifier",
    label="護照號碼 passport number",
    pattern="[0-9]{9}",
    needs_context=True,
    keywords=("護照", "passport"),
    requires=("digit",),
    lengths=(9, None),
    action="drop",
    reason="護照號碼可直接識別個人 / a passport number identifies a person",
)
