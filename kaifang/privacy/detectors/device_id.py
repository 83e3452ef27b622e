"""Device identifiers (ETC tags/OBUs, IMEIs, MAC addresses): a MAC address anywhere, or hex
and digit strings under a column name such as tag, OBU, IMEI, 裝置, 標籤."""

from __future__ import annotations

from kaifang.privacy.detectors.base import Detector

DETECTOR = Detector(
    name="device_id",
    category="direct_identifier",
    label="裝置識別碼 device id",
    pattern=r"(?:[0-9a-f]{2}[:-]){5}[0-9a-f]{2}",
    context_pattern=r"[0-9a-f]{6,32}",
    keywords=("tag", "obu", "etag", "imei", "device", "裝置", "標籤", "mac", "vehicle_id"),
    min_rate=0.5,
    lengths=(6, None),
    action="pseudonymize",
    reason="裝置碼可追蹤個人或車輛 / a device id tracks a person or vehicle",
)
