"""``mirror`` mode: download each tabular distribution of a remote dataset and publish it here
through the normal publish path (reading, screening and the privacy gate included). The
local dataset is created by the first file that passes; a file the gate refuses is held back
(not published, and not listed here) and reported with the gate's reasons."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from kaifang.errors import KaifangError, PublishRefusedError
from kaifang.harvest.fetch import Fetcher
from kaifang.harvest.remote import RemoteDataset, RemoteDistribution
from kaifang.publish.pipeline import publish_file
from kaifang.settings import Settings

TABULAR = {"csv": ".csv", "tsv": ".tsv", "xlsx": ".xlsx", "xls": ".xls", "ods": ".ods",
           "json": ".json", "text/csv": ".csv"}  # fmt: skip


def suffix_of(dist: RemoteDistribution) -> str | None:
    """The file extension to read a distribution with, or None when it is not a table."""
    for hint in (dist.format.lower(), dist.media_type.lower()):
        if hint in TABULAR:
            return TABULAR[hint]
    path = dist.url.split("?")[0].lower()
    return next((ext for ext in set(TABULAR.values()) if path.endswith(ext)), None)


@dataclass
class MirrorResult:
    dataset: str | None = None
    versions: int = 0
    unchanged: int = 0
    held: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def mirror(
    settings: Settings,
    fetcher: Fetcher,
    remote: RemoteDataset,
    *,
    source: str,
    org: str,
    dataset: str | None,
    max_bytes: int,
) -> MirrorResult:
    """Publish ``remote``'s tabular files as versions of ``dataset`` (a new dataset when
    None). Each file is its own resource, named by its title or URL."""
    out = MirrorResult(dataset=dataset)
    work = settings.data_dir / "tmp" / "harvest" / source
    work.mkdir(parents=True, exist_ok=True)
    for dist in remote.distributions:
        suffix = suffix_of(dist)
        if suffix is None:
            continue
        key = hashlib.sha256(dist.url.encode()).hexdigest()[:16]
        name = (dist.title or Path(dist.url.split("?")[0]).stem or key)[:80]
        target = work / key / f"{_safe(name) or key}{suffix}"
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            fetcher.download(dist.url, target.with_suffix(".part"), max_bytes=max_bytes)
            target.with_suffix(".part").replace(target)
            result = publish_file(
                settings,
                target,
                org=org,
                title=remote.title,
                dataset=out.dataset,
                resource=name,
                publisher=f"harvest:{source}",
            )
        except PublishRefusedError as exc:
            out.held.append(f"{dist.url}: {exc.message}")
            continue
        except KaifangError as exc:
            out.failed.append(f"{dist.url}: {exc.message}")
            continue
        finally:
            shutil.rmtree(target.parent, ignore_errors=True)
        out.dataset = result.dataset
        if result.unchanged:
            out.unchanged += 1
        else:
            out.versions += 1
    return out


def _safe(name: str) -> str:
    """A file name from a title: path separators, dots at the start and control characters
    removed, so a remote title can never leave the work folder."""
    cleaned = "".join(c for c in name if c.isprintable() and c not in '/\\:*?"<>|')
    return cleaned.strip().lstrip(".")[:80]
