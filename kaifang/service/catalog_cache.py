"""Answers that read much of the catalog — facet counts over many datasets, the openness
ranking — kept until the catalog changes.

Over 100,000 datasets a facet of the whole catalog (the portal's list page has seven) or the
ranking's grouping takes a few hundred milliseconds; they change only when the catalog does.
Each answer is kept with the catalog's *stamp*, read in one query of index look-ups: the
newest dataset id and ``modified`` (every registration and metadata change sets it), the
newest score record (every changed score adds one) and the newest organization and dataset
request with its answer time. A request whose stamp equals the kept one gets the kept answer;
any write that changes facet counts or the ranking changes the stamp first, so counts stay
exact. (Renaming an organization changes neither: its new name shows in the ranking after
the next write.)
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import func, select

from kaifang.catalog.db import Catalog
from kaifang.catalog.models import Dataset, DatasetRequest, Organization, ScoreRecordRow
from kaifang.service.runner import Bounded

T = TypeVar("T")
MAX_ANSWERS = 512


class CatalogCache:
    def __init__(self, catalog: Catalog, *, limit: int = MAX_ANSWERS) -> None:
        self.catalog = catalog
        self._answers = Bounded(limit)  # key -> (stamp, answer)
        self._lock = threading.Lock()

    def stamp(self) -> tuple[Any, ...]:
        parts = (
            select(func.max(Dataset.id)).scalar_subquery(),
            select(func.max(Dataset.modified)).scalar_subquery(),
            select(func.max(ScoreRecordRow.id)).scalar_subquery(),
            select(func.max(Organization.id)).scalar_subquery(),
            select(func.max(DatasetRequest.id)).scalar_subquery(),
            select(func.max(DatasetRequest.answered)).scalar_subquery(),
        )
        with self.catalog.read() as session:
            return tuple(session.execute(select(*parts)).one())

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The answer kept for ``key`` if the catalog has not changed since, else ``compute()``
        (kept for next time)."""
        stamp = self.stamp()
        with self._lock:
            kept = self._answers.get(key)
            if kept is not None and kept[0] == stamp:
                self._answers.move_to_end(key)
                answer: T = kept[1]
                return answer
        answer = compute()
        with self._lock:
            self._answers.remember(key, (stamp, answer))
        return answer
