"""Kept so that code written against ``kaifang.api.deps.service_of`` still runs; new code
imports :mod:`kaifang.service.access`, which the web pages use too."""

from __future__ import annotations

from kaifang.service.access import Service, service_of

__all__ = ["Service", "service_of"]
