"""Analyses of the theft points (resource ``theft_points``): the hot-spot grid (district ×
hour band × weekday × category), the monthly trend by category, and the top road segments.

Each method builds one SELECT with bound parameters and runs it with the server's engine and
resolver (:class:`~kaifang.sources.source.SourceData`), so the guard, the sandbox and the
limits apply as to any client's SQL. The API serves them under ``/api/analyses/theft/``.
"""

from __future__ import annotations

from typing import Any

from kaifang.catalog.aliases import named_resource
from kaifang.errors import NotFoundError, ValidationError
from kaifang.sources.source import MAX_LIMIT, SourceData, checked_limit
from kaifang.sources.theft.columns import CATEGORIES
from kaifang.sources.theft.importer import RESOURCE
from kaifang.sqlutil import quote_ident


def _category_filter(category: str | None, params: list[Any]) -> str:
    if category is None:
        return "TRUE"
    if category not in CATEGORIES:
        raise ValidationError(
            f"category {category!r} is unknown",
            hint=f"Use one of {', '.join(CATEGORIES)}.",
            key="category",
        )
    params.append(category)
    return "category = ?"


class TheftAnalyses:
    """The analyses the API serves under ``/api/analyses/theft/``."""

    def __init__(self, data: SourceData) -> None:
        self.data = data

    def _table(self) -> str:
        with self.data.catalog.read() as session:
            found = named_resource(session, RESOURCE)  # renamed: its id now
            if found is None:
                raise NotFoundError(
                    f"{RESOURCE} is not published",
                    hint="Import the theft files first: kaifang import theft PATH.",
                )
            return quote_ident(found.slug)

    def hotspots(self, *, category: str | None, district: str | None, limit: int) -> dict[str, Any]:
        """Counts by district × hour band × weekday × category, largest first."""
        params: list[Any] = []
        where = _category_filter(category, params)
        if district:
            where += " AND district = replace(?, '台', '臺')"
            params.append(district)
        sql = (
            "SELECT district, start_hour, end_hour, weekday, category, count(*) AS cases "
            f"FROM {self._table()} WHERE {where} GROUP BY ALL "
            "ORDER BY cases DESC, district, start_hour, end_hour, weekday, category "
            f"LIMIT {checked_limit(limit)}"
        )
        return {
            "category": category,
            "district": district,
            "rows": self.data.records(sql, params, limit),
        }

    def trend(self, *, category: str | None) -> dict[str, Any]:
        """Cases per month and category."""
        params: list[Any] = []
        where = _category_filter(category, params)
        sql = (
            "SELECT strftime(date, '%Y-%m') AS month, category, count(*) AS cases "
            f"FROM {self._table()} WHERE date IS NOT NULL AND {where} "
            "GROUP BY ALL ORDER BY month, category"
        )
        return {"category": category, "rows": self.data.records(sql, params, MAX_LIMIT)}

    def roads(self, *, category: str | None, limit: int) -> dict[str, Any]:
        """The road segments (district + road with section) with the most cases."""
        params: list[Any] = []
        where = _category_filter(category, params)
        sql = (
            "SELECT district, road, count(*) AS cases "
            f"FROM {self._table()} WHERE road IS NOT NULL AND {where} "
            f"GROUP BY ALL ORDER BY cases DESC, district, road LIMIT {checked_limit(limit)}"
        )
        return {"category": category, "rows": self.data.records(sql, params, limit)}
