"""The rows of each CEC file for one election: areas (elbase), candidates (elcand), parties
(elpaty), votes (elctks), overview (elprof) and, for party lists, elrepm and elretks."""

from __future__ import annotations

import random
from dataclasses import dataclass

from kaifang.sources.elections.areas import County
from kaifang.sources.elections.dialect import Dialect
from kaifang.sources.elections.people import Person, make_person
from kaifang.sources.elections.tally import Tally, tally_race

Rows = list[list[str]]


@dataclass
class Election:
    folder: str
    year: int
    dialect: Dialect
    counties: list[County]


@dataclass
class Race:
    """One contest: its areas, how many choices, its scope and its 選區 code."""

    name: str
    counties: list[County]
    choices: int
    scope: str
    constituency: str

    def top_codes(self) -> tuple[str, str, str, str, str]:
        if self.scope == "national":
            return ("00", "000", self.constituency, "000", "0000")
        county = self.counties[0]
        return (county.province, county.county, self.constituency, "000", "0000")


def area_rows(election: Election, races: list[Race]) -> Rows:
    """elbase: the national row (from 2016), counties, constituencies, districts, villages."""
    rows: Rows = []
    if election.dialect.era != "2008":
        rows.append(["00", "000", "00", "000", "0000", "全國"])
    for county in election.counties:
        p, c = county.province, county.county
        rows.append([p, c, "00", "000", "0000", county.name])
        for race in races:
            if (
                race.scope == "constituency"
                and race.counties[0].county == c
                and (race.counties[0].province == p)
            ):
                rows.append([*race.top_codes(), race.name])
        for district in county.districts:
            cons = (
                f"{district.constituency:02d}"
                if any(r.scope == "constituency" for r in races)
                else "00"
            )
            rows.append([p, c, cons, district.code, "0000", district.name])
            rows += [[p, c, cons, district.code, v.code, v.name] for v in district.villages]
    return rows


def _file_order(dialect: Dialect, tallies: list[Tally]) -> list[Tally]:
    """2008 files list polling stations first and the aggregates after them; later files
    go top-down (national, county, district, village, then that village's stations)."""
    if dialect.era != "2008":
        return tallies
    return [t for t in tallies if t.station] + [t for t in tallies if not t.station]


def _mark(elected: bool) -> str:
    return "*" if elected else " "


def _vote_rows(dialect: Dialect, tallies: list[Tally], winner: int) -> Rows:
    rows: Rows = []
    for t in tallies:
        for i, votes in enumerate(t.votes):
            rate = votes / t.valid * 100 if t.valid else 0.0
            rows.append(
                [
                    *t.codes,
                    dialect.station(t.station),
                    str(i + 1),
                    str(votes),
                    dialect.rate(rate),
                    _mark(i == winner),
                ]
            )
    return rows


def _profile_rows(
    dialect: Dialect, tallies: list[Tally], people: list[Person], elected: list[Person]
) -> Rows:
    men = sum(p.sex == "1" for p in people)
    won_men = sum(p.sex == "1" for p in elected)
    rows: Rows = []
    for t in tallies:
        ballots = t.valid + t.invalid
        rows.append([
            *t.codes, dialect.station(t.station), str(t.valid), str(t.invalid), str(ballots),
            str(t.electors), str(t.population), str(len(people)), str(len(elected)), str(men),
            str(len(people) - men), str(won_men), str(len(elected) - won_men),
            dialect.rate(t.electors / t.population * 100 if t.population else 0.0),
            dialect.rate(ballots / t.electors * 100 if t.electors else 0.0),
            dialect.rate(len(elected) / len(people) * 100 if people else 0.0),
        ])  # fmt: skip
    return rows


def _candidate_row(
    codes: tuple[str, ...],
    number: int,
    person: Person,
    party: str,
    elected: bool,
    running_mate: bool,
) -> list[str]:
    return [*codes, str(number), person.name, party, person.sex, person.birth,
            str(person.age), person.birthplace, person.education, person.incumbent,
            _mark(elected), "Y" if running_mate else " "]  # fmt: skip


def race_files(
    rng: random.Random,
    election: Election,
    races: list[Race],
    *,
    parties: tuple[tuple[str, str], ...],
    running_mates: bool = False,
) -> dict[str, Rows]:
    """elbase, elcand, elctks, elpaty and elprof for candidate races."""
    dialect, used = election.dialect, set[str]()
    cands: Rows = []
    ctks: Rows = []
    prof: Rows = []
    for race in races:
        lean = [rng.uniform(0.3, 1.0) ** 2 for _ in range(race.choices)]
        tallies = tally_race(
            rng,
            race.counties,
            race.choices,
            scope=race.scope,
            constituency=race.constituency,
            lean=lean,
        )
        top = tallies[0].votes
        winner = max(range(race.choices), key=lambda i: top[i])
        leads = [make_person(rng, election.year, used) for _ in range(race.choices)]
        for i, person in enumerate(leads):
            party = rng.choice(parties)[0]
            cands.append(_candidate_row(race.top_codes(), i + 1, person, party, i == winner, False))
            if running_mates:
                mate = make_person(rng, election.year, used)
                cands.append(_candidate_row(race.top_codes(), i + 1, mate, party, False, True))
        ordered = _file_order(dialect, tallies)
        ctks += _vote_rows(dialect, ordered, winner)
        prof += _profile_rows(dialect, ordered, leads, [leads[winner]])
    return {
        "elbase": area_rows(election, races),
        "elcand": cands,
        "elctks": ctks,
        "elpaty": [[code, name] for code, name in parties],
        "elprof": prof,
    }


def _seats(shares: list[float], seats: int) -> list[int]:
    """Largest-remainder (Hare) allocation."""
    quotas = [s * seats for s in shares]
    won = [int(q) for q in quotas]
    order = sorted(range(len(shares)), key=lambda i: quotas[i] - won[i], reverse=True)
    for i in order[: seats - sum(won)]:
        won[i] += 1
    return won


def party_list_files(
    rng: random.Random, election: Election, parties: tuple[tuple[str, str], ...], *, seats: int
) -> dict[str, Rows]:
    """The party-list folder: party votes by area, the lists (elrepm) and seats (elretks)."""
    dialect, used = election.dialect, set[str]()
    listed = [p for p in parties if p[0] != "999"]
    race = Race("全國", election.counties, len(listed), "national", "00")
    lean = [rng.uniform(0.05, 1.0) ** 3 for _ in listed]
    tallies = tally_race(
        rng, election.counties, len(listed), scope="national", constituency="00", lean=lean
    )
    national = tallies[0]
    first = [v / national.valid for v in national.votes]
    passing = [s if s >= 0.05 else 0.0 for s in first]
    second = [s / sum(passing) for s in passing]
    won = _seats(second, seats)
    roster_sizes = [max(2, min(34, w + rng.randint(1, 8))) for w in won]
    repm: Rows = []
    people: list[Person] = []
    elected: list[Person] = []
    for (code, _), size, w in zip(listed, roster_sizes, won, strict=True):
        for rank in range(1, size + 1):
            person = make_person(rng, election.year, used)
            people.append(person)
            if rank <= w:
                elected.append(person)
            repm.append([code, str(rank), person.name, person.sex, person.birth,
                         str(person.age), person.birthplace, person.education,
                         person.incumbent, _mark(rank <= w)])  # fmt: skip
    retks = [
        [code, f"{f * 100:.4f}", f"{s * 100:.4f}", str(size), str(w)]
        for (code, _), f, s, size, w in zip(listed, first, second, roster_sizes, won, strict=True)
    ]
    cands = [
        [*race.top_codes(), str(i + 1), name, code, " ", " ", " ", " ", " ", " ",
         _mark(won[i] > 0), " "]
        for i, (code, name) in enumerate(listed)
    ]  # fmt: skip
    tallies = _file_order(dialect, tallies)
    ctks = _vote_rows(dialect, tallies, -1)
    for index, row in enumerate(ctks):
        row[-1] = _mark(won[index % len(listed)] > 0)
    return {
        "elbase": area_rows(election, [race]),
        "elcand": cands,
        "elctks": ctks,
        "elpaty": [[code, name] for code, name in parties],
        "elprof": _profile_rows(dialect, tallies, people, elected),
        "elrepm": repm,
        "elretks": retks,
    }
