"""The one commit step: every path that creates a version records the dataset's openness score
in the same transaction, so imported datasets have a score without ``kaifang score --all``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from sqlalchemy import select

from kaifang.catalog import create_organization, open_catalog
from kaifang.catalog.models import Resource, ScoreRecordRow
from kaifang.publish.adopted import PartitionedFiles, publish_files
from kaifang.publish.relation import RelationSpec
from kaifang.publish.rollback import rollback
from kaifang.settings import Settings
from kaifang.sources.elections.generate import ElectionsPlan, generate_elections
from kaifang.sources.elections.importer import import_elections
from kaifang.sources.freeway.generate import FreewayPlan, generate_freeway
from kaifang.sources.freeway.importer import import_freeway
from kaifang.sources.schools.generate import SchoolsPlan, generate_schools
from kaifang.sources.schools.importer import import_schools
from kaifang.sources.theft.generate import TheftPlan, generate_theft
from kaifang.sources.theft.importer import import_theft
from kaifang.storage import AdoptedFile


def _freeway(folder: Path) -> Callable[[Settings], Any]:
    plan = FreewayPlan(start=date(2024, 3, 25), scale=0.02, trips_per_day=2000, seed=5)
    generate_freeway(folder, plan)
    return lambda settings: import_freeway(settings, folder, accept_utility_loss=True)


def _elections(folder: Path) -> Callable[[Settings], Any]:
    generate_elections(folder, ElectionsPlan(seed=5, scale=0.05))
    return lambda settings: import_elections(settings, folder)


def _theft(folder: Path) -> Callable[[Settings], Any]:
    generate_theft(folder, TheftPlan(seed=5, scale=0.05))
    return lambda settings: import_theft(settings, folder)


def _schools(folder: Path) -> Callable[[Settings], Any]:
    generate_schools(folder, SchoolsPlan(seed=5, scale=0.04))
    return lambda settings: import_schools(settings, folder)


SOURCES = {"freeway": _freeway, "elections": _elections, "theft": _theft, "schools": _schools}


def _unscored(settings: Settings) -> tuple[int, list[str]]:
    """How many resources the catalog holds, and the datasets without a score record (trigger
    ``publish``) for the current version of one of their resources: an import that registers
    several resources of a dataset at once scores the dataset once, for the last of them."""
    with open_catalog(settings) as catalog, catalog.read() as session:
        resources = session.scalars(select(Resource).order_by(Resource.slug)).all()
        currents: dict[int, set[tuple[int, int | None]]] = {}
        for r in resources:
            currents.setdefault(r.dataset_id, set()).add((r.id, r.current_version))
        missing = [
            f"dataset {dataset_id}"
            for dataset_id, versions in sorted(currents.items())
            if not any(
                (row.resource_id, row.version) in versions
                for row in session.scalars(
                    select(ScoreRecordRow).where(
                        ScoreRecordRow.dataset_id == dataset_id,
                        ScoreRecordRow.trigger == "publish",
                    )
                )
            )
        ]
        return len(resources), missing


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_every_imported_version_has_its_score(
    source: str, settings: Settings, tmp_path: Path
) -> None:
    run_import = SOURCES[source](tmp_path / "in")
    run_import(settings)
    resources, missing = _unscored(settings)
    assert resources > 0
    assert missing == []


def test_rollback_of_an_imported_resource_is_scored(settings: Settings, tmp_path: Path) -> None:
    result = _theft(tmp_path / "in")(settings)
    slug = result.datasets[0].resources[0].resource
    rolled = rollback(settings, slug, to=1)
    assert rolled.version == 2 and rolled.rollback_of == 1
    assert _unscored(settings)[1] == []


def test_files_another_engine_wrote_are_scored(settings: Settings, tmp_path: Path) -> None:
    """The adopted path (Spark writes the files, the store adopts them) without a cluster:
    pyarrow writes the finished files here."""
    with open_catalog(settings) as catalog:
        create_organization(catalog, "379130000E", name="臺北市政府警察局")
    files = []
    for day, count in (("2024-01-01", 3), ("2024-01-02", 5)):
        path = tmp_path / "written" / f"{day}.parquet"
        path.parent.mkdir(exist_ok=True)
        pq.write_table(pa.table({"day": [day], "count": pa.array([count], pa.int32())}), path)
        files.append(AdoptedFile(str(path), {"day": day}))
    spec = RelationSpec(
        org="379130000E",
        title="每日件數",
        resource="daily_counts",
        fields=[{"name": "day", "type": "string"}, {"name": "count", "type": "integer"}],
        partition_by="day",
    )
    written = PartitionedFiles(files, {"2024-01-01": "a", "2024-01-02": "b"}, "test-writer")
    result = publish_files(settings, written, spec)
    assert (result.version, result.rows) == (1, 2)
    assert _unscored(settings) == (1, [])
