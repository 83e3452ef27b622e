"""IPv4 (each octet at most 255, checked by the pattern) and IPv6 addresses (full or
``::``-compressed)."""

from __future__ import annotations

from kaifang.privacy.detectors.base import Detector

_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
_IPV4 = rf"{_OCTET}(?:\.{_OCTET}){{3}}"
_IPV6 = (
    r"(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}"
    r"|(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,5})?"
    r"|::(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4}"
)


DETECTOR = Detector(
    name="ip_address",
    category="direct_identifier",
    label="IP 位址 IP address",
    pattern=f"{_IPV4}|{_IPV6}",
    strong=True,
    keywords=("ip", "ip_address", "ipaddr", "ip位址"),
    requires=("digit",),
    lengths=(3, None),
    action="drop",
    reason="IP 位址可連結到個人 / an IP address can be linked to a person",
)
