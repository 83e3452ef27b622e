"""MOE school directories: every level, title rows, [code]name and postal splits, padding,
institutional contact data through the privacy gate, and the one-dataset layout that the
split-dataset check must not flag."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import duckdb
import pytest

from kaifang.errors import ReadError
from kaifang.openness import ColumnFacts, DatasetFacts, ResourceFacts, detect_split_datasets
from kaifang.privacy import gate, screen
from kaifang.service import Service
from kaifang.settings import Settings
from kaifang.sources.common.publish import ImportResult
from kaifang.sources.schools.columns import LEVELS
from kaifang.sources.schools.generate import SchoolsPlan, generate_schools
from kaifang.sources.schools.importer import MOE, import_schools, resource_name
from kaifang.storage import VersionStore
from tests.catalogs import Catalogs, MakeSettings


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("moe")
    generate_schools(out, SchoolsPlan(seed=2, scale=0.04))
    return out


@pytest.fixture(scope="module")
def imported(
    generated: Path, tmp_path_factory: pytest.TempPathFactory, catalogs: Catalogs
) -> tuple[Settings, ImportResult]:
    settings = catalogs.settings(tmp_path_factory.mktemp("data"))
    return settings, import_schools(settings, generated)


def _rows(settings: Settings, resource: str, sql: str) -> list[tuple[Any, ...]]:
    files = VersionStore(settings).version_files(resource, 1)
    con = duckdb.connect()
    con.execute(f"CREATE VIEW t AS SELECT * FROM read_parquet({files!r})")
    return con.execute(sql).fetchall()


def _source_rows(file: Path) -> list[dict[str, str]]:
    text = file.read_bytes().decode("utf-8-sig")
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if "代碼" in line and "學校名稱" in line)
    reader = csv.DictReader(io.StringIO("".join(lines[start:])))
    return [row for row in reader if row["代碼"].strip()]


@pytest.mark.parametrize("level", sorted(LEVELS))
def test_every_level_keeps_codes_and_splits_brackets(
    imported: tuple[Settings, ImportResult], generated: Path, level: str
) -> None:
    settings, _ = imported
    source = _source_rows(generated / LEVELS[level].file)
    rows = _rows(
        settings, resource_name(level), "SELECT 代碼, 縣市代碼, 縣市名稱, 郵遞區號, 地址 FROM t"
    )
    pad = " \u3000"
    expected = sorted(
        (
            r["代碼"].strip(pad),
            r["縣市名稱"].split("]")[0].lstrip("["),
            r["縣市名稱"].split("]")[1].strip(pad),
            r["地址"].split("]")[0].lstrip("["),
            r["地址"].split("]", 1)[1].strip(pad),
        )
        for r in source
    )
    assert sorted(rows) == expected
    assert all(code[0] == "0" or code.isdigit() for code, *_ in rows)


def test_title_rows_are_skipped_and_padding_trimmed(
    imported: tuple[Settings, ImportResult],
) -> None:
    settings, _ = imported
    u1 = _rows(settings, resource_name("u1"), "SELECT min(代碼), count(*) FROM t")
    assert u1[0][0] == "0001"
    padded = _rows(
        settings,
        resource_name("all"),
        "SELECT count(*) FROM t WHERE 電話 LIKE '% ' OR 電話 LIKE '%\u3000' OR 地址 LIKE '% '",
    )
    assert padded == [(0,)]
    systems = _rows(settings, resource_name("u1"), "SELECT DISTINCT 體系別代碼 FROM t")
    assert {code for (code,) in systems} <= {"1", "2", "3"}


def test_the_combined_resource_holds_every_level(
    imported: tuple[Settings, ImportResult], generated: Path
) -> None:
    settings, result = imported
    expected = {key: len(_source_rows(generated / level.file)) for key, level in LEVELS.items()}
    counts = dict(_rows(settings, resource_name("all"), "SELECT level, count(*) FROM t GROUP BY 1"))
    assert counts == expected
    names = [r.resource for r in result.datasets[0].resources]
    assert names == [resource_name(key) for key in LEVELS] + [resource_name("all")]
    assert len({r.dataset for r in result.datasets[0].resources}) == 1


def test_reimport_creates_no_new_version(
    imported: tuple[Settings, ImportResult], generated: Path
) -> None:
    settings, _ = imported
    again = import_schools(settings, generated)
    assert all(r.unchanged and r.version == 1 for r in again.datasets[0].resources)


def test_school_phones_and_addresses_pass_the_privacy_gate(
    imported: tuple[Settings, ImportResult],
) -> None:
    settings, result = imported
    files = VersionStore(settings).version_files(resource_name("all"), 1)
    report = screen(duckdb.connect().read_parquet(files), settings=settings)
    assert report.direct_identifiers == []
    assert [f for f in gate(report, None) if f.code == "direct_identifier"] == []
    assert result.datasets[0].resources[-1].screening["status"] == "passed"


def _facts(settings: Settings, dataset: str) -> list[DatasetFacts]:
    """The schools dataset as the openness check sees it, and the same resources as if each
    level were its own dataset (the publication the check exists to catch)."""
    service = Service(settings)
    try:
        found = service.get_dataset(dataset)
    finally:
        service.close()
    resources = [
        ResourceFacts(
            id=r["id"],
            name=r["name"],
            sniffed_format="csv",
            rows=r["rows"],
            columns=tuple(ColumnFacts(f["name"], f["type"]) for f in r["fields"]),
        )
        for r in found["resources"]
    ]
    return [DatasetFacts(id=dataset, title=found["title"], org_code=MOE.code,
                         license="OGDL-Taiwan-1.0", resources=tuple(resources))]  # fmt: skip


def test_split_detection_flags_levels_published_apart_but_not_this_layout(
    imported: tuple[Settings, ImportResult],
) -> None:
    settings, result = imported
    together = _facts(settings, result.datasets[0].dataset)
    assert detect_split_datasets(together) == []
    apart = [
        DatasetFacts(
            id=f"moe-{r.id}", title=f"{r.name} 名錄", org_code=MOE.code,
            license="OGDL-Taiwan-1.0", resources=(r,),
        )
        for r in together[0].resources
        if r.name in (resource_name("e1"), resource_name("sp1"), resource_name("j1"))
    ]  # fmt: skip
    groups = detect_split_datasets(apart)
    assert len(groups) == 1
    assert len(groups[0].datasets) >= 2


def test_a_single_level_file_imports_alone(
    generated: Path, tmp_path: Path, make_settings: MakeSettings
) -> None:
    settings = make_settings(tmp_path / "data")
    result = import_schools(settings, generated / "u1_new.csv")
    assert [r.resource for r in result.datasets[0].resources] == [
        resource_name("u1"),
        resource_name("all"),
    ]


def test_a_school_site_given_as_an_ip_address_does_not_block(
    tmp_path: Path, make_settings: MakeSettings
) -> None:
    """A detector that sees a person's IP in a school's web address is recorded, not gating."""
    source = tmp_path / "u1_new.csv"
    rows = [
        f"{n:04d},國立第{n}大學,[30]臺北市,[106]臺北市大安區羅斯福路{n}號,(02)2{n:07d},"
        f"http://140.112.{n % 250}.{n % 200 + 1},[1]一般"
        for n in range(1, 41)
    ]
    header = "代碼,學校名稱,縣市名稱,地址,電話,網址,體系別"
    source.write_text("\n".join(["103學年度大專校院名錄,,,,,,", ",,,,,,", header, *rows]) + "\n")
    settings = make_settings(tmp_path / "data")
    result = import_schools(settings, source)
    screening = result.datasets[0].resources[0].screening
    assert screening["status"] == "passed"
    assert screening["direct_identifiers"] == []
    assert [c["column"] for c in screening["institutional_contact"]] == ["網址"]


def test_a_layout_with_columns_in_another_order_is_refused(
    tmp_path: Path, make_settings: MakeSettings
) -> None:
    """Columns are read by position: a 大專 file whose 電話 and 地址 trade places would publish
    phones as addresses, so it is refused at its header row (line 3, after the title rows)."""
    source = tmp_path / "u1_new.csv"
    header = "代碼,學校名稱,縣市名稱,電話,地址,網址,體系別"
    row = (
        "0001,國立第1大學,[30]臺北市,(02)29393091,[106]臺北市大安區羅斯福路1號,http://a.tw,[1]一般"
    )
    source.write_text("\n".join(["103學年度大專校院名錄,,,,,,", ",,,,,,", header, row]) + "\n")
    settings = make_settings(tmp_path / "data")
    with pytest.raises(ReadError) as raised:
        import_schools(settings, source)
    assert (raised.value.row, raised.value.column) == (3, "電話")
    assert "u1_new.csv" in str(raised.value)
    assert VersionStore(settings).list_versions(resource_name("u1")) == []
