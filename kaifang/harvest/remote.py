"""What a reader makes of one remote dataset, whatever API it came from."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class RemoteDistribution:
    """One downloadable file (or API endpoint) of a remote dataset."""

    url: str
    format: str = ""
    title: str = ""
    media_type: str = ""


@dataclass(frozen=True)
class RemoteDataset:
    """A remote dataset's metadata, mapped onto kaifang's fields.

    ``remote_id`` is the source's own identifier and never changes between runs; ``modified``
    is the source's last-change time as it wrote it (compared as text, only for equality)."""

    remote_id: str
    title: str
    description: str = ""
    modified: str = ""
    publisher: str = ""
    license: str = ""
    license_url: str = ""
    keywords: tuple[str, ...] = ()
    category: str = ""
    update_frequency: str = ""
    landing_page: str = ""
    contact_name: str = ""
    contact_email: str = ""
    distributions: tuple[RemoteDistribution, ...] = field(default_factory=tuple)

    def fingerprint(self) -> str:
        """A digest of every field: equal fingerprints mean nothing to update."""
        text = json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()
