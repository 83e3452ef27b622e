"""Registering remote datasets in the catalog (``metadata`` mode): one local dataset per
remote id, created on the first run and updated only when the remote metadata changed, with
the source's links, publisher and provenance in ``extras["harvest"]`` and the distributions'
links in ``extras["distributions"]``."""

from __future__ import annotations

import re
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kaifang.catalog.identifiers import dataset_identifier, unique_slug
from kaifang.catalog.licenses import DEFAULT_LICENSE, OTHER_LICENSE
from kaifang.catalog.models import Dataset, HarvestSource, Tag, utcnow
from kaifang.catalog.search import refresh_search_text
from kaifang.harvest.remote import RemoteDataset

# Remote licence texts or URLs → the catalog's licence ids (anything else is "other").
LICENCES = (
    (re.compile(r"data\.gov\.tw/license|政府資料開放授權|open government data license", re.I),
     DEFAULT_LICENSE),
    (re.compile(r"publicdomain/zero|cc0|cc-zero", re.I), "CC0-1.0"),
    (re.compile(r"by-sa|cc-by-sa", re.I), "CC-BY-SA-4.0"),
    (re.compile(r"licenses/by/|cc-by|creative commons attribution", re.I), "CC-BY-4.0"),
    (re.compile(r"odbl", re.I), "ODbL-1.0"),
    (re.compile(r"pddl", re.I), "PDDL-1.0"),
)  # fmt: skip
FREQUENCIES = frozenset(
    {"realtime", "hourly", "daily", "weekly", "monthly", "quarterly", "yearly", "irregular"}
)


def web_url(url: str) -> str:
    """``url`` when it is an http(s) URL of reasonable length, else empty."""
    url = url.strip()
    return url if re.match(r"^https?://[^\s]+$", url, re.I) and len(url) <= 2000 else ""


def licence_id(remote: RemoteDataset) -> str:
    text = f"{remote.license} {remote.license_url}"
    return next((lid for pattern, lid in LICENCES if pattern.search(text)), OTHER_LICENSE)


def match_key(remote: RemoteDataset) -> str:
    """What two sources publishing the same dataset share: title and publisher, folded."""
    return re.sub(r"\s+", "", f"{remote.publisher}|{remote.title}").casefold()


def _slug_candidates(source: HarvestSource, remote: RemoteDataset) -> list[str]:
    return [f"{source.name}-{remote.remote_id}", f"{source.name}-{remote.title}"]


def create_dataset(session: Session, source: HarvestSource, remote: RemoteDataset) -> Dataset:
    org = source.organization
    serial = (
        session.scalar(
            select(func.coalesce(func.max(Dataset.serial), 0)).where(
                Dataset.organization_id == org.id
            )
        )
        or 0
    ) + 1

    def taken(slug: str) -> bool:
        return session.scalar(select(Dataset.id).where(Dataset.slug == slug)) is not None

    dataset = Dataset(
        slug=unique_slug(_slug_candidates(source, remote), f"h_{source.name}", taken),
        identifier=dataset_identifier(org.code, serial),
        organization=org,
        serial=serial,
        title=remote.title,
        license_id=DEFAULT_LICENSE,
        extras={},
        tags=[],
        resources=[],
        created=utcnow(),
    )
    session.add(dataset)
    return dataset


def update_dataset(
    session: Session,
    dataset: Dataset,
    source: HarvestSource,
    remote: RemoteDataset,
    *,
    checks: dict[str, Any],
    now: datetime,
) -> None:
    """Write ``remote``'s metadata onto ``dataset`` (the whole of it: the remote is the
    authority on its own datasets)."""
    dataset.title = remote.title[:300]
    dataset.description = remote.description
    dataset.license_id = licence_id(remote)
    dataset.license_url = remote.license_url[:300]
    if remote.update_frequency in FREQUENCIES:
        dataset.update_frequency = remote.update_frequency
    dataset.contact_name = remote.contact_name[:100]
    dataset.contact_email = remote.contact_email[:200]
    words = list(dict.fromkeys(k.strip()[:100] for k in remote.keywords if k.strip()))
    existing = {t.name: t for t in session.scalars(select(Tag).where(Tag.name.in_(words)))}
    dataset.tags = [existing.get(w) or Tag(name=w) for w in words]
    extras = dict(dataset.extras or {})
    extras["landing_page"] = web_url(remote.landing_page) or extras.get("landing_page", "")
    # Only http(s) links reach pages: a remote "javascript:" or "file:" URL is dropped.
    checked = checks.get("links_alive") is not None
    dead = set(checks.get("dead_links") or ())
    extras["distributions"] = [
        {**asdict(d), "alive": (d.url not in dead) if checked else None}
        for d in remote.distributions
        if web_url(d.url)
    ]
    extras["harvest"] = provenance(source, remote, checks=checks, now=now)
    dataset.extras = extras
    dataset.modified = now.astimezone(UTC).replace(tzinfo=None)
    refresh_search_text(dataset)


def provenance(
    source: HarvestSource, remote: RemoteDataset, *, checks: dict[str, Any], now: datetime
) -> dict[str, Any]:
    return {
        "source": source.name,
        "source_type": source.type,
        "source_url": source.url,
        "remote_id": remote.remote_id,
        "remote_modified": remote.modified,
        "publisher": remote.publisher,
        "harvested": now.astimezone(UTC).isoformat(),
        "mode": source.mode,
        "withdrawn": None,
        "checks": checks,
    }


def mark_withdrawn(dataset: Dataset, *, now: datetime) -> None:
    """The source no longer lists the dataset: withdraw it here too (out of listings and
    search, as CKAN's package_delete does), keeping it and its versions."""
    extras = dict(dataset.extras or {})
    harvest = dict(extras.get("harvest") or {})
    harvest["withdrawn"] = now.astimezone(UTC).isoformat()
    extras["harvest"] = harvest
    dataset.extras = extras
    dataset.withdrawn = dataset.withdrawn or now.astimezone(UTC).replace(tzinfo=None)


def restore(dataset: Dataset) -> None:
    """The source lists a withdrawn dataset again."""
    extras = dict(dataset.extras or {})
    extras["harvest"] = {**(extras.get("harvest") or {}), "withdrawn": None}
    dataset.extras = extras
    dataset.withdrawn = None
