"""``kaifang demo``: generate the flagship sources in their upstream formats, import them,
then serve the portal. Idempotent: generators are deterministic and importers skip files
they already published, so running it twice creates no duplicate datasets or versions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from kaifang.settings import Settings
from kaifang.sources.elections.generate import ElectionsPlan, generate_elections
from kaifang.sources.elections.importer import import_elections
from kaifang.sources.freeway.generate import FreewayPlan, generate_freeway
from kaifang.sources.freeway.importer import import_freeway
from kaifang.sources.schools.generate import SchoolsPlan, generate_schools
from kaifang.sources.schools.importer import import_schools
from kaifang.sources.theft.generate import TheftPlan, generate_theft
from kaifang.sources.theft.importer import import_theft

DEMO_ELECTION = "2020"  # the folder of voteData/ whose name contains this is imported


@dataclass(frozen=True)
class DemoPlan:
    """How much demo data: a few freeway days at a reduced network, one election, a year of
    theft points, every school level."""

    freeway_start: date = date(2024, 3, 25)
    freeway_days: int = 2
    freeway_scale: float = 0.25
    freeway_trips_per_day: int = 20_000
    # The demo's trips are ~1/40 of a real day's per gantry, so the M06A protection loses
    # more than freeway_trip_max_loss; the demo accepts it, and the dataset page shows the
    # loss and that it was accepted (a real import is refused instead).
    freeway_accept_utility_loss: bool = True
    theft_year: int = 2023
    elections_scale: float = 0.5
    theft_scale: float = 1.0
    schools_scale: float = 1.0
    seed: int = 0


# A small demo with every flagship source (the browser tests' and the page benchmark's).
SMALL_DEMO = DemoPlan(
    freeway_days=1,
    freeway_scale=0.02,
    freeway_trips_per_day=2000,
    elections_scale=0.1,
    theft_scale=0.1,
    schools_scale=0.05,
)


@dataclass
class DemoReport:
    sources: str
    imported: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"sources": self.sources, "imported": self.imported}


Step = Callable[[str], None]


def _noop(_message: str) -> None:
    return None


def load_demo(settings: Settings, plan: DemoPlan | None = None, *, say: Step = _noop) -> DemoReport:
    """Generate (once) and import the demo data into ``settings.data_dir``."""
    plan = plan or DemoPlan()
    root = settings.data_dir / "demo-sources"
    report = DemoReport(sources=str(root))

    freeway = root / "freeway"
    if not (freeway / ".complete").exists():
        say(f"generating {plan.freeway_days} freeway days")
        generate_freeway(
            freeway,
            FreewayPlan(
                start=plan.freeway_start,
                days=plan.freeway_days,
                seed=plan.seed,
                scale=plan.freeway_scale,
                trips_per_day=plan.freeway_trips_per_day,
            ),
        )
        (freeway / ".complete").touch()
    say("importing freeway")
    report.imported["freeway"] = import_freeway(
        settings, freeway, accept_utility_loss=plan.freeway_accept_utility_loss
    ).to_dict()

    elections = root / "elections"
    if not (elections / ".complete").exists():
        say("generating elections")
        generate_elections(elections, ElectionsPlan(seed=plan.seed, scale=plan.elections_scale))
        (elections / ".complete").touch()
    folder = _election_folder(elections)
    say(f"importing the election in {folder.name}")
    report.imported["elections"] = import_elections(settings, folder).to_dict()

    theft = root / "theft"
    if not (theft / ".complete").exists():
        say(f"generating theft points for {plan.theft_year}")
        generate_theft(
            theft, TheftPlan(year=plan.theft_year, seed=plan.seed, scale=plan.theft_scale)
        )
        (theft / ".complete").touch()
    say("importing theft points")
    report.imported["theft"] = import_theft(settings, theft).to_dict()

    schools = root / "schools"
    if not (schools / ".complete").exists():
        say("generating school directories")
        generate_schools(schools, SchoolsPlan(seed=plan.seed, scale=plan.schools_scale))
        (schools / ".complete").touch()
    say("importing school directories")
    report.imported["schools"] = import_schools(settings, schools).to_dict()
    return report


def _election_folder(root: Path) -> Path:
    folders = sorted(p for p in (root / "voteData").iterdir() if p.is_dir())
    for folder in folders:
        if DEMO_ELECTION in folder.name:
            return folder
    return folders[0]
