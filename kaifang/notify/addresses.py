"""Where webhooks may go: http(s) URLs whose host resolves only to public addresses, unless
``webhook_allow_private``. Checked when subscribing and again before every delivery (a name
may be re-pointed at an internal address after the subscription was accepted)."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from kaifang.errors import ValidationError


def check_target(url: str, *, allow_private: bool) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(
            f"webhook URL {url[:200]!r} is not an http(s) URL", key="url",
            hint="Give the full address the changes should be POSTed to, e.g. https://...",
        )  # fmt: skip
    if len(url) > 2000:
        raise ValidationError("webhook URL is longer than 2,000 characters", key="url")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except OSError as exc:
        raise ValidationError(
            f"webhook host {parts.hostname!r} does not resolve", key="url"
        ) from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise ValidationError(
                f"webhook host {parts.hostname!r} is a private, loopback or link-local "
                "address; webhooks go to public addresses only",
                key="url",
                hint="An operator may allow private receivers with webhook_allow_private.",
            )
