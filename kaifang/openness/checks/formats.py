"""Technical openness: F1 machine-readable, F2 open format, F3 declared format = sniffed
format, F4 parses cleanly. Formats are judged as sniffed from the agency's file, not as
declared (ckanext-qa's order of precedence; NDC's 2016 study found 8,313 of 18,505 declared
formats wrong)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from kaifang.openness.checks.base import (
    Check,
    Outcome,
    Text,
    failed,
    listing,
    no_resources,
    passed,
    resource_label,
    sentence,
)
from kaifang.openness.facts import DatasetFacts, ResourceFacts

# Structured data a program can read without a human (5-star ★2).
MACHINE_READABLE_FORMATS = frozenset(
    {
        "csv",
        "tsv",
        "json",
        "jsonl",
        "geojson",
        "xml",
        "kml",
        "gml",
        "xlsx",
        "xls",
        "ods",
        "parquet",
        "shp",
    }
)
# Structured and defined by an open, vendor-neutral specification (5-star ★3).
OPEN_FORMATS = frozenset(
    {"csv", "tsv", "json", "jsonl", "geojson", "xml", "kml", "gml", "ods", "parquet"}
)
# Spellings met in metadata -> the sniffer's name (media types, extensions, upper case...).
FORMAT_ALIASES: dict[str, str] = {
    "text/csv": "csv",
    "application/json": "json",
    "application/geo+json": "geojson",
    "application/xml": "xml",
    "text/xml": "xml",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/pdf": "pdf",
    "text/tab-separated-values": "tsv",
    "ndjson": "jsonl",
}
# Encodings that are not UTF-8 and that Taiwan's agencies commonly export.
LEGACY_ENCODINGS = frozenset({"big5", "cp950", "big5-hkscs", "big5hkscs", "ms950", "x-windows-950"})
MAX_LISTED_PROBLEMS = 5


def normalize_format(value: str | None) -> str:
    """``"CSV"``, ``".csv"`` and ``"text/csv"`` are all ``"csv"``; ``None`` is ``""``."""
    key = (value or "").strip().lower().lstrip(".")
    key = key.split(";")[0].strip()
    return FORMAT_ALIASES.get(key, key)


def is_machine_readable(resource: ResourceFacts) -> bool:
    return normalize_format(resource.sniffed_format) in MACHINE_READABLE_FORMATS


def is_open_format(resource: ResourceFacts) -> bool:
    return normalize_format(resource.sniffed_format) in OPEN_FORMATS


def _label_with_format(resource: ResourceFacts) -> str:
    return f"{resource_label(resource)} ({normalize_format(resource.sniffed_format) or '?'})"


def _machine_readable(facts: DatasetFacts, now: datetime) -> Outcome:
    if not facts.resources:
        return no_resources()
    bad = [_label_with_format(r) for r in facts.resources if not is_machine_readable(r)]
    if not bad:
        return passed(
            "每個資料資源都是機器可讀的結構化格式。",
            "Every resource is in a structured, machine-readable format.",
        )
    return failed(
        Text(
            f"{listing(bad, zh=True)}不是機器可讀格式（如 PDF、圖片、Word）。",
            f"{listing(bad)} are not machine-readable (e.g. PDF, image, Word).",
        ),
        Text(
            f"請將{listing(bad, zh=True)}改以 CSV（UTF-8）或 JSON 提供原始表格資料。",
            f"Provide the underlying table of {listing(bad)} as CSV (UTF-8) or JSON.",
        ),
    )


def _open_format(facts: DatasetFacts, now: datetime) -> Outcome:
    if not facts.resources:
        return no_resources()
    bad = [_label_with_format(r) for r in facts.resources if not is_open_format(r)]
    if not bad:
        return passed(
            "每個資料資源都是開放格式（非專屬格式）。",
            "Every resource is in an open, non-proprietary format.",
        )
    return failed(
        Text(
            f"{listing(bad, zh=True)}是專屬或非開放格式。",
            f"{listing(bad)} are in a proprietary or non-open format.",
        ),
        Text(
            f"請以 CSV（UTF-8）或 ODS 取代{listing(bad, zh=True)}。",
            f"Replace {listing(bad)} with CSV (UTF-8) or ODS.",
        ),
    )


def _declared(resource: ResourceFacts, missing: str) -> str:
    return resource.declared_format.upper() if resource.declared_format else missing


def _declared_format(facts: DatasetFacts, now: datetime) -> Outcome:
    if not facts.resources:
        return no_resources()
    wrong = [
        r
        for r in facts.resources
        if normalize_format(r.declared_format) != normalize_format(r.sniffed_format)
    ]
    if not wrong:
        return passed(
            "每個資料資源標示的格式都與實際檔案相符。",
            "Every resource's declared format matches the file's actual format.",
        )
    zh = [
        f"{resource_label(r)} 標示為 {_declared(r, '（未標示）')}，"
        f"實際為 {normalize_format(r.sniffed_format).upper()}"
        for r in wrong
    ]
    en = [
        f"{resource_label(r)} is declared as {_declared(r, '(nothing)')} "
        f"but is {normalize_format(r.sniffed_format).upper()}"
        for r in wrong
    ]
    fix_zh = [f"{resource_label(r)} → {normalize_format(r.sniffed_format).upper()}" for r in wrong]
    return failed(
        Text("；".join(zh) + "。", "; ".join(en) + "."),
        Text(
            f"請修正詮釋資料的格式欄位：{'、'.join(fix_zh)}。",
            f"Correct the format in the metadata: {', '.join(fix_zh)}.",
        ),
    )


def _problem_line(problem: Mapping[str, Any]) -> tuple[str, str]:
    if not isinstance(problem, Mapping):
        return (str(problem), str(problem))
    where_zh = []
    where_en = []
    if problem.get("row") is not None:
        where_zh.append(f"第 {problem['row']} 列")
        where_en.append(f"row {problem['row']}")
    if problem.get("column"):
        where_zh.append(f"欄位「{problem['column']}」")
        where_en.append(f"column '{problem['column']}'")
    message = problem.get("message") or problem.get("code") or ""
    if not where_en:
        return (message, message)
    return (" ".join(where_zh) + f"：{message}", ", ".join(where_en) + f": {message}")


def _parses_cleanly(facts: DatasetFacts, now: datetime) -> Outcome:
    if not facts.resources:
        return no_resources()
    troubled = [r for r in facts.resources if r.total_problems]
    if not troubled:
        legacy = [r for r in facts.resources if _is_legacy_encoding(r.source_encoding)]
        note_zh = note_en = ""
        if legacy:
            labels = [resource_label(r) for r in legacy]
            note_zh = f"（{listing(labels, zh=True)}原為 Big5，已無誤轉為 UTF-8）"
            note_en = f" ({listing(labels)} came in Big5 and was converted to UTF-8 without loss)"
        return passed(
            f"每個資料資源的現行版本讀取時沒有任何問題{note_zh}。",
            f"The current version of every resource reads without problems{note_en}.",
        )
    zh_lines, en_lines, fix_zh, fix_en = [], [], [], []
    for resource in troubled:
        label = resource_label(resource)
        total = resource.total_problems
        shown = [_problem_line(p) for p in list(resource.problems)[:MAX_LISTED_PROBLEMS]]
        zh_lines.append(f"{label} 有 {total} 個讀取問題：" + "；".join(z for z, _ in shown))
        en_lines.append(
            f"{label} has {total} reading problem(s): " + "; ".join(e for _, e in shown)
        )
        if _is_legacy_encoding(resource.source_encoding):
            fix_zh.append(f"{label} 請改以 UTF-8 編碼匯出（原檔為 {resource.source_encoding}）")
            fix_en.append(f"export {label} as UTF-8 (the file was {resource.source_encoding})")
    fix_zh.insert(
        0, "請修正上列的列與儲存格（每列欄位數須與標題相同、每個值須符合欄位型別）後重新發布"
    )
    fix_en.insert(
        0,
        "fix the rows and cells listed (every row as many cells as the header, every value "
        "of its column's type), then publish again",
    )
    return failed(
        Text("。".join(zh_lines) + "。", ". ".join(en_lines) + "."),
        Text("；".join(fix_zh) + "。", sentence("; ".join(fix_en))),
    )


def _is_legacy_encoding(encoding: str | None) -> bool:
    return (encoding or "").strip().lower().replace("_", "-") in LEGACY_ENCODINGS


MACHINE_READABLE = Check(
    "F1", "machine-readable", Text("機器可讀", "Machine-readable"), 8, _machine_readable
)
OPEN_FORMAT = Check("F2", "open-format", Text("開放格式", "Open format"), 5, _open_format)
DECLARED_FORMAT_MATCHES = Check(
    "F3",
    "declared-format-matches",
    Text("標示格式與實際相符", "Declared format matches the file"),
    3,
    _declared_format,
)
PARSES_CLEANLY = Check(
    "F4", "parses-cleanly", Text("可正確解析", "Parses cleanly"), 5, _parses_cleanly
)
