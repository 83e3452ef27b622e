"""Generated TDCS fixtures: two days of every dataset on a reduced network (a few seconds)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kaifang.settings import Settings
from kaifang.sources.freeway.generate import FreewayPlan, GeneratedFreeway, generate_freeway

SMALL = FreewayPlan(scale=0.05, trips_per_day=20_000, seed=7)


@pytest.fixture(scope="module")
def small_day(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GeneratedFreeway]:
    out = tmp_path_factory.mktemp("freeway")
    return out, generate_freeway(out, SMALL)


START = date(2024, 3, 25)


@pytest.fixture(scope="session")
def two_days(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GeneratedFreeway]:
    out = tmp_path_factory.mktemp("tdcs")
    plan = FreewayPlan(start=START, days=2, scale=0.02, trips_per_day=4000, seed=7)
    return out, generate_freeway(out, plan)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The root fixture's settings with no limit on the trip protection's utility loss:
    these fixtures hold a few thousand trips a day (a real day holds millions), so most of
    their rare trips are suppressed; the limit has its own tests (test_trip_utility.py)."""
    return settings.replace(freeway_trip_max_loss=1.0)
