"""Generate CEC voteData election folders in each era's exact spelling.

Four folders under ``voteData/``: a 2008 legislative election (district seats and the party
list, all-quoted with apostrophe-prefixed codes, CRLF and LF mixed), a 2020 presidential
election (all-quoted, LF), a 2022 county-magistrate election (bare fields, LF) and a 2024
district-legislator folder whose elbase ships misnamed ``elbese.csv``. Optionally the whole
tree is also written as ``votedata.zip`` with Big5 member names and no UTF-8 flag, as the
CEC's archive is. Candidates are fictional; aggregates add up at every level.
"""

from __future__ import annotations

import random
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from kaifang.sources.elections.areas import (
    COUNTIES_2008,
    COUNTIES_2016,
    County,
    assign_constituencies,
    build_counties,
)
from kaifang.sources.elections.dialect import DIALECT_2008, DIALECT_2020, DIALECT_2022, Dialect
from kaifang.sources.elections.people import PARTIES
from kaifang.sources.elections.races import Election, Race, party_list_files, race_files


@dataclass(frozen=True)
class ElectionsPlan:
    """``scale`` < 1 keeps fewer districts and villages (tests, demos)."""

    seed: int = 0
    scale: float = 1.0
    zip_archive: bool = False


@dataclass
class GeneratedElections:
    folders: list[Path] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    zip_path: Path | None = None


def _write(
    out_dir: Path,
    folder: str,
    dialect: Dialect,
    files: dict[str, list[list[str]]],
    result: GeneratedElections,
    names: dict[str, str] | None = None,
) -> None:
    target = out_dir / "voteData" / folder
    target.mkdir(parents=True, exist_ok=True)
    result.folders.append(target)
    for stem, rows in files.items():
        path = target / f"{(names or {}).get(stem, stem)}.csv"
        path.write_bytes(dialect.render(stem, rows))
        result.files.append(path)


def generate_elections(out_dir: Path, plan: ElectionsPlan) -> GeneratedElections:
    """Write the election folders (and optionally ``votedata.zip``) under ``out_dir``."""
    rng = random.Random(plan.seed)
    result = GeneratedElections()

    counties_2008 = build_counties(rng, COUNTIES_2008, scale=plan.scale, district_step=1)
    assign_constituencies(counties_2008, rng)
    legislative = Election("2008立委", 2008, DIALECT_2008, counties_2008)
    races = _district_races(rng, counties_2008)
    _write(
        out_dir,
        "2008立委/區域立委",
        DIALECT_2008,
        race_files(rng, legislative, races, parties=PARTIES),
        result,
    )
    _write(
        out_dir,
        "2008立委/不分區政黨",
        DIALECT_2008,
        party_list_files(rng, legislative, PARTIES, seats=34),
        result,
    )

    counties_2016 = build_counties(rng, COUNTIES_2016, scale=plan.scale, district_step=10)
    president = Election("2020總統立委", 2020, DIALECT_2020, counties_2016)
    _write(
        out_dir,
        "2020總統立委/總統",
        DIALECT_2020,
        race_files(
            rng,
            president,
            [Race("全國", counties_2016, 3, "national", "01")],
            parties=PARTIES,
            running_mates=True,
        ),
        result,
    )

    local = Election("2022", 2022, DIALECT_2022, [c for c in counties_2016 if c.county != "000"])
    _write(
        out_dir,
        "2022-111年地方公職人員選舉/C1/prv",
        DIALECT_2022,
        race_files(
            rng,
            local,
            [Race(c.name, [c], rng.randint(2, 4), "county", "00") for c in local.counties],
            parties=PARTIES,
        ),
        result,
    )

    counties_2024 = build_counties(rng, COUNTIES_2016[:3], scale=plan.scale, district_step=10)
    assign_constituencies(counties_2024, rng)
    legislators = Election("2024總統立委", 2024, DIALECT_2020, counties_2024)
    races_2024 = _district_races(rng, counties_2024)
    _write(
        out_dir,
        "2024總統立委/區域立委",
        DIALECT_2020,
        race_files(rng, legislators, races_2024, parties=PARTIES),
        result,
        names={"elbase": "elbese"},
    )
    if plan.zip_archive:
        result.zip_path = write_votedata_zip(out_dir, result.files)
    return result


def _district_races(rng: random.Random, counties: list[County]) -> list[Race]:
    """One race per legislative constituency, with 2 to 5 candidates."""
    return [
        Race(f"{c.name}第{n}選舉區", [_part(c, n)], rng.randint(2, 5), "constituency", f"{n:02d}")
        for c in counties
        for n in range(1, c.constituencies + 1)
    ]


def _part(county: County, constituency: int) -> County:
    """The county restricted to one constituency's districts."""
    return County(
        county.province,
        county.county,
        county.name,
        [d for d in county.districts if d.constituency == constituency],
        county.constituencies,
    )


class _Big5NameInfo(zipfile.ZipInfo):
    """A member whose name is stored in Big5 without the UTF-8 flag (bit 11), as in the
    CEC's votedata.zip; readers decode it with ``name.encode('cp437').decode('big5')``."""

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:
        return self.filename.encode("cp950"), self.flag_bits & ~0x800


def write_votedata_zip(out_dir: Path, files: list[Path]) -> Path:
    """Zip the generated ``voteData/`` tree into ``out_dir/votedata.zip``."""
    target = out_dir / "votedata.zip"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            info = _Big5NameInfo(path.relative_to(out_dir).as_posix(), (2024, 1, 20, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return target
