"""Analyses over the civic sources, answered through the safe query layer.

- Elections: results at one area level (votes, vote share, turnout, area and party names) and
  the winners of one election dataset (its resources ``…_elctks``, ``…_elprof``, ``…_elbase``,
  ``…_elcand``, ``…_elpaty``).
- Theft points: the hot-spot grid (district × hour band × weekday × category), the monthly
  trend by category, and the top road segments.

Each function builds one SELECT with bound parameters and runs it with the service's engine
and resolver, so the guard, the sandbox and the limits apply as to any client's SQL.
"""

from __future__ import annotations

from typing import Any

from kaifang.errors import NotFoundError, ValidationError
from kaifang.jsonable import record
from kaifang.service import Service
from kaifang.sources.elections.parse import LEVELS
from kaifang.sources.theft.columns import CATEGORIES
from kaifang.sources.theft.importer import RESOURCE as THEFT_RESOURCE
from kaifang.sqlutil import quote_ident

MAX_LIMIT = 10_000
_CODES = ("省市", "縣市", "選區", "鄉鎮市區", "村里")


def _run(service: Service, sql: str, params: list[Any], limit: int) -> list[dict[str, Any]]:
    result = service.engine.run_sql(sql, resolver=service.resolver, params=params, max_rows=limit)
    return [record(result.columns, row) for row in result.rows]


def _limit(value: int) -> int:
    if not 1 <= value <= MAX_LIMIT:
        raise ValidationError(f"limit must be between 1 and {MAX_LIMIT}, not {value}", key="limit")
    return value


def election_tables(service: Service, dataset: str) -> dict[str, str]:
    """``{file stem: resource id}`` for an election dataset."""
    found = service.get_dataset(dataset)
    tables = {str(r["name"]).rsplit("_", 1)[-1]: str(r["id"]) for r in found["resources"]}
    missing = [s for s in ("elctks", "elprof", "elcand") if s not in tables]
    if missing:
        raise NotFoundError(
            f"dataset {dataset!r} is not a CEC election (no {', '.join(missing)})",
            hint="Import it with `kaifang import elections PATH`.",
        )
    return tables


def _zero(expr: str) -> str:
    return f"(ltrim({expr}, '0') = '')"


def _area_join(tables: dict[str, str], alias: str) -> tuple[str, str]:
    """LEFT JOINs naming each row's area from elbase (same codes, else same codes with a zero
    選區: elbase lists districts outside any 選區 in some elections) and the name expression."""
    if "elbase" not in tables:
        return "", "NULL"
    base = quote_ident(tables["elbase"])
    exact = " AND ".join(f"b1.{c} = {alias}.{c}" for c in _CODES)
    loose = " AND ".join(f"b2.{c} = {alias}.{c}" for c in _CODES if c != "選區")
    joins = (
        f" LEFT JOIN {base} b1 ON {exact}"
        f" LEFT JOIN {base} b2 ON {loose} AND {_zero('b2.選區')} AND NOT {_zero(f'{alias}.選區')}"
    )
    return joins, "coalesce(b1.名稱, b2.名稱)"


def _party_join(tables: dict[str, str], party: str) -> tuple[str, str]:
    if "elpaty" not in tables:
        return "", "NULL"
    return (f" LEFT JOIN {quote_ident(tables['elpaty'])} p ON p.政黨代號 = {party}", "p.政黨名稱")


def election_results(service: Service, dataset: str, *, level: str, limit: int) -> dict[str, Any]:
    """Every choice's votes in every area of ``level``, with vote share and turnout."""
    if level not in LEVELS:
        raise ValidationError(
            f"level {level!r} is unknown", hint=f"Use one of {', '.join(LEVELS)}.", key="level"
        )
    tables = election_tables(service, dataset)
    ctks, prof = quote_ident(tables["elctks"]), quote_ident(tables["elprof"])
    cand = quote_ident(tables["elcand"])
    codes = ", ".join(f"t.{c}" for c in _CODES)
    same_area = " AND ".join(f"f.{c} = t.{c}" for c in (*_CODES, "投開票所"))
    in_race = " AND ".join(f"({_zero(f'c.{c}')} OR c.{c} = t.{c})" for c in _CODES[:3])
    areas, area_name = _area_join(tables, "t")
    parties, party_name = _party_join(tables, "c.政黨代號")
    sql = (
        f"SELECT {codes}, t.投開票所, {area_name} AS 名稱, t.候選人號次, c.名字, "
        f"c.政黨代號, {party_name} AS 政黨名稱, t.得票數, "
        f"round(100.0 * t.得票數 / nullif(f.有效票, 0), 2) AS vote_share, "
        f"round(100.0 * f.投票數 / nullif(f.選舉人數, 0), 2) AS turnout, "
        f"f.有效票, f.投票數, f.選舉人數, t.當選註記 "
        f"FROM {ctks} t JOIN {prof} f ON {same_area} "
        f"LEFT JOIN {cand} c ON c.號次 = t.候選人號次 AND {in_race} "
        f"AND coalesce(c.副手, '') <> 'Y'{areas}{parties} "
        f"WHERE t.level = ? ORDER BY {codes}, t.投開票所, t.候選人號次 LIMIT {_limit(limit)}"
    )
    return {"dataset": dataset, "level": level, "rows": _run(service, sql, [level], limit)}


def election_winners(service: Service, dataset: str) -> dict[str, Any]:
    """Elected candidates (``*``, or ``!`` under the women's quota) with party and votes."""
    tables = election_tables(service, dataset)
    cand, ctks = quote_ident(tables["elcand"]), quote_ident(tables["elctks"])
    codes = ", ".join(f"c.{c}" for c in _CODES)
    same_race = " AND ".join(f"t.{c} = c.{c}" for c in _CODES)
    areas, area_name = _area_join(tables, "c")
    parties, party_name = _party_join(tables, "c.政黨代號")
    sql = (
        f"SELECT {codes}, {area_name} AS 名稱, c.號次, c.名字, c.政黨代號, "
        f"{party_name} AS 政黨名稱, t.得票數, t.得票率, c.當選註記 "
        f"FROM {cand} c LEFT JOIN {ctks} t ON {same_race} AND t.候選人號次 = c.號次 "
        f"AND t.level <> 'station'{areas}{parties} "
        f"WHERE c.當選註記 IN ('*', '!') AND coalesce(c.副手, '') <> 'Y' "
        f"ORDER BY {codes}, c.號次"
    )
    return {"dataset": dataset, "winners": _run(service, sql, [], MAX_LIMIT)}


def _theft_table(service: Service) -> str:
    return quote_ident(str(service.get_resource(THEFT_RESOURCE)["id"]))


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


def theft_hotspots(
    service: Service, *, category: str | None, district: str | None, limit: int
) -> dict[str, Any]:
    """Counts by district × hour band × weekday × category, largest first."""
    params: list[Any] = []
    where = _category_filter(category, params)
    if district:
        where += " AND district = replace(?, '台', '臺')"
        params.append(district)
    sql = (
        "SELECT district, start_hour, end_hour, weekday, category, count(*) AS cases "
        f"FROM {_theft_table(service)} WHERE {where} GROUP BY ALL "
        "ORDER BY cases DESC, district, start_hour, end_hour, weekday, category "
        f"LIMIT {_limit(limit)}"
    )
    return {"category": category, "district": district, "rows": _run(service, sql, params, limit)}


def theft_trend(service: Service, *, category: str | None) -> dict[str, Any]:
    """Cases per month and category."""
    params: list[Any] = []
    where = _category_filter(category, params)
    sql = (
        "SELECT strftime(date, '%Y-%m') AS month, category, count(*) AS cases "
        f"FROM {_theft_table(service)} WHERE date IS NOT NULL AND {where} "
        "GROUP BY ALL ORDER BY month, category"
    )
    return {"category": category, "rows": _run(service, sql, params, MAX_LIMIT)}


def theft_roads(service: Service, *, category: str | None, limit: int) -> dict[str, Any]:
    """The road segments (district + road with section) with the most cases."""
    params: list[Any] = []
    where = _category_filter(category, params)
    sql = (
        "SELECT district, road, count(*) AS cases "
        f"FROM {_theft_table(service)} WHERE road IS NOT NULL AND {where} "
        f"GROUP BY ALL ORDER BY cases DESC, district, road LIMIT {_limit(limit)}"
    )
    return {"category": category, "rows": _run(service, sql, params, limit)}
