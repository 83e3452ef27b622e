"""One harvest run of one source: lock the source, read the remote catalog, register what
changed, mark what disappeared, and log the run. Each remote dataset is written in its own
transaction, so one failure stays one failure."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from kaifang.catalog.activity import record_activity
from kaifang.catalog.datasets import find_dataset
from kaifang.catalog.db import Catalog
from kaifang.catalog.models import Dataset, HarvestRecord, HarvestRun, HarvestSource
from kaifang.errors import ConflictError, KaifangError, NotFoundError
from kaifang.harvest.apply import (
    create_dataset,
    licence_id,
    mark_withdrawn,
    match_key,
    restore,
    update_dataset,
)
from kaifang.harvest.checks import remote_checks
from kaifang.harvest.fetch import Fetcher
from kaifang.harvest.mirror import mirror
from kaifang.harvest.readers import Failure, reader_for
from kaifang.harvest.remote import RemoteDataset
from kaifang.scoring import latest_records, record_score
from kaifang.scoring.service import score_of
from kaifang.settings import Settings
from kaifang.storage import VersionStore

LOCK_FOR = timedelta(hours=6)
WRITE_BATCH = 100
COUNTS = ("created", "updated", "unchanged", "withdrawn", "failed", "held", "duplicates")


@dataclass
class RunReport:
    source: str
    status: str = "running"
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    failures: list[dict[str, str]] = field(default_factory=list)
    requests: int = 0
    started: str = ""
    finished: str = ""

    def fail(self, remote_id: str, reason: str, kind: str = "failed") -> None:
        self.counts[kind] += 1
        self.failures.append({"remote_id": remote_id, "kind": kind, "reason": reason})

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "status": self.status,
            "started": self.started,
            "finished": self.finished,
            "counts": self.counts,
            "failures": self.failures,
            "requests": self.requests,
        }


def _naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def _lock(catalog: Catalog, name: str, now: datetime) -> tuple[int, datetime | None, int]:
    """Take the source's run lock; answer its id, the start of its last clean run (for an
    incremental read) and the new run's id."""
    with catalog.write() as session:
        source = session.scalar(select(HarvestSource).where(HarvestSource.name == name))
        if source is None:
            raise NotFoundError(
                f"no harvest source {name!r}", hint="`kaifang harvest list` shows them."
            )
        if source.lock_until is not None and source.lock_until > _naive(now):
            raise ConflictError(
                f"harvest source {name!r} is already running (locked until {source.lock_until})",
                hint="Wait for that run to end; a crashed run's lock expires by itself.",
            )
        source.lock_until = _naive(now + LOCK_FOR)
        source.last_started = _naive(now)
        run = HarvestRun(source_id=source.id, started=_naive(now), counts={}, failures=[])
        session.add(run)
        session.flush()
        since = source.last_success.replace(tzinfo=UTC) if source.last_success else None
        return source.id, since, run.id


def run_source(
    settings: Settings,
    catalog: Catalog,
    name: str,
    *,
    now: datetime | None = None,
    fetcher_factory: Callable[[], Fetcher] | None = None,
    full: bool = False,
) -> RunReport:
    """Run the harvest source ``name`` once. ``full`` ignores the last run's time and
    compares every remote dataset."""
    now = now or datetime.now(UTC)
    source_id, since, run_id = _lock(catalog, name, now)
    report = RunReport(source=name, started=now.isoformat())
    fetcher = (fetcher_factory or (lambda: Fetcher(retries=settings.harvest_retries)))()
    try:
        _harvest(settings, catalog, source_id, None if full else since, report, fetcher, now)
        report.status = "ok" if not report.failures else "partial"
    except KaifangError as exc:
        report.status = "failed"
        report.failures.append({"remote_id": "", "kind": "source", "reason": exc.message})
    finally:
        report.requests = fetcher.requests
        fetcher.close()
        report.finished = datetime.now(UTC).isoformat()
        _finish(catalog, source_id, run_id, report, now)
    return report


def _finish(
    catalog: Catalog, source_id: int, run_id: int, report: RunReport, now: datetime
) -> None:
    with catalog.write() as session:
        source = session.get(HarvestSource, source_id)
        run = session.get(HarvestRun, run_id)
        assert source is not None and run is not None
        run.finished = _naive(datetime.now(UTC))
        run.status, run.counts = report.status, dict(report.counts)
        run.failures, run.requests = list(report.failures), report.requests
        source.lock_until = None
        # Only a clean run moves the incremental mark: datasets that failed are read again.
        if report.status == "ok":
            source.last_success = _naive(now)


@dataclass(frozen=True)
class Known:
    """What the catalog knew of a remote dataset when the run started."""

    fingerprint: str
    state: str
    dataset: str | None


@dataclass
class Prepared:
    """A changed remote dataset, ready to write: its checks made (network work happens
    outside the catalog transaction) and, in mirror mode, its files published."""

    remote: RemoteDataset
    checks: dict[str, Any]
    dataset: str | None  # the local dataset it updates, if any (mirror: made by the publish)
    mirrored: bool = False


def _known(catalog: Catalog, source_id: int) -> dict[str, Known]:
    with catalog.read() as session:
        rows = session.execute(
            select(HarvestRecord.remote_id, HarvestRecord.fingerprint, HarvestRecord.state,
                   Dataset.slug)
            .outerjoin(Dataset, Dataset.id == HarvestRecord.dataset_id)
            .where(HarvestRecord.source_id == source_id)
        ).all()  # fmt: skip
        return {r: Known(f, st, slug) for r, f, st, slug in rows}


def _harvest(
    settings: Settings,
    catalog: Catalog,
    source_id: int,
    since: datetime | None,
    report: RunReport,
    fetcher: Fetcher,
    now: datetime,
) -> None:
    with catalog.read() as session:
        source = session.get(HarvestSource, source_id)
        assert source is not None
        kind, url, needle = source.type, source.url, source.filter.casefold()
        mode, org, name = source.mode, source.organization.code, source.name
    known = _known(catalog, source_id)
    reader = reader_for(kind, url, fetcher)
    listed = reader.ids()
    seen: set[str] = set()
    batch: list[Prepared | Failure] = []
    for item in reader.changed(since):
        if isinstance(item, Failure):
            report.fail(item.remote_id, item.reason)
            batch.append(item)
        elif not needle or _matches(item, needle):
            seen.add(item.remote_id)
            before = known.get(item.remote_id)
            if before is not None and before.dataset and before.fingerprint == item.fingerprint():
                if before.state in ("active", "withdrawn"):  # withdrawn: back, unchanged
                    report.counts["unchanged"] += 1
                    if before.state == "active":
                        continue
            prepared = _prepare(settings, fetcher, item, before, report,
                                mode=mode, org=org, source=name, now=now)  # fmt: skip
            batch.append(prepared)
        if len(batch) >= WRITE_BATCH:
            _write(settings, catalog, source_id, batch, report, now)
            batch = []
    _write(settings, catalog, source_id, batch, report, now)
    _withdraw_and_count(catalog, source_id, listed, seen, report, now)


def _prepare(
    settings: Settings,
    fetcher: Fetcher,
    remote: RemoteDataset,
    before: Known | None,
    report: RunReport,
    *,
    mode: str,
    org: str,
    source: str,
    now: datetime,
) -> Prepared | Failure:
    """The network part of one dataset: mirror its files (mirror mode) and check its links."""
    dataset = before.dataset if before is not None else None
    mirrored = False
    if mode == "mirror" and not (before is not None and before.fingerprint == remote.fingerprint()):
        result = mirror(settings, fetcher, remote, source=source, org=org, dataset=dataset,
                        max_bytes=settings.harvest_max_download_mb * 1024 * 1024)  # fmt: skip
        for reason in result.failed:
            report.failures.append({"remote_id": remote.remote_id, "kind": "failed",
                                    "reason": reason})  # fmt: skip
        for reason in result.held:
            report.fail(remote.remote_id, reason, kind="held")
        if result.dataset is None:
            state = "held" if result.held else "failed"
            reason = "; ".join(result.held or result.failed) or "no tabular distribution"
            if state == "failed":
                report.fail(remote.remote_id, reason)
            return Failure(remote.remote_id, reason, state=state)
        dataset, mirrored = result.dataset, dataset is None
    checks = remote_checks(
        remote,
        licence_id(remote),
        remote.update_frequency,
        fetcher=fetcher if settings.harvest_check_links else None,
        now=now,
    )
    return Prepared(remote, checks, dataset, mirrored)


def _write(
    settings: Settings,
    catalog: Catalog,
    source_id: int,
    batch: list[Prepared | Failure],
    report: RunReport,
    now: datetime,
) -> None:
    """Write a batch in one transaction, each dataset in a savepoint of its own: a dataset
    that fails to write is rolled back alone and reported."""
    if not batch:
        return
    store = VersionStore(settings)
    with catalog.write() as session:
        source = session.get(HarvestSource, source_id)
        assert source is not None
        for item in batch:
            if isinstance(item, Failure):
                _mark(session, source_id, item.remote_id, item.state, item.reason, now)
                continue
            try:
                with session.begin_nested():
                    created = _write_one(session, store, source, item, report, now)
            except (KaifangError, SQLAlchemyError) as exc:
                reason = getattr(exc, "message", None) or type(exc).__name__
                report.fail(item.remote.remote_id, reason)
                _mark(session, source_id, item.remote.remote_id, "failed", reason, now)
                continue
            if created is not None:
                report.counts["created" if created else "updated"] += 1


def _mark(
    session: Session, source_id: int, remote_id: str, state: str, message: str, now: datetime
) -> None:
    record = _record(session, source_id, remote_id, now)
    record.state, record.message, record.last_seen = state, message[:2000], _naive(now)


def _matches(remote: RemoteDataset, needle: str) -> bool:
    text = " ".join((remote.title, remote.publisher, *remote.keywords)).casefold()
    return needle in text


def _record(session: Session, source_id: int, remote_id: str, now: datetime) -> HarvestRecord:
    record = session.scalar(
        select(HarvestRecord).where(
            HarvestRecord.source_id == source_id, HarvestRecord.remote_id == remote_id
        )
    )
    if record is None:
        record = HarvestRecord(
            source_id=source_id,
            remote_id=remote_id,
            first_seen=_naive(now),
            last_seen=_naive(now),
            fingerprint="",
            remote_modified="",
            state="active",
            message="",
        )
        session.add(record)
    return record


def _score(session: Session, store: VersionStore, dataset: Dataset, now: datetime) -> None:
    """Record the dataset's openness score when it changed: from what could be checked
    remotely (licence, formats, links, freshness) for a metadata-mode dataset, from its own
    versions for a mirrored one."""
    session.flush()
    score = score_of(dataset, store, now=now)
    band = score.band.slug if score.band is not None else None
    last = latest_records(session, [dataset.id]).get(dataset.id)
    if last is not None and (last.score, last.band, last.stars) == (
        score.score,
        band,
        score.stars.level,
    ):
        return
    record_score(session, dataset, score, trigger="rescore", at=now)
    if last is not None and (last.score, last.band) != (score.score, band):
        record_activity(session, "score_changed", dataset, actor="harvest", score=score.score,
                        band=band, previous_score=last.score, previous_band=last.band)  # fmt: skip


def _write_one(
    session: Session,
    store: VersionStore,
    source: HarvestSource,
    item: Prepared,
    report: RunReport,
    now: datetime,
) -> bool | None:
    """Register or update one remote dataset; answer whether it was created (None: it was
    only brought back from withdrawn, unchanged)."""
    remote = item.remote
    record = _record(session, source.id, remote.remote_id, now)
    fingerprint = remote.fingerprint()
    if record.state == "withdrawn":
        _restore_record(session, record)
        if record.fingerprint == fingerprint:
            record.last_seen = _naive(now)
            return None
    if item.dataset is not None:
        dataset = find_dataset(session, item.dataset)
    elif record.dataset is not None:
        dataset = record.dataset
    else:
        dataset = create_dataset(session, source, remote)
    created = record.dataset_id is None
    update_dataset(session, dataset, source, remote, checks=item.checks, now=now)
    actor = f"harvest:{source.name}"
    if created and not item.mirrored:  # a mirrored publish recorded its creation itself
        record_activity(session, "dataset_created", dataset, actor=actor, title=remote.title)
    elif not created:
        record_activity(session, "metadata_edited", dataset, actor=actor,
                        remote_modified=remote.modified or None)  # fmt: skip
    session.flush()
    _score(session, store, dataset, now)
    record.dataset_id = dataset.id
    record.fingerprint, record.remote_modified = fingerprint, remote.modified[:40]
    record.state, record.message, record.last_seen = "active", "", _naive(now)
    if created:
        other = _duplicate_of(session, source.id, remote)
        if other is not None:
            report.fail(remote.remote_id, f"same dataset as {other}", kind="duplicates")
    return created


def _duplicate_of(session: Session, source_id: int, remote: RemoteDataset) -> str | None:
    """Another source's remote dataset with the same title and publisher, as
    ``source:remote_id``."""
    rows = session.execute(
        select(HarvestSource.name, HarvestRecord.remote_id, Dataset.extras)
        .join(HarvestSource, HarvestSource.id == HarvestRecord.source_id)
        .join(Dataset, Dataset.id == HarvestRecord.dataset_id)
        .where(
            HarvestRecord.source_id != source_id,
            HarvestRecord.state == "active",
            Dataset.title == remote.title[:300],
        )
    ).all()
    key = match_key(remote)
    for source_name, remote_id, extras in rows:
        publisher = ((extras or {}).get("harvest") or {}).get("publisher", "")
        if match_key(RemoteDataset(remote_id, remote.title, publisher=publisher)) == key:
            return f"{source_name}:{remote_id}"
    return None


def _restore_record(session: Session, record: HarvestRecord) -> None:
    """A withdrawn dataset the source lists again: active again, and say so."""
    if record.dataset is not None:
        restore(record.dataset)
        record_activity(session, "dataset_restored", record.dataset,
                        actor=f"harvest:{record.source.name}")  # fmt: skip
    record.state, record.message = "active", ""


def _withdraw_and_count(
    catalog: Catalog,
    source_id: int,
    listed: set[str],
    seen: set[str],
    report: RunReport,
    now: datetime,
) -> None:
    """Mark withdrawn the datasets the source no longer lists; count the listed ones an
    incremental read skipped as unchanged; bring back the ones listed again."""
    with catalog.write() as session:
        records = session.scalars(
            select(HarvestRecord).where(HarvestRecord.source_id == source_id)
        ).all()
        for record in records:
            if record.remote_id in seen:
                record.last_seen = max(record.last_seen, _naive(now))
                continue
            if record.remote_id not in listed:
                if record.state != "withdrawn" and record.dataset is not None:
                    mark_withdrawn(record.dataset, now=now)
                    record_activity(session, "dataset_withdrawn", record.dataset,
                                    actor=f"harvest:{record.source.name}")  # fmt: skip
                    record.state, record.message = "withdrawn", "no longer listed by the source"
                    report.counts["withdrawn"] += 1
                continue
            if record.state == "withdrawn":
                # Listed again but not changed since the last run: it is back, unchanged.
                _restore_record(session, record)
                report.counts["unchanged"] += 1
            elif record.state == "active":
                report.counts["unchanged"] += 1
            record.last_seen = _naive(now)
