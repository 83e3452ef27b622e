"""Votes per polling station, and every aggregate row computed from them.

Stations get an electorate, a turnout, a share of invalid ballots and a split of valid votes
between the choices (candidates or parties) around a county-level lean. Village, district,
constituency, county and national rows are sums of the station rows below them, so the
files add up at every level exactly as the CEC's do.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from kaifang.sources.elections.areas import County


@dataclass
class Tally:
    """One row of elctks/elprof: area codes, station, and the counts."""

    codes: tuple[str, str, str, str, str]
    station: int
    electors: int
    valid: int
    invalid: int
    votes: list[int]
    population: int

    def add(self, other: Tally) -> None:
        self.electors += other.electors
        self.valid += other.valid
        self.invalid += other.invalid
        self.population += other.population
        self.votes = [a + b for a, b in zip(self.votes, other.votes, strict=True)]


def _split(rng: random.Random, total: int, weights: list[float]) -> list[int]:
    noisy = [w * rng.uniform(0.85, 1.15) for w in weights]
    scale = total / sum(noisy)
    votes = [int(w * scale) for w in noisy]
    votes[max(range(len(votes)), key=lambda i: noisy[i])] += total - sum(votes)
    return votes


def tally_race(
    rng: random.Random,
    counties: list[County],
    choices: int,
    *,
    scope: str,
    constituency: str,
    lean: list[float],
) -> list[Tally]:
    """Rows for one race in pre-order (top, then county, district, village, stations).

    ``scope`` is ``national`` (a national row and county rows), ``county`` or
    ``constituency`` (one top row with the race's 選區 code).
    """
    rows: list[Tally] = []
    zero = [0] * choices
    national = Tally(("00", "000", constituency, "000", "0000"), 0, 0, 0, 0, list(zero), 0)
    for county in counties:
        tops = Tally(
            (county.province, county.county, constituency, "000", "0000"),
            0,
            0,
            0,
            0,
            list(zero),
            0,
        )
        county_lean = [w * rng.uniform(0.6, 1.4) for w in lean]
        below: list[Tally] = []
        for district in county.districts:
            d_row = Tally(
                (county.province, county.county, constituency, district.code, "0000"),
                0,
                0,
                0,
                0,
                list(zero),
                district.population,
            )
            d_rows: list[Tally] = []
            for village in district.villages:
                codes = (county.province, county.county, constituency, district.code, village.code)
                v_row = Tally(codes, 0, 0, 0, 0, list(zero), 0)
                s_rows: list[Tally] = []
                for station, electors in zip(village.stations, village.electors, strict=True):
                    ballots = round(electors * rng.uniform(0.62, 0.82))
                    invalid = round(ballots * rng.uniform(0.004, 0.02))
                    valid = ballots - invalid
                    row = Tally(
                        codes, station, electors, valid, invalid, _split(rng, valid, county_lean), 0
                    )
                    v_row.add(row)
                    s_rows.append(row)
                d_row.add(v_row)
                d_rows += [v_row, *s_rows]
            tops.add(d_row)
            below += [d_row, *d_rows]
        national.add(tops)
        rows += [tops, *below]
    return [national, *rows] if scope == "national" else rows
