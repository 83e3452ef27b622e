"""Resident certificate (居留證 / 統一證號): old format (2 letters, to 2031) and the 2021
format (letter, 8 or 9, 8 digits), both with the national-ID checksum."""

from __future__ import annotations

from kaifang.privacy.detectors.base import Detector
from kaifang.privacy.detectors.national_id import tw_checksum_sql

DETECTOR = Detector(
    name="tw_resident_certificate",
    category="direct_identifier",
    label="居留證統一證號 resident certificate",
    pattern="[a-z][a-d89][0-9]{8}",
    validate=tw_checksum_sql,
    strong=True,
    keywords=("居留證", "統一證號", "arc", "resident"),
    requires=("digit", "latin"),
    lengths=(10, None),
    action="drop",
    reason="居留證號可直接識別個人 / a resident certificate number identifies a person",
)
