"""Analyses of a CEC election dataset (its resources ``…_elctks``, ``…_elprof``, ``…_elbase``,
``…_elcand``, ``…_elpaty``): results at one area level (votes, vote share, turnout, area and
party names) and the winners.

Each method builds one SELECT with bound parameters and runs it with the server's engine and
resolver (:class:`~kaifang.sources.source.SourceData`), so the guard, the sandbox and the
limits apply as to any client's SQL. The API serves them under
``/api/analyses/elections/{dataset}/``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from kaifang.catalog.datasets import find_dataset
from kaifang.catalog.models import Dataset, Resource
from kaifang.errors import NotFoundError, ValidationError
from kaifang.sources.elections.parse import LEVELS
from kaifang.sources.source import MAX_LIMIT, SourceData, checked_limit
from kaifang.sqlutil import quote_ident

_CODES = ("省市", "縣市", "選區", "鄉鎮市區", "村里")


def election_tables(data: SourceData, dataset: str) -> dict[str, str]:
    """``{file stem: resource id}`` for an election dataset."""
    with data.catalog.read() as session:
        found = find_dataset(session, dataset)
        tables = {r.name.rsplit("_", 1)[-1]: r.slug for r in found.resources}
    missing = [s for s in ("elctks", "elprof", "elcand") if s not in tables]
    if missing:
        raise NotFoundError(
            f"dataset {dataset!r} is not a CEC election (no {', '.join(missing)})",
            hint="Import it with `kaifang import elections PATH`.",
        )
    return tables


def election_choices(data: SourceData) -> dict[str, Any]:
    """The dashboard's choices: the election datasets (those with a ``*_elctks`` vote table
    that is published), by title."""
    with data.catalog.read() as session:
        rows = session.execute(
            select(Dataset.slug, Dataset.title)
            .join(Resource.dataset)
            .where(
                Resource.current_version.is_not(None),
                Resource.name.endswith("_elctks", autoescape=True),  # a rename keeps it
            )
        ).all()
    elections = sorted({(slug, title) for slug, title in rows}, key=lambda pair: pair[1])
    return {"elections": [{"id": dataset, "title": title} for dataset, title in elections]}


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


class ElectionAnalyses:
    """The analyses the API serves under ``/api/analyses/elections/{dataset}/``."""

    def __init__(self, data: SourceData) -> None:
        self.data = data

    def results(self, dataset: str, *, level: str, limit: int) -> dict[str, Any]:
        """Every choice's votes in every area of ``level``, with vote share and turnout."""
        if level not in LEVELS:
            raise ValidationError(
                f"level {level!r} is unknown", hint=f"Use one of {', '.join(LEVELS)}.", key="level"
            )
        tables = election_tables(self.data, dataset)
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
            f"WHERE t.level = ? ORDER BY {codes}, t.投開票所, t.候選人號次 "
            f"LIMIT {checked_limit(limit)}"
        )
        return {"dataset": dataset, "level": level, "rows": self.data.records(sql, [level], limit)}

    def winners(self, dataset: str) -> dict[str, Any]:
        """Elected candidates (``*``, or ``!`` under the women's quota) with party and votes."""
        tables = election_tables(self.data, dataset)
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
        return {"dataset": dataset, "winners": self.data.records(sql, [], MAX_LIMIT)}
