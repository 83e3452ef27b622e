"""The portal tests use the API tests' published data directory and client."""

from __future__ import annotations

from tests.api.conftest import client, published

__all__ = ["client", "published"]
