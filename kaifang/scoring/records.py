"""Score records in the catalog (``score_records``): written for every registered version and
by rescoring, read for the trend and for the score shown in listings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from kaifang.catalog.models import Dataset, ScoreRecordRow, utcnow
from kaifang.openness import DatasetScore, ScoreRecord
from kaifang.scoring.facts import aware

if TYPE_CHECKING:
    from kaifang.catalog.quick import DatasetRow


def naive_utc(moment: datetime) -> datetime:
    """How the catalog stores times: naive UTC."""
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def record_score(
    session: Session,
    dataset: Dataset,
    score: DatasetScore,
    *,
    trigger: str,
    resource_id: int | None = None,
    version: int | None = None,
    at: datetime | None = None,
    due: date | None = None,
) -> ScoreRecordRow:
    """Add a score record for ``dataset`` in ``session``'s transaction, and copy it onto the
    dataset row (what listings filter, facet and sort on, see :func:`mark_scored`)."""
    mark_scored(dataset, score, at=at, due=due)
    row = ScoreRecordRow(
        dataset_id=dataset.id,
        resource_id=resource_id,
        version=version,
        score=score.score,
        band=score.band.slug if score.band is not None else None,
        stars=score.stars.level,
        trigger=trigger,
        recorded_at=naive_utc(at) if at is not None else utcnow(),
    )
    session.add(row)
    return row


def mark_scored(
    dataset: Dataset, score: DatasetScore, *, at: datetime | None, due: date | None
) -> None:
    """Put ``score`` on the dataset row, with when it was scored and the day after which it is
    overdue (``kaifang score --all`` rescores a dataset only when its row changed since, or
    that day has passed)."""
    dataset.score = score.score
    dataset.band = score.band.slug if score.band is not None else None
    dataset.stars = score.stars.level
    dataset.score_due = due
    dataset.scored_at = naive_utc(at) if at is not None else utcnow()


def latest_records(session: Session, dataset_ids: Iterable[int]) -> dict[int, ScoreRecordRow]:
    """The newest record of each dataset (the highest id: records are only ever added)."""
    ids = list(set(dataset_ids))
    if not ids:
        return {}
    newest = (
        select(func.max(ScoreRecordRow.id))
        .where(ScoreRecordRow.dataset_id.in_(ids))
        .group_by(ScoreRecordRow.dataset_id)
    )
    rows = session.scalars(select(ScoreRecordRow).where(ScoreRecordRow.id.in_(newest)))
    return {row.dataset_id: row for row in rows}


@dataclass(frozen=True)
class RecordedScore:
    """A dataset's latest recorded score: what listings and metadata show."""

    score: int
    band: str | None
    stars: int
    recorded_at: datetime  # aware, UTC

    @classmethod
    def from_row(cls, row: ScoreRecordRow) -> RecordedScore:
        return cls(
            score=row.score, band=row.band, stars=row.stars, recorded_at=aware(row.recorded_at)
        )

    def to_dict(self) -> dict[str, Any]:
        """``{score, band, stars, recorded_at}``, the ``openness`` of a listed dataset."""
        return {
            "score": self.score,
            "band": self.band,
            "stars": self.stars,
            "recorded_at": self.recorded_at.isoformat(),
        }


def record_dict(row: ScoreRecordRow | None) -> dict[str, Any] | None:
    """``{score, band, stars, recorded_at}`` of a score record (None: no record)."""
    return RecordedScore.from_row(row).to_dict() if row is not None else None


def history_of(session: Session, datasets: Iterable[Dataset | DatasetRow]) -> list[ScoreRecord]:
    """Every record of ``datasets`` as the library's ``ScoreRecord`` (a rescore has no
    version and counts as version 0), oldest first."""
    slugs = {d.id: d.slug for d in datasets}
    if not slugs:
        return []
    rows = session.scalars(
        select(ScoreRecordRow)
        .where(ScoreRecordRow.dataset_id.in_(list(slugs)))
        .order_by(ScoreRecordRow.id)
    )
    return [
        ScoreRecord(slugs[r.dataset_id], r.version or 0, r.score, aware(r.recorded_at))
        for r in rows
    ]


_scores = ScoreRecordRow.__table__
_datasets = Dataset.__table__
_newest = _scores.alias("newest")
_NEWEST_OF_SLUGS = (
    select(
        _datasets.c.slug,
        _scores.c.score,
        _scores.c.band,
        _scores.c.stars,
        _scores.c.recorded_at,
    )
    .select_from(_datasets)
    .join(
        _scores,
        _scores.c.id
        == select(func.max(_newest.c.id))
        .where(_newest.c.dataset_id == _datasets.c.id)
        .correlate(_datasets)
        .scalar_subquery(),
    )
    .where(_datasets.c.slug.in_(bindparam("slugs", expanding=True)))
)
"""Each named dataset's newest record, found through the record index one dataset at a time
(a page of a listing names a hundred); built once, like the listing's statements."""


def latest_by_slug(session: Session, slugs: list[str] | None = None) -> dict[str, RecordedScore]:
    """``{dataset id: score}`` from each dataset's newest record
    (of the datasets ``slugs`` name, default every one), in one query (what listings show
    without recomputing)."""
    if slugs is not None:
        if not slugs:
            return {}
        found = session.execute(_NEWEST_OF_SLUGS, {"slugs": slugs})
        return {
            slug: RecordedScore(score=score, band=band, stars=stars, recorded_at=aware(at))
            for slug, score, band, stars, at in found
        }
    newest = select(func.max(ScoreRecordRow.id)).group_by(ScoreRecordRow.dataset_id)
    rows = session.execute(
        select(Dataset.slug, ScoreRecordRow)
        .join(ScoreRecordRow, ScoreRecordRow.dataset_id == Dataset.id)
        .where(ScoreRecordRow.id.in_(newest))
    )
    return {slug: RecordedScore.from_row(row) for slug, row in rows}
