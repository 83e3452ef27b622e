"""Webhook signatures: each subscription's secret is derived from the server's webhook key
and the subscription's id (nothing secret is stored in the catalog); a delivery carries
``X-Kaifang-Signature: sha256=<hex HMAC-SHA256 of the body under that secret>``."""

from __future__ import annotations

import hashlib
import hmac

from kaifang.keys import shared_key
from kaifang.settings import Settings

SIGNATURE_HEADER = "X-Kaifang-Signature"


def subscription_secret(settings: Settings, subscription_id: int) -> str:
    key = shared_key(settings, "webhook", settings.webhook_key)
    return hmac.new(key, f"subscription:{subscription_id}".encode(), hashlib.sha256).hexdigest()


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header: str) -> bool:
    """What a receiver does: recompute and compare in constant time."""
    return hmac.compare_digest(signature(secret, body), header)
