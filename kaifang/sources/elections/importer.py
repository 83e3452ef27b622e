"""``import_elections(settings, path)``: CEC voteData → one dataset per election, one resource
per file (elbase, elcand, elctks, elpaty, elprof, elrepm, elretks), under 中央選舉委員會.

Each file is read with one headerless ``read_csv`` (every column text), then typed in SQL:
quotes, apostrophe prefixes and padding are stripped (codes stay strings), counts and rates
are cast, and elbase/elctks/elprof rows get a ``level`` column (national, county,
constituency, district, village, station) from their zero codes, so sums can pick one level.

Candidates' names and birth dates are personal data that the election laws make public; the
importer records the article (:func:`legal_basis_for`: 公職人員選舉罷免法第47條, or
總統副總統選舉罷免法第44條 for a presidential election) with the columns it covers on those
resources; the results tables, which describe areas, parties and vote counts, record a
reviewable ``not_about_people`` exception instead (:func:`not_about_people`). Both are screened.
By default the importer publishes the birth
*year* (``出生年``) instead of the full date (``keep_birth_date=True`` keeps ``出生日期`` as a
DATE).
"""

from __future__ import annotations

import shutil
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import duckdb

from kaifang.catalog.identifiers import SLUG_MAX
from kaifang.catalog.metadata import DatasetMetadata, validate_metadata
from kaifang.errors import ReadError
from kaifang.privacy.exception import PublicByNature
from kaifang.privacy.legal_basis import LegalBasis
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
from kaifang.sources.common.text_files import read_text_csv
from kaifang.sources.elections.columns import FILES, PUBLISHER
from kaifang.sources.elections.discover import (
    ElectionFolder,
    extract_votedata,
    files_outside,
    find_elections,
)
from kaifang.sources.elections.parse import cec_code_sql, cec_is_zero_sql, cec_level_sql
from kaifang.sources.model import SourceColumn
from kaifang.sources.sqltext import roc_compact_date_sql
from kaifang.sqlutil import quote_ident

CEC = Publisher("A61000000A", PUBLISHER, "Central Election Commission")
CEC_APPROVER = "中央選舉委員會 (source publisher)"
LEGAL_BASIS = LegalBasis(
    law="公職人員選舉罷免法",
    article="第47條",
    note="選舉公報載明候選人姓名、出生年月日、性別、出生地、推薦政黨、學歷、經歷；"
    "中央選舉委員會依法公告之候選人資料",
    approved_by=CEC_APPROVER,
)
PRESIDENTIAL_BASIS = LegalBasis(
    law="總統副總統選舉罷免法",
    article="第44條",
    note="選舉公報載明候選人姓名、出生年月日、性別、出生地、登記方式、學歷、經歷",
    approved_by=CEC_APPROVER,
)
PERSONAL_COLUMNS = ("名字", "性別", "出生日期", "出生年")
"""The candidates' columns the election laws make public that the screen may flag."""
NOT_ABOUT_PEOPLE = (
    "中央選舉委員會公告之選舉結果：每列為一個行政區、選舉區、投開票所或政黨之票數與概況，"
    "非個人紀錄；各層級彙總列依其性質唯一"
)


def legal_basis_for(election_title: str, columns: list[str]) -> LegalBasis:
    """The article that makes an election's candidate data public (總統副總統選舉罷免法第44條
    for a presidential election, else 公職人員選舉罷免法第47條), covering the candidate
    columns of ``columns``."""
    basis = PRESIDENTIAL_BASIS if "總統" in election_title else LEGAL_BASIS
    return replace(basis, columns=tuple(c for c in PERSONAL_COLUMNS if c in columns))


def not_about_people(columns: list[str]) -> PublicByNature:
    """The recorded exception of a results table (areas, parties, vote counts)."""
    return PublicByNature(NOT_ABOUT_PEOPLE, tuple(columns), CEC_APPROVER, "not_about_people")


PERSONAL_FILES = ("elcand", "elrepm")
LEVELLED_FILES = ("elbase", "elctks", "elprof")
FILE_TITLES = {
    "elbase": "行政區別",
    "elcand": "候選人",
    "elctks": "候選人得票",
    "elpaty": "政黨",
    "elprof": "選舉概況",
    "elrepm": "政黨不分區代表名單",
    "elretks": "政黨得票",
}
LEVEL_FIELD = {
    "name": "level",
    "type": "string",
    "title": "層級",
    "description": (
        "此列的彙總層級：national 全國、county 縣市、constituency 選舉區、district 鄉鎮市區、"
        "village 村里、station 投開票所；加總時只取同一層級，避免重複計算"
    ),
}


def dataset_id(election: ElectionFolder) -> str:
    """A new election dataset's id, e.g. ``cec_2020_president``."""
    return f"cec_{election.readable_key}"[: SLUG_MAX - 8].rstrip("_")


def resource_name(election: ElectionFolder, stem: str) -> str:
    """The table name of one file of one election, e.g. ``cec_2020_president_elctks``."""
    return f"{dataset_id(election)}_{stem}"


def former_resource_name(election: ElectionFolder, stem: str) -> str:
    """The name importers gave it before readable ids, e.g. ``cec_2020_1a2b3c_elctks``: a
    catalog that has it keeps it (and its id)."""
    return f"cec_{election.key}_{stem}"


TITLE_PREFIX = "中選會選舉資料庫 "


def dataset_title(election: ElectionFolder) -> str:
    return f"{TITLE_PREFIX}{election.title}"


def _metadata(election: ElectionFolder) -> DatasetMetadata:
    files = "、".join(f"{stem}（{FILE_TITLES[stem]}）" for stem in sorted(election.files))
    return validate_metadata(
        {
            "title": dataset_title(election),
            "title_en": f"CEC election database: {election.title}",
            "description": (
                f"中央選舉委員會選舉資料庫「{election.title}」：{files}。得票與概況檔含全國、"
                "縣市、選舉區、鄉鎮市區、村里各層彙總列及投開票所列，以 level 欄區分。"
                "候選人姓名依選舉法規公告；出生日期僅公開出生年。"
            ),
            "category": "D00",
            "keywords": ["選舉", "投票", "得票", "中選會", "選舉資料庫"],
            "license": LICENSE,
            "update_frequency": "irregular",
            "landing_page": "https://data.cec.gov.tw/",
            "language": "zh-TW",
        },
        source="elections",
    )


def _typed(column: SourceColumn, keep_birth_date: bool) -> tuple[str, dict[str, Any]]:
    """The SELECT expression and Table Schema field of one column."""
    raw = quote_ident(column.name)
    text = cec_code_sql(raw)
    if column.name == "出生日期":
        if keep_birth_date:
            return f"{roc_compact_date_sql(text)} AS 出生日期", field_for(column, kind="date")
        year = f"try_cast(left({text}, length({text}) - 4) AS INTEGER) + 1911"
        expr = f"CASE WHEN regexp_matches({text}, '^[0-9]{{6,7}}$') THEN {year} END AS 出生年"
        described = SourceColumn(
            "出生年", "出生年", "integer", "出生年（西元；由公告之出生日期取年）"
        )
        return expr, field_for(described)
    if column.type == "integer":
        return f"try_cast({text} AS BIGINT) AS {raw}", field_for(column)
    if column.type == "number":
        return f"try_cast({text} AS DOUBLE) AS {raw}", field_for(column)
    if column.name == "當選註記":
        return f"coalesce({text}, '') AS {raw}", field_for(column)
    return f"nullif({text}, '') AS {raw}", field_for(column)


def _constituency_level(con: duckdb.DuckDBPyConnection, base: str | None) -> bool:
    """Whether the election has rows for electoral districts (選區) inside counties."""
    if base is None:
        return False
    found = con.execute(
        f"SELECT count(*) FROM {quote_ident(base)} "
        f"WHERE NOT ({cec_is_zero_sql('省市')} AND {cec_is_zero_sql('縣市')}) "
        f"AND NOT {cec_is_zero_sql('選區')} AND {cec_is_zero_sql('鄉鎮市區')}"
    ).fetchall()
    return bool(found[0][0])


def _read_raw(con: duckdb.DuckDBPyConnection, file: Path, stem: str, table: str) -> None:
    """Table ``table`` of the file's rows as text; ReadError naming the file if unreadable."""
    try:
        read_text_csv(con, file, [c.name for c in FILES[stem]], header=False).create(table)
    except duckdb.Error as error:
        first = str(error).splitlines()[0:3]
        raise ReadError(
            f"cannot be read as a CEC {stem} file ({' '.join(first)})",
            file=file,
            hint="CEC voteData files are UTF-8 text without a header; convert a Big5 copy to "
            "UTF-8 or download the file again.",
        ) from None


def _load_file(
    con: duckdb.DuckDBPyConnection,
    stem: str,
    file: Path,
    *,
    keep_birth_date: bool,
    constituency_level: bool,
) -> tuple[str, list[dict[str, Any]], list[dict[str, Any]]]:
    """Typed table ``t_<stem>``, its fields, and its problems (cells that failed a type)."""
    columns = FILES[stem]
    raw_name = f"raw_{stem}"
    _read_raw(con, file, stem, raw_name)
    typed = [_typed(c, keep_birth_date) for c in columns]
    selects = [expr for expr, _ in typed]
    fields = [f for _, f in typed]
    if stem in LEVELLED_FILES:
        station = "投開票所" if stem != "elbase" else None
        level = cec_level_sql(
            "省市", "縣市", "選區", "鄉鎮市區", "村里", station,
            constituency_level=constituency_level,
        )  # fmt: skip
        selects.append(f"{level} AS level")
        fields.append(LEVEL_FIELD)
    table = f"t_{stem}"
    con.execute(
        f"CREATE OR REPLACE TABLE {table} AS SELECT {', '.join(selects)} FROM {raw_name} "
        f"WHERE coalesce(trim({quote_ident(columns[0].name)}), '') <> ''"
    )
    return table, fields, _problems(con, raw_name, file, columns)


def _problems(
    con: duckdb.DuckDBPyConnection, raw: str, file: Path, columns: tuple[SourceColumn, ...]
) -> list[dict[str, Any]]:
    numeric = [c for c in columns if c.type in ("integer", "number")]
    if not numeric:
        return []
    casts = {"integer": "BIGINT", "number": "DOUBLE"}
    counts = ", ".join(
        f"count(*) FILTER (WHERE {cec_code_sql(quote_ident(c.name))} <> '' AND "
        f"try_cast({cec_code_sql(quote_ident(c.name))} AS {casts[c.type]}) IS NULL)"
        for c in numeric
    )
    found = con.execute(f"SELECT {counts} FROM {raw}").fetchall()[0]
    return [
        {
            "file": file.name,
            "column": column.name,
            "code": "not_a_number",
            "count": int(count),
            "message": f"{file.name}: {count} values of {column.name} are not numbers; "
            "they are published empty",
        }
        for column, count in zip(numeric, found, strict=True)
        if count
    ]


@dataclass
class _StagedElection:
    """An election read and screened: its report so far and its tables, ready to publish."""

    election: ElectionFolder
    database: Path
    report: DatasetImport
    tables: list[tuple[str, StagedRows]] = field(default_factory=list)


def _stage_election(
    settings: Settings,
    election: ElectionFolder,
    *,
    keep_birth_date: bool,
    workdir: Path,
    ready: list[str],
    total: int,
) -> _StagedElection:
    """Read, type and screen every file of ``election``; nothing is published."""
    database = workdir / f"{election.key}.duckdb"
    con = duckdb.connect(str(database))
    try:
        base = None
        if "elbase" in election.files:
            file = election.files["elbase"]
            with failing_table(f"{election.title} {file.name}", total, ready):
                _read_raw(con, file, "elbase", "probe_elbase")
            base = "probe_elbase"
        level = _constituency_level(con, base)
        report = DatasetImport(
            dataset="", title=dataset_title(election), files_skipped=list(election.skipped)
        )
        staged = _StagedElection(election, database, report)
        metadata = _metadata(election)
        for stem in sorted(election.files):
            file = election.files[stem]
            resource = resource_name(election, stem)
            with failing_table(f"{election.title} {file.name}", total, ready):
                table, fields, problems = _load_file(
                    con, stem, file, keep_birth_date=keep_birth_date, constituency_level=level
                )
                personal = stem in PERSONAL_FILES
                columns = con.table(table).columns
                ready_rows = stage_rows(
                    settings,
                    con.table(table),
                    publisher=CEC,
                    title=report.title,
                    resource=resource,
                    dataset_id=dataset_id(election),
                    former_names=(former_resource_name(election, stem),),
                    fields=fields,
                    metadata=metadata,
                    source_file=f"{election.folder.name}/{file.name}",
                    legal_basis=legal_basis_for(election.title, columns) if personal else None,
                    exception=None if personal else not_about_people(columns),
                )
            rows_in, rows_out = con.execute(
                f"SELECT (SELECT count(*) FROM raw_{stem}), (SELECT count(*) FROM {table})"
            ).fetchall()[0]
            report.files_read.append(file.name)
            report.rows_in += int(rows_in)
            report.rows_out += int(rows_out)
            if rows_in != rows_out:
                problems.append(
                    {"file": file.name, "code": "blank_rows", "count": int(rows_in - rows_out),
                     "message": f"{file.name}: {rows_in - rows_out} rows have an empty first "
                     "column (blank lines); they are left out"}
                )  # fmt: skip
            report.problems.extend(problems)
            staged.tables.append((table, ready_rows))
            ready.append(f"{election.title} {file.name}")
        return staged
    finally:
        con.close()


def _publish_elections(settings: Settings, staged: list[_StagedElection]) -> list[DatasetImport]:
    """Publish every election's tables in one batch: all or none."""
    with ExitStack() as open_databases:
        tables = []
        for election in staged:
            con = duckdb.connect(str(election.database), read_only=True)
            open_databases.callback(con.close)
            tables += [(con.table(table), rows) for table, rows in election.tables]
        published = iter(publish_all_staged(settings, tables))
        for election in staged:
            for _ in election.tables:
                imported = next(published)
                election.report.dataset = imported.dataset
                election.report.resources.append(imported)
    return [election.report for election in staged]


def import_elections(
    settings: Settings, path: str | Path, *, keep_birth_date: bool = False
) -> ImportResult:
    """Import every election under ``path`` (a folder, a tree, or votedata.zip).

    All or none: every file of every election is read, typed and screened, then every table
    is published in one batch (written, then registered in one catalog transaction), so a
    file that fails anywhere in the tree leaves every election at its previous versions; a
    reading or screening failure names the file. Files that are not read (not CEC files,
    a second copy of one, outside any election folder) are listed in the report with why."""
    source = Path(path)
    workdir = Path(tempfile.mkdtemp(prefix="kaifang-elections-"))
    try:
        root = source
        if source.is_file() and source.suffix.lower() == ".zip":
            root = extract_votedata(source, workdir / "votedata")
        elections = find_elections(root)
        ensure_publisher(settings, CEC)
        total = sum(len(e.files) for e in elections)
        ready: list[str] = []
        staged = [
            _stage_election(
                settings,
                election,
                keep_birth_date=keep_birth_date,
                workdir=workdir,
                ready=ready,
                total=total,
            )
            for election in elections
        ]
        result = ImportResult(files_skipped=files_outside(root, elections))
        result.datasets = _publish_elections(settings, staged)
        return result
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
