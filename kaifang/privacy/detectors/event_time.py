"""Event dates, timestamps and hour bands (``2024-01-05``, ``2024-01-05 08:15:00``,
``113/01/05``, ``18~21``). With a place or a trip origin/destination they locate a person in
space and time, so they are quasi-identifiers (the ETC trip re-identification case)."""

from __future__ import annotations

from kaifang.privacy.detectors.base import Detector
from kaifang.privacy.detectors.birth_date import DATE_PATTERN, plausible_date_sql

DETECTOR = Detector(
    name="event_time",
    category="quasi_identifier",
    label="事件時間 event date/time",
    pattern=(
        f"(?:{DATE_PATTERN})(?:[ t][0-9]{{1,2}}:[0-9]{{2}}(?::[0-9]{{2}}(?:\\.[0-9]+)?)?)?"
        r"|[0-9]{1,2}[~-][0-9]{1,2}(?:時)?"
    ),
    whole_cell=True,
    validate=plausible_date_sql,
    keywords=("日期", "時間", "時段", "date", "time"),
    min_rate=0.8,
    mask_style="none",
    requires=("digit",),
    lengths=(3, 40),
    action="generalize",
    reason="事件時間配合地點可定位個人，建議粗化到小時或日 / coarsen times with places",
)
