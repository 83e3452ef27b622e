"""Readers of remote catalogs, one per API type. Each lists every remote id (to notice
withdrawals) and yields the datasets changed since a time, a :class:`Failure` in place of a
dataset it could not read, so that one bad dataset never stops the others."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from kaifang.harvest.fetch import Fetcher
from kaifang.harvest.remote import RemoteDataset


@dataclass(frozen=True)
class Failure:
    """A remote dataset that could not be read (or, in mirror mode, published: ``held`` when
    the privacy gate refused it)."""

    remote_id: str
    reason: str
    state: str = "failed"


class Reader(Protocol):
    def ids(self) -> set[str]:
        """Every dataset id the source lists now."""
        ...

    def changed(self, since: datetime | None) -> Iterator[RemoteDataset | Failure]:
        """The datasets changed since ``since`` (all of them when None)."""
        ...


def reader_for(kind: str, url: str, fetcher: Fetcher) -> Reader:
    from kaifang.harvest.readers.ckan import CkanReader
    from kaifang.harvest.readers.dcat import DcatReader
    from kaifang.harvest.readers.tw_spec import TwSpecReader

    readers: dict[str, type[TwSpecReader] | type[CkanReader] | type[DcatReader]] = {
        "tw-spec": TwSpecReader,
        "ckan": CkanReader,
        "dcat": DcatReader,
    }
    return readers[kind](url, fetcher)
