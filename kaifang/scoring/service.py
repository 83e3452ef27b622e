"""Openness scores of what the catalog holds: one dataset, one organization, the national
ranking, the score recorded when a version is registered, and rescoring everything.

Scores are computed from the catalog at ``now`` (T1 "up to date" depends on the clock), so the
dataset and organization views are always current. The score shown in listings is the latest
*recorded* one: recorded for every registered version, in the publish's own transaction, and
refreshed by :func:`rescore_all` (``kaifang score --all``, e.g. nightly) as time passes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from kaifang.catalog.accounts import find_organization
from kaifang.catalog.datasets import find_dataset
from kaifang.catalog.db import Catalog
from kaifang.catalog.models import Dataset, Organization, Resource
from kaifang.catalog.requests import open_requests_of
from kaifang.errors import ValidationError
from kaifang.openness import (
    DatasetRequest,
    DatasetScore,
    OrganizationScore,
    ranking,
    ranking_to_csv,
    score_dataset,
    score_organization,
)
from kaifang.scoring.facts import aware, dataset_facts
from kaifang.scoring.records import history_of, latest_records, record_score
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


def _organization_score(
    session: Session, store: VersionStore, org: Organization, *, now: datetime
) -> OrganizationScore:
    datasets = _datasets(session, organization_id=org.id)
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


def openness_ranking(
    catalog: Catalog, store: VersionStore, *, now: datetime, by: str = "mean"
) -> list[dict[str, Any]]:
    """Every organization with its rank by mean score and by 金 count, ordered by ``by``
    (``mean``: best mean first; ``gold``: most 金 datasets first, then by mean)."""
    if by not in RANKING_ORDERS:
        raise ValidationError(
            f"cannot order the ranking by {by!r}",
            hint=f"Use one of: {', '.join(RANKING_ORDERS)}.",
            key="by",
        )
    with catalog.read() as session:
        orgs = session.scalars(select(Organization).order_by(Organization.code)).all()
        rows = ranking([_organization_score(session, store, o, now=now) for o in orgs])
    if by == "gold":
        rows.sort(key=lambda r: (r["rank_by_gold"], r["rank_by_mean"], r["organization"]))
    return rows


def openness_ranking_csv(
    catalog: Catalog, store: VersionStore, *, now: datetime, by: str = "mean"
) -> str:
    """The ranking as CSV (UTF-8 with BOM, CRLF, formula-like cells escaped)."""
    return ranking_to_csv(openness_ranking(catalog, store, now=now, by=by))


def record_registered_version(
    session: Session,
    store: VersionStore,
    resource: Resource,
    *,
    now: datetime,
) -> DatasetScore:
    """Score the dataset of ``resource`` right after its current version was registered, and
    record the score in the same transaction (so no registered version lacks its score)."""
    session.flush()
    dataset = resource.dataset
    score = score_of(dataset, store, now=now)
    record_score(
        session,
        dataset,
        score,
        trigger="publish",
        resource_id=resource.id,
        version=resource.current_version,
        at=now,
    )
    return score


@dataclass(frozen=True)
class RescoreResult:
    """What ``kaifang score --all`` did: datasets scored, records added (changed scores)."""

    scored: int
    recorded: int
    changed: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"scored": self.scored, "recorded": self.recorded, "changed": list(self.changed)}


def rescore_all(catalog: Catalog, store: VersionStore, *, now: datetime) -> RescoreResult:
    """Score every dataset at ``now`` and record each score that differs
    from its latest record (score, band or stars). Runs in one write transaction, so a
    publish meanwhile never has its fresh record followed by a stale one."""
    changed: list[str] = []
    with catalog.write() as session:
        found = _datasets(session)
        latest = latest_records(session, (d.id for d in found))
        for dataset in found:
            score = score_of(dataset, store, now=now)
            band = score.band.slug if score.band is not None else None
            last = latest.get(dataset.id)
            if last is not None and (last.score, last.band, last.stars) == (
                score.score,
                band,
                score.stars.level,
            ):
                continue
            record_score(session, dataset, score, trigger="rescore", at=now)
            changed.append(dataset.slug)
    return RescoreResult(len(found), len(changed), tuple(changed))


def rescore_dataset(catalog: Catalog, store: VersionStore, ref: str, *, now: datetime) -> bool:
    """Score dataset ``ref`` at ``now`` and record the score when it differs from its latest
    record (after a metadata edit, say). True when a record was added."""
    with catalog.write() as session:
        dataset = find_dataset(session, ref)
        score = score_of(dataset, store, now=now)
        band = score.band.slug if score.band is not None else None
        last = latest_records(session, [dataset.id]).get(dataset.id)
        if last is not None and (last.score, last.band, last.stars) == (
            score.score,
            band,
            score.stars.level,
        ):
            return False
        record_score(session, dataset, score, trigger="rescore", at=now)
        return True
