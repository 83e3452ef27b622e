"""Score records: one per registered version (publish and rollback, in the same transaction),
and rescoring records only what changed — on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from kaifang.catalog import open_catalog
from kaifang.catalog.models import ScoreRecordRow
from kaifang.publish import rollback
from kaifang.scoring import dataset_openness, rescore_all
from kaifang.scoring.records import latest_by_slug
from kaifang.settings import Settings
from kaifang.storage import VersionStore
from tests.scoring.conftest import SCHOOL_ROWS, Publish


def records(settings: Settings) -> list[dict[str, Any]]:
    with open_catalog(settings) as catalog, catalog.read() as session:
        rows = session.scalars(select(ScoreRecordRow).order_by(ScoreRecordRow.id))
        return [
            {
                "dataset": r.dataset.slug,
                "resource": r.resource.slug if r.resource else None,
                "version": r.version,
                "score": r.score,
                "band": r.band,
                "stars": r.stars,
                "trigger": r.trigger,
            }
            for r in rows
        ]


def test_every_registered_version_gets_a_score_record(
    backend_settings: Settings, publish: Publish
) -> None:
    first = publish(backend_settings, "schools.csv", screening=None)
    publish(
        backend_settings,
        "schools.csv",
        rows=SCHOOL_ROWS[:2],
        dataset=first.dataset,
        screening=None,
    )
    rollback(backend_settings, first.resource, to=1)
    found = records(backend_settings)
    assert [(r["resource"], r["version"], r["trigger"]) for r in found] == [
        (first.resource, 1, "publish"),
        (first.resource, 2, "publish"),
        (first.resource, 3, "publish"),
    ]
    # Never screened (the placeholder step): the gate's 5 points are lost and no band given.
    assert {(r["score"], r["band"], r["stars"]) for r in found} == {(100, "gold", 5)}


def test_the_record_equals_the_score_at_publish_time(
    backend_settings: Settings, publish: Publish
) -> None:
    result = publish(backend_settings, "schools.csv", screening=None)
    with open_catalog(backend_settings) as catalog:
        live = dataset_openness(
            catalog, VersionStore(backend_settings), result.dataset, now=datetime.now(UTC)
        )
    [record] = records(backend_settings)
    assert (record["score"], record["stars"]) == (live.score, live.stars.level)


def test_rescore_records_only_changed_scores(backend_settings: Settings, publish: Publish) -> None:
    result = publish(backend_settings, "schools.csv")
    store = VersionStore(backend_settings)
    with open_catalog(backend_settings) as catalog:
        now = datetime.now(UTC)
        first = rescore_all(catalog, store, now=now)
        again = rescore_all(catalog, store, now=now)
        late = rescore_all(catalog, store, now=now + timedelta(days=400))
        with catalog.read() as session:
            shown = latest_by_slug(session)
    # nothing changed since the publish scored it: skipped, not scored again
    assert (first.scored, first.skipped, first.recorded, first.changed) == (0, 1, 0, ())
    assert (again.scored, again.recorded, again.changed) == (0, 0, ())
    # 400 days later its due day has passed: scored again, and the score changed
    assert (late.scored, late.recorded, late.changed) == (1, 1, (result.dataset,))
    assert [(r["score"], r["band"], r["trigger"]) for r in records(backend_settings)] == [
        (100, "gold", "publish"),
        (90, "gold", "rescore"),
    ]
    assert shown[result.dataset].score == 90
    assert shown[result.dataset].band == "gold"
