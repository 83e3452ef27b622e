"""Answers that read much of the catalog — facet counts over many datasets, the openness
ranking, the dataset list — kept until the catalog changes.

Over 100,000 datasets a facet of the whole catalog (the portal's list page has seven) or the
ranking's grouping takes a few hundred milliseconds, and the dataset list, the API's most
asked page, a few milliseconds; they change only when the catalog does. Each answer is kept
with the catalog's change stamp (:mod:`kaifang.catalog.stamp`), which moves with every commit
to the catalog, from any process: a request whose stamp equals the kept one gets the kept
answer, so answers stay exact (renames, withdrawals, showcases and organization names
included) without listing what each answer depends on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from kaifang.catalog.db import Catalog
from kaifang.service.runner import Bounded

T = TypeVar("T")
MAX_ANSWERS = 512


class CatalogCache:
    def __init__(self, catalog: Catalog, *, limit: int = MAX_ANSWERS, max_bytes: int = 0) -> None:
        """Keep up to ``limit`` answers; with ``max_bytes``, answers are bytes and those kept
        weigh at most that much in all (the least recently asked go first)."""
        self.catalog = catalog
        weight = (lambda kept: len(kept[1])) if max_bytes else None
        # key -> (stamp, answer)
        self._answers = Bounded(limit, weight=weight, max_weight=max_bytes)
        self._lock = threading.Lock()

    def stamp(self) -> Hashable:
        return self.catalog.stamp.read()

    def get(
        self,
        key: Hashable,
        compute: Callable[[], T],
        *,
        keep_if: Callable[[T], bool] | None = None,
    ) -> T:
        """The answer kept for ``key`` if the catalog has not changed since, else ``compute()``
        (kept for next time, if ``keep_if`` says so)."""
        stamp = self.stamp()  # before computing: a commit in between only makes it newer
        kept = self._kept(key, stamp)
        if kept is not None:
            answer: T = kept
            return answer
        answer = compute()
        if keep_if is None or keep_if(answer):
            with self._lock:
                self._answers.remember(key, (stamp, answer))
        return answer

    def peek(self, key: Hashable) -> Any | None:
        """The answer kept for ``key`` if it is still current and telling so asks no
        database server (SQLite), else None: safe to call on the event loop."""
        if not self.catalog.stamp.is_local:
            return None
        return self._kept(key, self.stamp())

    def _kept(self, key: Hashable, stamp: Hashable) -> Any | None:
        with self._lock:
            kept = self._answers.get(key)
            if kept is not None and kept[0] == stamp:
                self._answers.move_to_end(key)
                return kept[1]
        return None
