"""``import_theft(settings, path)``: Taipei police theft points (竊盜點位資訊) → the dataset
「臺北市竊盜點位資訊」 with one combined resource, ``taipei_theft_points``.

One resource with a ``category`` column rather than one per category: the four files share
one layout, and the analyses (the hot-spot grid district × hour band × weekday × category,
the monthly trend, top roads) compare categories in one scan — four resources would need a
UNION in every query and would look like a split table to the openness check.

PATH is a file or a folder of them, Big5 (CP950) or UTF-8 with BOM; where a category comes
as both twins (``…點位資訊.csv`` and ``…-UTF8-BOM.csv``) the UTF-8 one is read, since the
Big5 file has lost the characters Big5 lacks (``?``). Parsing is SQL over whole columns:
7-digit ROC dates → DATE, hour bands → ``start_hour``/``end_hour`` (``23~01`` wraps,
spaces tolerated), rows repeated exactly across files (an earlier snapshot, a twin under
another name) kept once, addresses → county, district, village, road with 台 unified to 臺 in
those grouping columns while ``發生地點`` keeps the original text.

Privacy: the rows are incidents, not people; the police coarsened each place to a house-number
range or a crossing before publishing, and the screen classifies those places as coarse
addresses (quasi-identifiers, never direct identifiers). A point file is unique per date and
place by nature: its k-anonymity is still measured, and the import passes the gate through a
recorded exception (:data:`PUBLIC_BY_NATURE`, kept in the version's screening summary for
review) that covers only the time and place columns; any other quasi-identifier or any direct
identifier would still block the import.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import duckdb

from kaifang.catalog.metadata import DatasetMetadata, validate_metadata
from kaifang.errors import ReadError
from kaifang.privacy.exception import PublicByNature
from kaifang.settings import Settings
from kaifang.sources.common.previous import current_version, register_current
from kaifang.sources.common.publish import (
    LICENSE,
    DatasetImport,
    ImportResult,
    Publisher,
    ensure_publisher,
    field_for,
    publish_rows,
)
from kaifang.sources.common.text_files import expect_header, read_text_csv, utf8_copy
from kaifang.sources.sqltext import roc_compact_date_sql, trim_padding_sql
from kaifang.sources.theft.columns import CATEGORIES, COLUMNS, PUBLISHER
from kaifang.sources.theft.parse import (
    address_county_sql,
    address_district_sql,
    address_road_sql,
    address_village_sql,
    hour_band_end_sql,
    hour_band_start_sql,
)
from kaifang.sqlutil import quote_literal

TAIPEI_POLICE = Publisher("379130000E", PUBLISHER, "Taipei City Police Department")
TITLE = "臺北市竊盜點位資訊"
RESOURCE = "taipei_theft_points"
PUBLIC_BY_NATURE = PublicByNature(
    reason="警察局公開之竊盜點位：每列為一起案件而非個人，地點已由警方粗化為門牌區段或路口，"
    "時間為時段 / incidents, not people; the police coarsened each place to a house-number "
    "range or a crossing and each time to a band before publishing",
    columns=tuple(
        "發生日期 date weekday 發生時段 start_hour end_hour 發生地點 "
        "county district village road".split()
    ),
    approved_by="臺北市政府警察局 (source publisher)",
)
BOM_SUFFIX = "-utf8-bom"

_DERIVED: tuple[dict[str, Any], ...] = (
    {"name": "category", "type": "string", "title": "類別代碼",
     "description": "home 住宅、car 汽車、motorcycle 機車、bike 自行車（由案類而來）"},
    {"name": "date", "type": "date", "title": "發生日期（西元）",
     "description": "發生日期換算為西元日期"},
    {"name": "weekday", "type": "integer", "title": "星期",
     "description": "星期幾（ISO：1 星期一 … 7 星期日）"},
    {"name": "start_hour", "type": "integer", "title": "時段起",
     "description": "發生時段的起始小時（0–23）"},
    {"name": "end_hour", "type": "integer", "title": "時段迄",
     "description": "發生時段的結束小時（1–24）；小於起始小時表示跨午夜（如 23~01）"},
    {"name": "county", "type": "string", "title": "縣市",
     "description": "由發生地點解析之縣市（台統一為臺）"},
    {"name": "district", "type": "string", "title": "行政區",
     "description": "由發生地點解析之行政區"},
    {"name": "village", "type": "string", "title": "村里",
     "description": "由發生地點解析之村里（地點未載明時為空）"},
    {"name": "road", "type": "string", "title": "路段",
     "description": "由發生地點解析之路名與段（路口取第一條路；台統一為臺）"},
)  # fmt: skip


def _files(path: Path) -> tuple[list[Path], list[dict[str, str]]]:
    """The files to read (every CSV under ``path``, the UTF-8 twin preferred) and the files
    left unread, each with the reason."""
    found = [path] if path.is_file() else sorted(path.rglob("*.csv"))
    if not found:
        raise ReadError(
            "no CSV files found", file=path, hint="Pass a theft points file or a folder of them."
        )
    by_stem: dict[str, Path] = {}
    skipped: list[dict[str, str]] = []
    for file in found:
        stem = file.stem.lower()
        base = stem.removesuffix(BOM_SUFFIX)
        if base in by_stem and not stem.endswith(BOM_SUFFIX):
            skipped.append({"file": file.name, "reason": f"its UTF-8 twin {by_stem[base].name} "
                            "is read instead (Big5 lacks some characters)"})  # fmt: skip
            continue
        if base in by_stem:
            skipped.append({"file": by_stem[base].name, "reason": f"its UTF-8 twin {file.name} "
                            "is read instead (Big5 lacks some characters)"})  # fmt: skip
        by_stem[base] = file
    if not path.is_file():
        others = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() != ".csv")
        skipped += [{"file": p.name, "reason": "not a .csv file"} for p in others]
    return sorted(by_stem.values()), skipped


def _metadata(first: str | None, last: str | None) -> DatasetMetadata:
    return validate_metadata(
        {
            "title": TITLE,
            "title_en": "Taipei City theft locations (homes, cars, motorcycles, bicycles)",
            "description": (
                "臺北市政府警察局公布之住宅、汽車、機車、自行車竊盜點位，合併為一表並以 category "
                "欄區分類別。地點已由警察局去識別化（門牌以 1~30 號等區間或路口表示）；另解析出"
                "西元日期、星期、時段起迄小時、縣市、行政區、村里與路段（台統一為臺）供分析。"
            ),
            "category": "E00",
            "keywords": ["竊盜", "治安", "點位", "臺北市", "警察局"],
            "license": LICENSE,
            "update_frequency": "monthly",
            "temporal_coverage": {k: v for k, v in (("from", first), ("to", last)) if v},
            "spatial": "臺北市",
            "landing_page": "https://data.taipei/",
            "language": "zh-TW",
        },
        source="theft",
    )


def _category_sql(expr: str) -> str:
    cases = " ".join(
        f"WHEN {quote_literal(label)} THEN {quote_literal(key)}"
        for key, label in CATEGORIES.items()
    )
    return f"CASE {trim_padding_sql(expr)} {cases} END"


def _load(con: duckdb.DuckDBPyConnection, files: list[Path], workdir: Path) -> list[dict[str, Any]]:
    names = [c.name for c in COLUMNS]
    problems: list[dict[str, Any]] = []
    for index, file in enumerate(files):
        decoded = utf8_copy(file, workdir / f"theft_{index}.csv")
        if decoded.replaced:
            problems.append(
                {"file": file.name, "code": "undecodable", "count": decoded.replaced,
                 "message": f"{file.name}: {decoded.replaced} bytes are not Big5/CP950; "
                 "they are kept as U+FFFD"}
            )  # fmt: skip
        expect_header(
            decoded,
            names,
            file=file,
            hint="Pass the police's 竊盜點位資訊 CSV as downloaded (header "
            "編號,案類,發生日期,發生時段,發生地點); nothing was published.",
        )
        relation = read_text_csv(con, decoded.path, names, header=True, source=file)
        if index == 0:
            relation.create("raw_theft")
        else:
            relation.insert_into("raw_theft")
    place, band, day = "發生地點", "發生時段", "發生日期"
    date = roc_compact_date_sql(day)
    con.execute(
        f"""CREATE OR REPLACE TABLE theft AS
        SELECT try_cast({trim_padding_sql("編號")} AS BIGINT) AS 編號,
            {trim_padding_sql("案類")} AS 案類,
            {_category_sql("案類")} AS category,
            {trim_padding_sql(day)} AS 發生日期,
            {date} AS date,
            isodow({date}) AS weekday,
            {trim_padding_sql(band)} AS 發生時段,
            {hour_band_start_sql(band)} AS start_hour,
            {hour_band_end_sql(band)} AS end_hour,
            {trim_padding_sql(place)} AS 發生地點,
            {address_county_sql(place)} AS county,
            {address_district_sql(place)} AS district,
            {address_village_sql(place)} AS village,
            {address_road_sql(place)} AS road
        FROM (SELECT DISTINCT * FROM raw_theft) WHERE coalesce(trim(案類), '') <> ''"""
    )
    blank = con.execute(
        "SELECT count(*) FILTER (WHERE coalesce(trim(案類), '') = '') FROM raw_theft"
    ).fetchall()[0][0]
    if blank:
        problems.append(
            {"column": "案類", "code": "blank_category", "count": int(blank),
             "message": f"{blank} rows have no 案類 (often a trailing blank line); they are "
             "left out"}
        )  # fmt: skip
    duplicates = con.execute(
        "SELECT (SELECT count(*) FROM raw_theft WHERE coalesce(trim(案類), '') <> '') "
        "- (SELECT count(*) FROM theft)"
    ).fetchall()[0][0]
    if duplicates:
        problems.append(
            {"code": "duplicate_rows", "count": int(duplicates),
             "message": f"{duplicates} rows repeat another file's row exactly (a twin or an "
             "earlier snapshot); each is published once"}
        )  # fmt: skip
    counts = con.execute(
        "SELECT count(*) FILTER (WHERE date IS NULL), count(*) FILTER (WHERE start_hour IS NULL "
        "OR end_hour IS NULL), count(*) FILTER (WHERE district IS NULL), "
        "count(*) FILTER (WHERE category IS NULL) FROM theft"
    ).fetchall()[0]
    checks = (
        ("bad_date", "發生日期", "dates are not 7-digit ROC dates"),
        ("bad_hour_band", "發生時段", "hour bands are not HH~HH"),
        ("no_district", "發生地點", "places name no district"),
        ("unknown_category", "案類", f"案類 values are none of {', '.join(CATEGORIES.values())}"),
    )
    problems.extend(
        {"column": column, "code": code, "count": int(n), "message": f"{n} {text}"}
        for (code, column, text), n in zip(checks, counts, strict=True)
        if n
    )
    return problems


def _fields() -> list[dict[str, Any]]:
    source = {c.name: c for c in COLUMNS}
    derived = {f["name"]: f for f in _DERIVED}
    order = ["編號", "案類", "category", "發生日期", "date", "weekday", "發生時段", "start_hour",
             "end_hour", "發生地點", "county", "district", "village", "road"]  # fmt: skip
    return [field_for(source[n]) if n in source else derived[n] for n in order]


def _counts(con: duckdb.DuckDBPyConnection, sql: str) -> dict[str, int]:
    rows = con.execute(f"SELECT coalesce(category, 'unknown'), count(*) {sql} GROUP BY ALL")
    return {str(category): int(n) for category, n in sorted(rows.fetchall())}


def _merge(con: duckdb.DuckDBPyConnection, settings: Settings) -> dict[str, Any]:
    """Table ``theft_next``: this import's rows plus the current version's rows of every
    category the files do not carry; returns what was replaced and what was kept."""
    current = current_version(settings, org=TAIPEI_POLICE.code, title=TITLE, resource=RESOURCE)
    replaced = _counts(con, "FROM theft")
    if current is None:
        con.execute("CREATE OR REPLACE VIEW theft_next AS SELECT * FROM theft")
        return {"previous_version": None, "replaced": replaced, "replaced_rows_before": {},
                "kept": {}}  # fmt: skip
    names = [f["name"] for f in _fields()]
    register_current(settings, con, "theft_previous", current, names)
    listed = ", ".join(f'"{n}"' for n in names)
    carried = "coalesce(category, '') IN (SELECT DISTINCT coalesce(category, '') FROM theft)"
    con.execute(
        f"CREATE OR REPLACE TABLE theft_next AS SELECT {listed} FROM theft UNION ALL "
        f"SELECT {listed} FROM theft_previous WHERE NOT ({carried})"
    )
    return {
        "previous_version": current.version,
        "replaced": replaced,
        "replaced_rows_before": _counts(con, f"FROM theft_previous WHERE {carried}"),
        "kept": _counts(con, f"FROM theft_previous WHERE NOT ({carried})"),
    }


def import_theft(settings: Settings, path: str | Path) -> ImportResult:
    """Import the theft point file(s) under ``path``; see the module docstring.

    The files replace the rows of the categories they carry; the current version's rows of
    every other category are kept (importing the home-theft file, then the car-theft file,
    publishes both), and the report's ``changes`` says which were replaced and which kept."""
    files, skipped = _files(Path(path))
    workdir = Path(tempfile.mkdtemp(prefix="kaifang-theft-"))
    con = duckdb.connect(str(workdir / "work.duckdb"))
    try:
        problems = _load(con, files, workdir)
        rows_in, rows_out = con.execute(
            "SELECT (SELECT count(*) FROM raw_theft), (SELECT count(*) FROM theft)"
        ).fetchall()[0]
        changes = _merge(con, settings)
        first, last = con.execute(
            "SELECT CAST(min(date) AS VARCHAR), CAST(max(date) AS VARCHAR) FROM theft_next"
        ).fetchall()[0]
        ensure_publisher(settings, TAIPEI_POLICE)
        imported = publish_rows(
            settings,
            con.table("theft_next"),
            publisher=TAIPEI_POLICE,
            title=TITLE,
            dataset_id=RESOURCE,
            resource=RESOURCE,
            fields=_fields(),
            metadata=_metadata(first, last),
            source_file=", ".join(f.name for f in files),
            order_by=("category", "date", "編號"),
            exception=PUBLIC_BY_NATURE,
        )
        report = DatasetImport(
            imported.dataset,
            TITLE,
            [imported],
            problems=problems,
            files_read=[f.name for f in files],
            files_skipped=skipped,
            rows_in=int(rows_in),
            rows_out=int(rows_out),
            changes=changes,
        )
        return ImportResult([report])
    finally:
        con.close()
        shutil.rmtree(workdir, ignore_errors=True)
