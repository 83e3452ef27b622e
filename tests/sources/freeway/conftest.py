from __future__ import annotations

from pathlib import Path

import pytest

from kaifang.sources.freeway.generate import FreewayPlan, GeneratedFreeway, generate_freeway

SMALL = FreewayPlan(scale=0.05, trips_per_day=20_000, seed=7)


@pytest.fixture(scope="module")
def small_day(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GeneratedFreeway]:
    out = tmp_path_factory.mktemp("freeway")
    return out, generate_freeway(out, SMALL)
