"""Openness scores of what the catalog holds: one dataset, one organization, the national
ranking, the score recorded when a version is registered, and rescoring everything.

Scores are computed from the catalog at ``now`` (T1 "up to date" depends on the clock), so the
dataset and organization views are always current. The score shown in listings is the latest
*recorded* one: recorded for every registered version, in the publish's own transaction, and
refreshed by :func:`rescore_all` (``kaifang score --all``, e.g. nightly) as time passes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.orm import Session, selectinload

from kaifang.catalog.accounts import find_organization
from kaifang.catalog.activity import record_activity
from kaifang.catalog.datasets import find_dataset
from kaifang.catalog.db import Catalog
from kaifang.catalog.fact_rows import organization_fact_rows
from kaifang.catalog.models import Dataset, Organization, Resource
from kaifang.catalog.models import DatasetRequest as DatasetRequestRow
from kaifang.catalog.requests import open_requests_of
from kaifang.errors import ValidationError
from kaifang.openness import (
    Band,
    DatasetRequest,
    DatasetScore,
    OrganizationScore,
    detect_split_datasets,
    ranking_to_csv,
    score_dataset,
    score_organization,
)
from kaifang.openness.checks.timeliness import taiwan_day, timeliness
from kaifang.openness.trend import units_of
from kaifang.scoring.facts import aware, dataset_facts
from kaifang.scoring.records import (
    history_of,
    latest_records,
    mark_scored,
    naive_utc,
    record_score,
)
from kaifang.storage import VersionStore

_LOAD = (
    selectinload(Dataset.organization),
    selectinload(Dataset.license),
    selectinload(Dataset.tags),
    selectinload(Dataset.resources).selectinload(Resource.versions),
)


def _datasets(session: Session, *, organization_id: int | None = None) -> list[Dataset]:
    stmt = select(Dataset).options(*_LOAD).order_by(Dataset.slug)
    if organization_id is not None:
        stmt = stmt.where(Dataset.organization_id == organization_id)
    return list(session.scalars(stmt))


def score_of(dataset: Dataset, store: VersionStore, *, now: datetime) -> DatasetScore:
    return score_dataset(dataset_facts(dataset, has_version=store.has_version), now=now)


def dataset_openness(
    catalog: Catalog, store: VersionStore, ref: str, *, now: datetime
) -> DatasetScore:
    """The score of dataset ``ref`` (id or national identifier) at ``now``."""
    with catalog.read() as session:
        return score_of(find_dataset(session, ref), store, now=now)


def dataset_scores(
    catalog: Catalog, store: VersionStore, refs: list[str], *, now: datetime
) -> dict[str, DatasetScore]:
    """``{id: score}`` of the datasets ``refs`` names (ids) at ``now``, read together in a
    few queries (an organization page scores each of its datasets)."""
    if not refs:
        return {}
    with catalog.read() as session:
        found = session.scalars(select(Dataset).where(Dataset.slug.in_(refs)).options(*_LOAD))
        return {dataset.slug: score_of(dataset, store, now=now) for dataset in found}


def _organization_score(
    session: Session, store: VersionStore, org: Organization, *, now: datetime
) -> OrganizationScore:
    datasets = organization_fact_rows(session, org.id)
    requests = [
        DatasetRequest(str(r.id), r.title, aware(r.created))
        for r in open_requests_of(session, org.id)
    ]
    return score_organization(
        org.code,
        [dataset_facts(d, has_version=store.has_version) for d in datasets],
        now=now,
        history=history_of(session, datasets),
        open_requests=requests,
        org_name=org.name,
    )


def organization_openness(
    catalog: Catalog, store: VersionStore, code: str, *, now: datetime
) -> OrganizationScore:
    """The organization view at ``now``: units (split groups once), distribution, overdue
    datasets, open requests and the monthly trend of recorded scores."""
    with catalog.read() as session:
        return _organization_score(session, store, find_organization(session, code), now=now)


RANKING_ORDERS = ("mean", "gold")
_BAND_RANK = {"gold": Band.GOLD.value, "silver": Band.SILVER.value, "bronze": Band.BRONZE.value}


def _ranking_query(today: date) -> Select[Any]:
    """One statement: per organization, its scoring units (a split group counts once, at its
    weakest member) from the scores recorded on the dataset rows, averaged and counted by
    band; its datasets, its overdue datasets on ``today`` and its open requests."""
    band_rank = case(*((Dataset.band == slug, rank) for slug, rank in _BAND_RANK.items()), else_=0)
    units = (
        select(
            Dataset.organization_id.label("org"),
            func.min(Dataset.score).label("score"),
            func.min(band_rank).label("rank"),
            func.count().label("members"),
        )
        .where(Dataset.score.is_not(None))
        .group_by(Dataset.organization_id, func.coalesce(Dataset.score_unit, Dataset.id))
        .subquery()
    )

    def banded(rank: int) -> Any:
        return func.coalesce(func.sum(case((units.c.rank == rank, 1), else_=0)), 0)

    per_org = (
        select(
            units.c.org,
            func.avg(units.c.score).label("mean"),
            banded(Band.GOLD.value).label("gold"),
            banded(Band.SILVER.value).label("silver"),
            banded(Band.BRONZE.value).label("bronze"),
            banded(0).label("none"),
            func.count().label("counted"),
            func.coalesce(func.sum(case((units.c.members > 1, 1), else_=0)), 0).label("split"),
        )
        .group_by(units.c.org)
        .subquery()
    )
    datasets = (
        select(
            Dataset.organization_id.label("org"),
            func.count().label("datasets"),
            func.coalesce(func.sum(case((Dataset.score_due < today, 1), else_=0)), 0).label(
                "overdue"
            ),
        )
        .group_by(Dataset.organization_id)
        .subquery()
    )
    requests = (
        select(DatasetRequestRow.organization_id.label("org"), func.count().label("open"))
        .where(DatasetRequestRow.status == "open")
        .group_by(DatasetRequestRow.organization_id)
        .subquery()
    )
    return (
        select(
            Organization.code,
            Organization.name,
            per_org.c.mean,
            per_org.c.gold,
            per_org.c.silver,
            per_org.c.bronze,
            per_org.c.none,
            per_org.c.counted,
            per_org.c.split,
            datasets.c.datasets,
            datasets.c.overdue,
            requests.c.open,
        )
        .outerjoin(per_org, per_org.c.org == Organization.id)
        .outerjoin(datasets, datasets.c.org == Organization.id)
        .outerjoin(requests, requests.c.org == Organization.id)
    )


def _competition(rows: list[dict[str, Any]], key: str) -> dict[str, int]:
    """1, 2, 2, 4...: ties share a rank and the next rank skips."""
    ordered = sorted(rows, key=lambda r: r[key], reverse=True)
    ranks: dict[str, int] = {}
    for position, row in enumerate(ordered, start=1):
        previous = ordered[position - 2] if position > 1 else None
        same = previous is not None and previous[key] == row[key]
        ranks[row["organization"]] = (
            ranks[previous["organization"]] if same and previous else position
        )
    return ranks


def openness_ranking(
    catalog: Catalog, store: VersionStore, *, now: datetime, by: str = "mean"
) -> list[dict[str, Any]]:
    """Every organization with its rank by mean score and by 金 count, ordered by ``by``
    (``mean``: best mean first; ``gold``: most 金 datasets first, then by mean).

    One query over the scores recorded on the dataset rows (each publish and ``kaifang score
    --all`` record them, and the split groups of the publishing organization), so it costs
    the same whatever the size of the catalog; overdue counts are as of ``now``."""
    if by not in RANKING_ORDERS:
        raise ValidationError(
            f"cannot order the ranking by {by!r}",
            hint=f"Use one of: {', '.join(RANKING_ORDERS)}.",
            key="by",
        )
    with catalog.read() as session:
        found = session.execute(_ranking_query(taiwan_day(now))).all()
    rows = [
        {
            "organization": code,
            "name": name,
            "mean": round(float(mean), 1) if mean is not None else None,
            "gold": int(gold or 0),
            "silver": int(silver or 0),
            "bronze": int(bronze or 0),
            "none": int(none or 0),
            "counted_datasets": int(counted or 0),
            "datasets": int(count or 0),
            "split_groups": int(split or 0),
            "overdue": int(overdue or 0),
            "open_requests": int(open_ or 0),
        }
        for code, name, mean, gold, silver, bronze, none, counted, split, count, overdue, open_
        in found
    ]  # fmt: skip
    for row in rows:
        row["_mean"] = row["mean"] if row["mean"] is not None else -1.0
    by_mean, by_gold = _competition(rows, "_mean"), _competition(rows, "gold")
    rows.sort(key=lambda r: (-r["_mean"], -r["gold"], r["organization"]))
    out = [
        {"rank_by_mean": by_mean[r["organization"]], "rank_by_gold": by_gold[r["organization"]]}
        | {k: v for k, v in r.items() if k != "_mean"}
        for r in rows
    ]
    if by == "gold":
        out.sort(key=lambda r: (r["rank_by_gold"], r["rank_by_mean"], r["organization"]))
    return out


def openness_ranking_csv(
    catalog: Catalog, store: VersionStore, *, now: datetime, by: str = "mean"
) -> str:
    """The ranking as CSV (UTF-8 with BOM, CRLF, formula-like cells escaped)."""
    return ranking_to_csv(openness_ranking(catalog, store, now=now, by=by))


def _scored(
    dataset: Dataset, store: VersionStore, *, now: datetime
) -> tuple[DatasetScore, date | None]:
    facts = dataset_facts(dataset, has_version=store.has_version)
    return score_dataset(facts, now=now), timeliness(facts, now).due


def refresh_units(session: Session, store: VersionStore, datasets: list[Dataset]) -> None:
    """Mark the split groups among one organization's ``datasets`` (all of them) on their
    rows: each member's ``score_unit`` is the group's first dataset, null for one alone."""
    facts = [dataset_facts(d, has_version=store.has_version) for d in datasets]
    by_slug = {d.slug: d for d in datasets}
    for unit in units_of([f.id for f in facts], detect_split_datasets(facts)):
        first = by_slug[unit[0]].id if len(unit) > 1 else None
        for slug in unit:
            if by_slug[slug].score_unit != first:
                by_slug[slug].score_unit = first


def record_registered_version(
    session: Session,
    store: VersionStore,
    resource: Resource,
    *,
    now: datetime,
) -> DatasetScore:
    """Score the dataset of ``resource`` right after its current version was registered, and
    record the score in the same transaction (so no registered version lacks its score); the
    organization's split groups are marked again."""
    session.flush()
    dataset = resource.dataset
    score, due = _scored(dataset, store, now=now)
    record_score(
        session,
        dataset,
        score,
        trigger="publish",
        resource_id=resource.id,
        version=resource.current_version,
        at=now,
        due=due,
    )
    refresh_units(session, store, _datasets(session, organization_id=dataset.organization_id))
    return score


@dataclass(frozen=True)
class RescoreResult:
    """What ``kaifang score --all`` did: datasets scored (those whose inputs changed since
    they were last scored), records added (changed scores), datasets skipped."""

    scored: int
    recorded: int
    changed: tuple[str, ...]
    skipped: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "scored": self.scored,
            "recorded": self.recorded,
            "changed": list(self.changed),
            "skipped": self.skipped,
        }


def _stale(now: datetime) -> ColumnElement[bool]:
    """Datasets whose score may differ from the one on their row: never scored, changed since
    (every metadata or version change sets ``modified``), scored after ``now`` (scoring as of
    an earlier time), or due on a day that passed since they were scored."""
    moment = naive_utc(now)
    today = taiwan_day(now)
    return or_(
        Dataset.scored_at.is_(None),
        Dataset.modified > Dataset.scored_at,
        Dataset.scored_at > moment,
        and_(Dataset.score_due.is_not(None), Dataset.score_due < today,
             Dataset.score_due >= func.date(Dataset.scored_at)),
    )  # fmt: skip


def rescore_all(catalog: Catalog, store: VersionStore, *, now: datetime) -> RescoreResult:
    """Score at ``now`` every dataset whose inputs changed since it was last scored (see
    :func:`_stale`), record each score that differs from its latest record (score, band or
    stars), and mark the split groups of the organizations concerned. Runs in one write
    transaction, so a publish meanwhile never has its fresh record followed by a stale one."""
    changed: list[str] = []
    scored = 0
    with catalog.write() as session:
        total = session.scalar(select(func.count()).select_from(Dataset)) or 0
        stale = dict(
            session.execute(select(Dataset.id, Dataset.organization_id).where(_stale(now))).all()
        )
        for org_id in sorted(set(stale.values())):
            found = _datasets(session, organization_id=org_id)
            mine = [d for d in found if d.id in stale]
            latest = latest_records(session, (d.id for d in mine))
            for dataset in mine:
                score, due = _scored(dataset, store, now=now)
                scored += 1
                band = score.band.slug if score.band is not None else None
                last = latest.get(dataset.id)
                if last is not None and (last.score, last.band, last.stars) == (
                    score.score,
                    band,
                    score.stars.level,
                ):
                    mark_scored(dataset, score, at=now, due=due)
                    continue
                record_score(session, dataset, score, trigger="rescore", at=now, due=due)
                if last is not None and (last.score, last.band) != (score.score, band):
                    record_activity(session, "score_changed", dataset, actor="rescore",
                                    score=score.score, band=band, previous_score=last.score,
                                    previous_band=last.band)  # fmt: skip
                changed.append(dataset.slug)
            refresh_units(session, store, found)
            session.flush()
            session.expunge_all()
    return RescoreResult(scored, len(changed), tuple(changed), skipped=total - scored)


def rescore_dataset(catalog: Catalog, store: VersionStore, ref: str, *, now: datetime) -> bool:
    """Score dataset ``ref`` at ``now`` and record the score when it differs from its latest
    record (after a metadata edit, say). True when a record was added."""
    with catalog.write() as session:
        dataset = find_dataset(session, ref)
        score, due = _scored(dataset, store, now=now)
        band = score.band.slug if score.band is not None else None
        last = latest_records(session, [dataset.id]).get(dataset.id)
        if last is not None and (last.score, last.band, last.stars) == (
            score.score,
            band,
            score.stars.level,
        ):
            mark_scored(dataset, score, at=now, due=due)
            return False
        record_score(session, dataset, score, trigger="rescore", at=now, due=due)
        if last is not None and (last.score, last.band) != (score.score, band):
            record_activity(session, "score_changed", dataset, actor="metadata edit",
                            score=score.score, band=band, previous_score=last.score,
                            previous_band=last.band)  # fmt: skip
        return True
