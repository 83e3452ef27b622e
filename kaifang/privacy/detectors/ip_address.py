"""IPv4 (each octet at most 255) and IPv6 addresses (full or ``::``-compressed)."""

from __future__ import annotations

from kaifang.privacy.detectors.base import Detector

_IPV4 = r"(?:[0-9]{1,3}\.){3}[0-9]{1,3}"
_IPV6 = (
    r"(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}"
    r"|(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,5})?"
    r"|::(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4}"
)


def _valid_ip_sql(token: str) -> str:
    octets = f"string_split({token}, '.')"
    return (
        f"(position(':' IN {token}) > 0 OR "
        f"list_bool_and(list_transform({octets}, "
        f"lambda o: coalesce(TRY_CAST(o AS INTEGER) <= 255, false))))"
    )


DETECTOR = Detector(
    name="ip_address",
    category="direct_identifier",
    label="IP 位址 IP address",
    pattern=f"{_IPV4}|{_IPV6}",
    validate=_valid_ip_sql,
    strong=True,
    keywords=("ip", "ip_address", "ipaddr", "ip位址"),
    requires=("digit",),
    action="drop",
    reason="IP 位址可連結到個人 / an IP address can be linked to a person",
)
