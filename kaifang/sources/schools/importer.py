"""``import_schools(settings, path)``: MOE school directories (學校名錄) → the dataset
「各級學校名錄」 with one resource per level (``moe_schools_e1`` …) plus a combined resource
(``moe_schools_all``, every level with a ``level`` column).

Each file's title and blank rows are skipped (the header is found by its 代碼/學校名稱 cells),
``[code]name`` fields (縣市名稱, 體系別) are split into code and name, the ``[postal]``
prefix is split from the address, U+3000 and space padding is trimmed, and codes stay text.
School phone numbers and addresses are institutional contact data, not personal data; the
privacy screen classifies them so; :data:`INSTITUTIONAL_CONTACT` columns never gate (a
detector firing there is recorded in the screening summary), other columns still would.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import duckdb

from kaifang.catalog.metadata import DatasetMetadata, validate_metadata
from kaifang.errors import ReadError
from kaifang.privacy.exception import PublicByNature
from kaifang.settings import Settings
from kaifang.sources.common.atomic import failing_table
from kaifang.sources.common.publish import (
    LICENSE,
    DatasetImport,
    ImportResult,
    Publisher,
    StagedRows,
    ensure_publisher,
    field_for,
    publish_all_staged,
    stage_rows,
)
from kaifang.sources.common.text_files import (
    decode_text,
    expect_header,
    read_text_csv,
    utf8_copy,
)
from kaifang.sources.model import SourceColumn
from kaifang.sources.schools.columns import LEVELS, SchoolLevel
from kaifang.sources.schools.parse import (
    address_sql,
    bracket_code_sql,
    bracket_name_sql,
    postal_code_sql,
)
from kaifang.sources.sqltext import trim_padding_sql
from kaifang.sqlutil import quote_ident, quote_literal

MOE = Publisher("A09000000E", "教育部", "Ministry of Education")
TITLE = "各級學校名錄"
DATASET_ID = "moe_schools"  # its id (kaifang catalog readable-ids renames moe_schools_all)
COMBINED = "all"
HEADER_SCAN_LINES = 10
# The school's own contact data: never a person's, whatever a detector says (some university
# sites are given as an IP address, http://140.x.x.x).
INSTITUTIONAL_CONTACT = ("電話", "地址", "郵遞區號", "網址")
MOE_APPROVER = "教育部 (source publisher)"
NOT_ABOUT_PEOPLE = (
    "教育部學校名錄：每列為一所學校（機關）之代碼、名稱與聯絡資料，非個人紀錄；學校依其性質唯一"
)

# Published columns in order: (name, type, title, description). Split columns follow their
# source column; a level publishes the ones its file has.
_OUTPUT: tuple[tuple[str, str, str, str, str], ...] = (
    # name, source column, type, title, description
    ("學年度", "學年度", "integer", "學年度", "資料所屬學年度（民國）"),
    ("代碼", "代碼", "string", "學校代碼", "學校代碼（保留前導 0）"),
    ("學校名稱", "學校名稱", "string", "學校名稱", "學校名稱"),
    ("公/私立", "公/私立", "string", "公/私立", "公立或私立"),
    ("縣市代碼", "縣市名稱", "string", "縣市代碼", "縣市名稱欄 [代碼] 部分（部分為舊縣市代碼）"),
    ("縣市名稱", "縣市名稱", "string", "縣市名稱", "縣市名稱（不含代碼）"),
    ("鄉鎮市區名稱", "鄉鎮市區名稱", "string", "鄉鎮市區名稱", "鄉鎮市區名稱"),
    ("郵遞區號", "地址", "string", "郵遞區號", "地址欄 [郵遞區號] 部分"),
    ("地址", "地址", "string", "地址", "學校地址（機關聯絡資料，不含郵遞區號）"),
    ("電話", "電話", "string", "電話", "學校電話（機關聯絡資料）；# 後為分機"),
    ("網址", "網址", "string", "網址", "學校網址"),
    ("備註", "備註", "string", "備註", "備註"),
    ("體系別代碼", "體系別", "string", "體系別代碼", "1 一般、2 技職、3 師範"),
    ("體系別", "體系別", "string", "體系別", "一般、技職、師範"),
)
LEVEL_FIELD = {
    "name": "level",
    "type": "string",
    "title": "學制",
    "description": "學制代碼：e1 國小、j1 國中、high 高中、u1 大專、k1 幼兒園、sp1 特教",
}
LEVEL_TITLE_FIELD = {
    "name": "學制",
    "type": "string",
    "title": "學制名稱",
    "description": "學制名稱，如 國民小學",
}


def resource_name(level: str) -> str:
    return f"moe_schools_{level}"


_NAME = re.compile(
    rf"^(?P<level>{'|'.join(sorted(LEVELS, key=len, reverse=True))})(?:_new)?"
    r"(?:[_\-](?P<year>\d{2,3}))?(?![a-z0-9])",
    re.IGNORECASE,
)
_TITLE_YEAR = re.compile(r"(\d{2,3})\s*學年度")


def _level_of(file: Path) -> tuple[SchoolLevel, int | None] | None:
    """The level a file's name starts with (``e1_new.csv``, ``e1_new_114.csv``,
    ``U1_NEW-103.CSV``) and the academic year it names, if any."""
    match = _NAME.match(file.name.strip())
    if match is None or file.suffix.lower() != ".csv":
        return None
    year = match.group("year")
    return LEVELS[match.group("level").lower()], int(year) if year else None


def _files(path: Path) -> tuple[dict[str, Path], list[dict[str, str]]]:
    """The file to read per level and the files not read, each with the reason: of two files
    of one level the later academic year (by name) is read."""
    found = [path] if path.is_file() else sorted(f for f in path.rglob("*") if f.is_file())
    named = [(f, _level_of(f)) for f in found]
    known = ", ".join(level.file for level in LEVELS.values())
    skipped = [
        {"file": f.name, "reason": f"not a school directory file (names start with {known})"}
        for f, level in named
        if level is None
    ]
    by_level: dict[str, list[tuple[int, str, Path]]] = {}
    for file, level in named:
        if level is not None:
            by_level.setdefault(level[0].key, []).append((level[1] or 0, file.name, file))
    files: dict[str, Path] = {}
    for key, candidates in by_level.items():
        candidates.sort(reverse=True)
        files[key] = candidates[0][2]
        skipped += [
            {"file": f.name, "reason": f"another {key} file is read: {files[key].name}"}
            for _, _, f in candidates[1:]
        ]
    if not files:
        raise ReadError("no school directory files found", file=path, hint=f"Expected {known}.")
    return files, skipped


def _academic_year(file: Path, header: int) -> int | None:
    """The academic year a title row above the header names (``103學年度大專校院名錄``), else
    the one the file's name carries (``u1_new_103.csv``)."""
    text, _, _ = decode_text(file.read_bytes())
    for line in text.splitlines()[:header]:
        found = _TITLE_YEAR.search(line)
        if found:
            return int(found.group(1))
    level = _level_of(file)
    return level[1] if level else None


def _header_line(file: Path) -> int:
    """The index of the header row: the first line naming 代碼 and 學校名稱."""
    text, _, _ = decode_text(file.read_bytes())
    for index, line in enumerate(text.splitlines()[:HEADER_SCAN_LINES]):
        if "代碼" in line and "學校名稱" in line:
            return index
    raise ReadError(
        f"no header row (代碼, 學校名稱) in the first {HEADER_SCAN_LINES} lines",
        file=file,
        hint="Pass the file as the statistics office publishes it.",
    )


def _expression(name: str, source: str, kind: str) -> str:
    raw = quote_ident(source)
    if name in ("縣市代碼", "體系別代碼"):
        return bracket_code_sql(raw)
    if name in ("縣市名稱", "體系別"):
        return bracket_name_sql(raw)
    if name == "郵遞區號":
        return postal_code_sql(raw)
    if name == "地址":
        return address_sql(raw)
    if kind == "integer":
        return f"try_cast({trim_padding_sql(raw)} AS INTEGER)"
    return f"nullif({trim_padding_sql(raw)}, '')"


def _load_level(
    con: duckdb.DuckDBPyConnection, level: SchoolLevel, file: Path, workdir: Path
) -> tuple[str, list[dict[str, Any]]]:
    """Typed table ``schools_<level>`` and its fields. A level whose file has no 學年度
    column gets one from the title row or the file name (NULL when neither names it)."""
    header = _header_line(file)
    decoded = utf8_copy(file, workdir / f"{level.key}.csv", skip_lines=header)
    expect_header(
        decoded,
        [c.name for c in level.columns],
        file=file,
        row=header + 1,
        hint=f"A {level.file} of this layout is not known to kaifang yet; pass the file as "
        "the statistics office publishes it, or report the new layout. Nothing was published.",
    )
    present = {c.name for c in level.columns}
    raw = f"raw_{level.key}"
    names = [c.name for c in level.columns]
    read_text_csv(con, decoded.path, names, header=True, source=file, lines_before=header).create(
        raw
    )
    outputs = [o for o in _OUTPUT if o[1] in present or o[0] == "學年度"]
    selects = [f"{_expression(n, s, k)} AS {quote_ident(n)}" for n, s, k, _, _ in outputs]
    if "學年度" not in present:
        year = _academic_year(file, header)
        selects[0] = f"CAST({year if year is not None else 'NULL'} AS INTEGER) AS 學年度"
    table = f"schools_{level.key}"
    con.execute(
        f"CREATE OR REPLACE TABLE {table} AS SELECT {', '.join(selects)}, "
        f"{quote_literal(level.key)} AS level, {quote_literal(level.title)} AS 學制 "
        f"FROM {raw} WHERE coalesce({trim_padding_sql('代碼')}, '') <> ''"
    )
    fields = [field_for(SourceColumn(n, t, k, d)) for n, _, k, t, d in outputs]
    return table, [*fields, LEVEL_FIELD, LEVEL_TITLE_FIELD]


def _metadata(levels: list[str]) -> DatasetMetadata:
    listing = "、".join(LEVELS[key].title for key in levels)
    return validate_metadata(
        {
            "title": TITLE,
            "title_en": "Directory of schools at every level (MOE)",
            "description": (
                f"教育部統計處學校名錄，含{listing}，每一學制一個資源，另有合併各學制之資源"
                "（以 level 欄區分）。縣市與體系別之 [代碼] 已拆為代碼欄，地址之郵遞區號已拆出。"
                "學校電話與地址為機關聯絡資料。"
            ),
            "category": "300",
            "keywords": ["學校", "學校名錄", "教育", "國小", "國中", "高中", "大專", "幼兒園"],
            "license": LICENSE,
            "update_frequency": "yearly",
            "landing_page": "https://stats.moe.gov.tw/",
            "language": "zh-TW",
        },
        source="schools",
    )


def import_schools(settings: Settings, path: str | Path) -> ImportResult:
    """Import every level's file under ``path``; see the module docstring.

    All or none: every level is read and screened, then every resource is published in one
    batch (:func:`kaifang.sources.common.publish.publish_all_staged`).
    Files under ``path`` that are not read are listed in the report with the reason."""
    files, skipped = _files(Path(path))
    workdir = Path(tempfile.mkdtemp(prefix="kaifang-schools-"))
    con = duckdb.connect(str(workdir / "work.duckdb"))
    try:
        ensure_publisher(settings, MOE)
        levels = [key for key in LEVELS if key in files]
        metadata = _metadata(levels)
        outcome = DatasetImport(dataset="", title=TITLE, files_read=[files[k].name for k in levels])
        outcome.files_skipped = skipped
        loaded: dict[str, tuple[str, list[dict[str, Any]]]] = {}
        for key in levels:
            with failing_table(files[key].name, len(levels) + 1, [files[k].name for k in loaded]):
                loaded[key] = _load_level(con, LEVELS[key], files[key], workdir)
        for key, (table, _) in loaded.items():
            rows_in, rows_out = con.execute(
                f"SELECT (SELECT count(*) FROM raw_{key}), (SELECT count(*) FROM {table})"
            ).fetchall()[0]
            outcome.rows_in += int(rows_in)
            outcome.rows_out += int(rows_out)
        all_fields: dict[str, dict[str, Any]] = {
            f["name"]: f for _, fields in loaded.values() for f in fields
        }
        order = [o[0] for o in _OUTPUT if o[0] in all_fields] + ["level", "學制"]
        union = " UNION ALL BY NAME ".join(f"SELECT * FROM {t}" for t, _ in loaded.values())
        columns = ", ".join(quote_ident(c) for c in order)
        con.execute(f"CREATE TABLE schools_all AS SELECT {columns} FROM ({union})")
        # The combined resource goes first: it names every level.
        staged = [
            ("schools_all", _stage(settings, con.table("schools_all"), COMBINED,
                                   [all_fields[c] for c in order], metadata, None)),
            *((table, _stage(settings, con.table(table), key, fields, metadata, files[key]))
              for key, (table, fields) in loaded.items()),
        ]  # fmt: skip
        published = publish_all_staged(settings, [(con.table(t), rows) for t, rows in staged])
        outcome.resources = [*published[1:], published[0]]
        outcome.dataset = outcome.resources[0].dataset
        return ImportResult([outcome])
    finally:
        con.close()
        shutil.rmtree(workdir, ignore_errors=True)


def _stage(
    settings: Settings,
    relation: duckdb.DuckDBPyRelation,
    key: str,
    fields: list[dict[str, Any]],
    metadata: DatasetMetadata,
    file: Path | None,
) -> StagedRows:
    return stage_rows(
        settings,
        relation,
        publisher=MOE,
        title=TITLE,
        dataset_id=DATASET_ID,
        resource=resource_name(key),
        fields=fields,
        metadata=metadata,
        source_file=file.name if file else "every level",
        order_by=("level", "代碼") if key == COMBINED else ("代碼",),
        institutional=INSTITUTIONAL_CONTACT,
        exception=PublicByNature(
            NOT_ABOUT_PEOPLE, tuple(relation.columns), MOE_APPROVER, "not_about_people"
        ),
    )
