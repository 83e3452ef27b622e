"""Theft points importer: Big5 and UTF-8-BOM twins, ROC dates, hour bands (wrap-around,
stray spaces), address parts with 台/臺 unified, the privacy screen, idempotence."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

from kaifang.errors import ReadError
from kaifang.privacy import gate, screen
from kaifang.settings import Settings
from kaifang.sources.theft.columns import CATEGORIES
from kaifang.sources.theft.generate import TheftPlan, generate_theft
from kaifang.sources.theft.importer import PUBLIC_BY_NATURE, RESOURCE, TITLE, import_theft
from kaifang.storage import VersionStore
from tests.catalogs import MakeSettings

HEADER = "編號,案類,發生日期,發生時段,發生地點\n"
HANDMADE = (
    "1,機車竊盜,1071113,23~01,台北市中正區市民大道2段1~30號\n"
    "2,住宅竊盜,1120209, 18~21,臺北市文山區萬美里萬寧街31~60號\n"
    "3,汽車竊盜,1040101,00~02,臺北市內湖區新明路351巷與新明路口\n"
    "4,自行車竊盜,1020229,22~24,臺北市大安區027鄰復興南路1段1~30號前\n"
)


def _published(settings: Settings, sql: str) -> list[tuple[Any, ...]]:
    store = VersionStore(settings)
    files = store.version_files(RESOURCE, max(store.list_versions(RESOURCE)))
    con = duckdb.connect()
    con.execute(f"CREATE VIEW t AS SELECT * FROM read_parquet({files!r})")
    return con.execute(sql).fetchall()


@pytest.fixture
def handmade(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "points.csv").write_bytes((HEADER + HANDMADE).encode("cp950"))
    return folder


def test_handmade_rows_parse(settings: Settings, handmade: Path) -> None:
    result = import_theft(settings, handmade)
    assert result.datasets[0].title == TITLE
    rows = _published(
        settings,
        "SELECT 編號, category, date, weekday, start_hour, end_hour, county, district, village, "
        "road, 發生地點 FROM t ORDER BY 編號",
    )
    assert rows == [
        (1, "motorcycle", date(2018, 11, 13), 2, 23, 1, "臺北市", "中正區", None, "市民大道2段",
         "台北市中正區市民大道2段1~30號"),
        (2, "home", date(2023, 2, 9), 4, 18, 21, "臺北市", "文山區", "萬美里", "萬寧街",
         "臺北市文山區萬美里萬寧街31~60號"),
        (3, "car", date(2015, 1, 1), 4, 0, 2, "臺北市", "內湖區", None, "新明路",
         "臺北市內湖區新明路351巷與新明路口"),
        (4, "bike", None, None, 22, 24, "臺北市", "大安區", None, "復興南路1段",
         "臺北市大安區027鄰復興南路1段1~30號前"),
    ]  # fmt: skip
    problems = {p["code"]: p["count"] for p in result.to_dict()["problems"]}
    assert problems == {"bad_date": 1}  # 民國102年2月29日 does not exist


def test_coarsened_addresses_pass_the_privacy_screen(settings: Settings, handmade: Path) -> None:
    """Coarsened places are quasi-identifiers, not direct identifiers; their k-anonymity
    failure passes only through the recorded public-by-nature exception."""
    result = import_theft(settings, handmade)
    screening = result.datasets[0].resources[0].screening
    assert screening["status"] == "exception"
    assert screening["exception"]["kind"] == "public_by_nature"
    assert "發生地點" in screening["exception"]["columns"]
    assert screening["exception"]["approved_by"]
    files = VersionStore(settings).version_files(RESOURCE, 1)
    relation = duckdb.connect().read_parquet(files)
    report = screen(relation.project("發生地點, 發生日期, 發生時段, 案類"), settings=settings)
    assert report.direct_identifiers == []
    assert report.column("發生地點").category == "quasi_identifier"
    assert "coarse_address" in report.column("發生地點").detectors
    assert [f.code for f in gate(report, None) if f.code == "direct_identifier"] == []
    assert [f.code for f in gate(report, None)] == ["k_anonymity"]  # checked, not skipped
    assert gate(report, None, exception=PUBLIC_BY_NATURE) == []


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("theft")
    generate_theft(out, TheftPlan(year=2023, seed=5, scale=0.2))
    return out


def _expected(folder: Path, *, bom: bool) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for file in sorted(folder.glob("*.csv")):
        if file.stem.endswith("-UTF8-BOM") != bom:
            continue
        encoding = "utf-8-sig" if bom else "cp950"
        with file.open(encoding=encoding, newline="") as handle:
            rows.extend(csv.DictReader(handle))
    return rows


def test_a_year_imports_once_from_the_utf8_twins(
    year: Path, tmp_path: Path, make_settings: MakeSettings
) -> None:
    settings = make_settings(tmp_path / "data")
    first = import_theft(settings, year)
    expected = _expected(year, bom=True)
    assert first.datasets[0].resources[0].rows == len(expected)
    counts = dict(_published(settings, "SELECT 案類, count(*) FROM t GROUP BY 1"))
    assert counts == dict(Counter(r["案類"] for r in expected))
    assert set(counts) <= set(CATEGORIES.values())
    places = sorted(r["發生地點"] for r in expected)
    assert [p for (p,) in _published(settings, "SELECT 發生地點 FROM t ORDER BY 1")] == places
    unified = _published(
        settings, "SELECT count(*) FILTER (WHERE county <> '臺北市'), count(*) FROM t"
    )
    assert unified == [(0, len(expected))]
    again = import_theft(settings, year)
    assert again.datasets[0].resources[0].unchanged
    assert again.datasets[0].resources[0].version == 1


@pytest.mark.parametrize("bom", [True, False])
def test_each_twin_alone_reads_the_same_rows(
    year: Path, tmp_path: Path, bom: bool, make_settings: MakeSettings
) -> None:
    folder = tmp_path / "one"
    folder.mkdir()
    for file in year.glob("*.csv"):
        if file.stem.endswith("-UTF8-BOM") == bom:
            (folder / file.name).write_bytes(file.read_bytes())
    settings = make_settings(tmp_path / "data")
    result = import_theft(settings, folder)
    assert result.datasets[0].resources[0].rows == len(_expected(year, bom=True))
    hours = _published(
        settings,
        "SELECT count(*) FILTER (WHERE start_hour IS NULL OR end_hour IS NULL OR date IS NULL) "
        "FROM t",
    )
    assert hours == [(0,)]


def test_rows_repeated_across_files_are_published_once(settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "snapshots"
    folder.mkdir()
    (folder / "2022-住宅.csv").write_bytes((HEADER + HANDMADE).encode("cp950"))
    (folder / "2023-住宅.csv").write_bytes(
        (
            "\ufeff" + HEADER + HANDMADE + "5,住宅竊盜,1120301,03~06,臺北市士林區文林路1~30號\n"
        ).encode("utf-8")
    )
    result = import_theft(settings, folder)
    assert result.datasets[0].resources[0].rows == 5
    problems = {p["code"]: p["count"] for p in result.to_dict()["problems"]}
    assert problems["duplicate_rows"] == 4


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("not,a\n", "not"),  # another file altogether
        ("編號,案類,發生時段,發生日期,發生地點\n", "發生時段"),  # reordered: dates would be bands
        ("編號,案類,發生日期,發生時段\n", "發生地點"),  # a column missing
        ("", "1"),  # no header: the first incident would be read as one
    ],
)
def test_a_file_whose_header_is_not_the_polices_is_refused(
    settings: Settings, tmp_path: Path, header: str, column: str
) -> None:
    """Columns are read by position: a file with another header is refused, naming the file,
    the row and the first column that differs, and nothing is published."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "points.csv").write_bytes((header + HANDMADE).encode("utf-8"))
    with pytest.raises(ReadError) as raised:
        import_theft(settings, folder)
    error = raised.value
    assert (Path(str(error.file)).name, error.row, error.column) == ("points.csv", 1, column)
    assert "nothing was published" in str(error.hint)
    assert not VersionStore(settings).list_versions(RESOURCE)


def test_a_padded_header_with_a_trailing_comma_is_read(settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    padded = " 編號 ,案類,發生日期,\u3000發生時段,發生地點,\n"
    (folder / "points.csv").write_bytes((padded + HANDMADE).encode("utf-8-sig"))
    assert import_theft(settings, folder).datasets[0].rows_out == 4


def test_a_row_with_more_cells_than_the_layout_is_refused(
    settings: Settings, tmp_path: Path
) -> None:
    """An unquoted comma in a place splits it into a sixth cell, which the reader would drop
    without a word: the file is refused at that row's line instead."""
    folder = tmp_path / "in"
    folder.mkdir()
    split = "5,住宅竊盜,1120301,08~10,臺北市大安區復興南路1段1~30號,前\n"
    (folder / "points.csv").write_bytes((HEADER + HANDMADE + split).encode("cp950"))
    with pytest.raises(ReadError) as raised:
        import_theft(settings, folder)
    assert (Path(str(raised.value.file)).name, raised.value.row) == ("points.csv", 6)
    assert "1 rows have more than the 5 cells" in str(raised.value)
    assert not VersionStore(settings).list_versions(RESOURCE)


def test_a_header_too_long_to_read_is_refused_with_a_short_message(
    settings: Settings, tmp_path: Path
) -> None:
    """A first line of 200,000 characters (a file that is not a CSV at all) is refused as a
    reading error naming the file and row, not a crash, and the message stays short."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "points.csv").write_bytes(b"x" * 200_000 + b"\n" + HANDMADE.encode("utf-8"))
    with pytest.raises(ReadError) as raised:
        import_theft(settings, folder)
    assert (raised.value.row, Path(str(raised.value.file)).name) == (1, "points.csv")
    wide = folder / "points.csv"
    wide.write_text(",".join(f"c{i}" for i in range(20_000)) + "\n" + HANDMADE, encoding="utf-8")
    with pytest.raises(ReadError) as refused:
        import_theft(settings, folder)
    assert len(str(refused.value)) < 1_000
    assert not VersionStore(settings).list_versions(RESOURCE)
