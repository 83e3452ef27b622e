"""The demo loads every flagship source, and loading it twice changes nothing."""

from __future__ import annotations

from kaifang.catalog.datasets import list_datasets
from kaifang.catalog.db import open_catalog
from kaifang.demo import DemoPlan, load_demo
from kaifang.settings import Settings

SMALL = DemoPlan(
    freeway_days=1,
    freeway_scale=0.02,
    freeway_trips_per_day=2000,
    elections_scale=0.1,
    theft_scale=0.1,
    schools_scale=0.05,
)


def _versions(settings: Settings) -> dict[str, int | None]:
    with open_catalog(settings) as catalog:
        data = list_datasets(catalog).data
    return {r.slug: r.current_version for d in data for r in d.resources}


def test_demo_loads_every_source_once(settings: Settings) -> None:
    messages: list[str] = []
    report = load_demo(settings, SMALL, say=messages.append)
    assert set(report.imported) == {"freeway", "elections", "theft", "schools"}
    first = _versions(settings)
    assert {"freeway_m03a", "freeway_m06a", "freeway_gantries", "taipei_theft_points"} <= set(first)
    assert any(name.endswith("_elctks") for name in first)
    assert any(name.startswith("moe_schools_") for name in first)
    assert set(first.values()) == {1}
    with open_catalog(settings) as catalog:
        datasets = {d.slug for d in list_datasets(catalog).data}
    assert {"freeway_m06a", "cec_2020_president", "taipei_theft_points", "moe_schools"} <= datasets

    load_demo(settings, SMALL)
    assert _versions(settings) == first
    assert any("importing freeway" in m for m in messages)
