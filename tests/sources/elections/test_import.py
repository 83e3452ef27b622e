"""CEC importer: every era's spelling, levels that never double-count, the legal basis and
birth years, votedata.zip with Big5 member names, idempotent re-imports."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import duckdb
import pytest

from kaifang.service import Service
from kaifang.settings import Settings
from kaifang.sources.common.publish import ImportResult
from kaifang.sources.elections.discover import find_elections, member_name, normalize_title
from kaifang.sources.elections.generate import ElectionsPlan, generate_elections
from kaifang.sources.elections.importer import PRESIDENTIAL_BASIS, import_elections
from kaifang.storage import VersionStore
from tests.catalogs import Catalogs, MakeSettings

FOLDERS = {
    "2008立委 區域立委": "2008",
    "2008立委 不分區政黨": "2008",
    "2020總統立委 總統": "2020",
    "2022-111年地方公職人員選舉 C1 prv": "2022",
    "2024總統立委 區域立委": "2020",
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cec")
    generate_elections(out, ElectionsPlan(seed=3, scale=0.05, zip_archive=True))
    return out


@pytest.fixture(scope="module")
def imported(
    generated: Path, tmp_path_factory: pytest.TempPathFactory, catalogs: Catalogs
) -> tuple[Settings, ImportResult]:
    settings = catalogs.settings(tmp_path_factory.mktemp("data"))
    return settings, import_elections(settings, generated / "voteData")


def _rows(settings: Settings, resource: str, sql: str) -> list[tuple[Any, ...]]:
    files = VersionStore(settings).version_files(resource, 1)
    con = duckdb.connect()
    con.execute(f"CREATE VIEW t AS SELECT * FROM read_parquet({files!r})")
    return con.execute(sql).fetchall()


def _resource(result: ImportResult, title: str, stem: str) -> str:
    dataset = next(d for d in result.datasets if d.title.endswith(title))
    return next(r.resource for r in dataset.resources if r.resource.endswith(f"_{stem}"))


def test_one_dataset_per_election_with_a_resource_per_file(
    imported: tuple[Settings, ImportResult],
) -> None:
    _, result = imported
    assert sorted(d.title.removeprefix("中選會選舉資料庫 ") for d in result.datasets) == sorted(
        FOLDERS
    )
    party_list = next(d for d in result.datasets if d.title.endswith("不分區政黨"))
    stems = sorted(r.resource.rsplit("_", 1)[1] for r in party_list.resources)
    assert stems == ["elbase", "elcand", "elctks", "elpaty", "elprof", "elrepm", "elretks"]
    assert all(r.rows > 0 for d in result.datasets for r in d.resources)
    assert result.to_dict()["problems"] == []


@pytest.mark.parametrize("title", sorted(FOLDERS))
def test_codes_are_clean_strings_in_every_era(
    imported: tuple[Settings, ImportResult], title: str
) -> None:
    settings, result = imported
    rows = _rows(
        settings,
        _resource(result, title, "elctks"),
        "SELECT count(*) FILTER (WHERE 縣市 LIKE '''%' OR 村里 LIKE '%\"%' OR 當選註記 LIKE '%\r%'"
        " OR length(縣市) <> 3 OR length(村里) <> 4), typeof(縣市), typeof(得票數) "
        "FROM t GROUP BY ALL",
    )
    assert rows == [(0, "VARCHAR", "BIGINT")]


@pytest.mark.parametrize("title", sorted(FOLDERS))
def test_levels_never_double_count(imported: tuple[Settings, ImportResult], title: str) -> None:
    """The station rows add up to each top row: summing one level gives the total once."""
    settings, result = imported
    by_level = dict(
        _rows(
            settings,
            _resource(result, title, "elprof"),
            "SELECT level, sum(投票數) FROM t GROUP BY level",
        )
    )
    top = by_level.get("national") or by_level.get("county") or by_level["constituency"]
    if "national" not in by_level and "constituency" in by_level:
        top = by_level["constituency"]
    assert by_level["station"] == top
    assert by_level["village"] == by_level["station"]


def test_levels_follow_zero_codes(imported: tuple[Settings, ImportResult]) -> None:
    settings, result = imported
    levels = _rows(
        settings,
        _resource(result, "2024總統立委 區域立委", "elbase"),
        "SELECT DISTINCT level FROM t ORDER BY level",
    )
    assert [level for (level,) in levels] == [
        "constituency",
        "county",
        "district",
        "national",
        "village",
    ]


def test_candidates_publish_birth_year_under_the_legal_basis(
    imported: tuple[Settings, ImportResult], generated: Path
) -> None:
    settings, result = imported
    resource = _resource(result, "2020總統立委 總統", "elcand")
    rows = _rows(settings, resource, "SELECT 名字, 出生年 FROM t ORDER BY 號次, 名字")
    raw = (generated / "voteData/2020總統立委/總統/elcand.csv").read_text(encoding="utf-8")
    expected = sorted(
        (cells[5], cells[6], int(cells[9][:-4]) + 1911)
        for cells in ([c.strip('"') for c in line.split(",")] for line in raw.splitlines())
    )
    assert rows == [(name, year) for _, name, year in expected]
    service = Service(settings)
    try:
        dataset = service.get_dataset(result.datasets[2].dataset)
        cand = next(r for r in dataset["resources"] if r["id"] == resource)
        assert cand["legal_basis"].startswith(PRESIDENTIAL_BASIS.label)  # a presidential race
        assert "名字" in cand["legal_basis"] and "中央選舉委員會" in cand["legal_basis"]
        assert "出生日期" not in [f["name"] for f in cand["fields"]]
    finally:
        service.close()


def test_keep_birth_date_publishes_the_full_date(
    generated: Path, tmp_path: Path, make_settings: MakeSettings
) -> None:
    settings = make_settings(tmp_path / "data")
    folder = generated / "voteData/2022-111年地方公職人員選舉/C1/prv"
    result = import_elections(settings, folder, keep_birth_date=True)
    assert result.datasets[0].title == "中選會選舉資料庫 2022-111年地方公職人員選舉 C1 prv"
    cand = next(r.resource for r in result.datasets[0].resources if r.resource.endswith("elcand"))
    dates = _rows(
        settings,
        cand,
        "SELECT typeof(出生日期), min(出生日期) > DATE '1900-01-01' FROM t GROUP BY 1",
    )
    assert dates == [("DATE", True)]


def test_zip_with_big5_names_imports_the_same_elections_unchanged(
    imported: tuple[Settings, ImportResult], generated: Path
) -> None:
    settings, first = imported
    again = import_elections(settings, generated / "votedata.zip")
    assert [d.title for d in again.datasets] == [d.title for d in first.datasets]
    assert all(r.unchanged and r.version == 1 for d in again.datasets for r in d.resources)


def test_zip_member_names_decode_from_big5(generated: Path) -> None:
    with zipfile.ZipFile(generated / "votedata.zip") as archive:
        names = [member_name(info) for info in archive.infolist()]
    assert "voteData/2024總統立委/區域立委/elbese.csv" in names


def test_folder_titles_fold_full_width_digits_and_spaces(tmp_path: Path) -> None:
    for folder in ("2004   11任總統/總統", "第１案修憲複決/公投"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "elpaty.csv").write_text("1,中國國民黨\n", encoding="utf-8")
    titles = [e.title for e in find_elections(tmp_path)]
    assert titles == ["2004 11任總統 總統", "第1案修憲複決 公投"]
    assert normalize_title("　２０２０　總統 ") == "2020 總統"


def test_bare_quoted_and_apostrophe_rows_read_alike(
    tmp_path: Path, make_settings: MakeSettings
) -> None:
    """One election folder whose files mix the eras' spellings and line ends."""
    folder = tmp_path / "混合"
    folder.mkdir()
    (folder / "elpaty.csv").write_bytes('"1","中國國民黨"\r\n16,民主進步黨\n'.encode())
    (folder / "elbese.csv").write_bytes(
        '"\'63","\'000","\'00","\'000","\'0000","臺北市"\r\n63,000,00,010,0000,松山區\n'.encode()
    )
    settings = make_settings(tmp_path / "data")
    result = import_elections(settings, folder)
    base = next(r.resource for r in result.datasets[0].resources if r.resource.endswith("elbase"))
    assert _rows(settings, base, "SELECT 縣市, 鄉鎮市區, 名稱, level FROM t ORDER BY 鄉鎮市區") == [
        ("000", "000", "臺北市", "county"),
        ("000", "010", "松山區", "district"),
    ]
