"""Spellings real files use, bad lines reported with file and line, and wrong files refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from kaifang.catalog.db import open_catalog
from kaifang.errors import ReadError
from kaifang.query import run_sql
from kaifang.query.resolver import catalog_resolver
from kaifang.settings import Settings
from kaifang.sources.freeway.importer import import_freeway
from kaifang.storage import VersionStore

M04A_LINES = [
    "2024/04/16 00:00,01F0005S,01F0017S,31,45,12",  # 2024 slash spelling
    "2024/04/16 00:15,01F0005S,01F0017S,31",  # line 2: a column short
    "2016/6/6 07:25,01F0005S,01F0017S,31,50,3",  # 2016, not zero-padded
    "2024-04-16 00:05:00,01F0005S,01F0017S,31,47,9",  # manual spelling, with seconds
    "2024/04/16 00:10,01F0005S,01F0017S,31,abc,9",  # line 5: not a number
    "2024/13/45 00:10,01F0005S,01F0017S,31,40,9",  # line 6: impossible date
    "2024/04/16 00:20,01F0005S,01F0017S,31,40,9,7",  # line 7: a value too many
]


def _write(path: Path, lines: list[str], newline: str = "\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((newline.join(lines) + newline).encode("utf-8"))
    return path


def test_timestamp_spellings_and_problem_lines(settings: Settings, tmp_path: Path) -> None:
    file = _write(tmp_path / "TDCS_M04A_20240416_000000.csv", M04A_LINES, "\r\n")
    result = import_freeway(settings, file).resources[0]
    assert result.rows == 3
    assert [(p["code"], p["file"], p["line"]) for p in result.problems] == [
        ("malformed_line", file.name, 2),
        ("invalid_value", file.name, 5),
        ("invalid_value", file.name, 6),
        ("malformed_line", file.name, 7),
    ]
    with open_catalog(settings) as catalog:
        rows = run_sql(
            "SELECT TimeInterval::VARCHAR, TravelTime FROM freeway_m04a ORDER BY 1",
            resolver=catalog_resolver(catalog, VersionStore(settings)),
            settings=settings,
        ).rows
    assert rows == [
        ("2016-06-06 07:25:00", 50),
        ("2024-04-16 00:00:00", 45),
        ("2024-04-16 00:05:00", 47),
    ]


@pytest.mark.parametrize(
    ("name", "line", "message"),
    [
        ("TDCS_M03A_20240325_000000.csv", "2024/03/25 00:00,01F0005S,01F0017S,31,4", "M08A"),
        ("TDCS_M06A_20240325_000000.csv", "2024-03-25 00:00,01F0005S,S,31,4", "M03A"),
        ("traffic.csv", "2024/03/25 00:00,01F0005S,01F0017S,31,4,5", "M04A or M05A"),
        ("TDCS_M03A_20240325_000500.csv", "hello,world", "no TDCS dataset"),
    ],
)
def test_name_and_content_must_agree(
    settings: Settings, tmp_path: Path, name: str, line: str, message: str
) -> None:
    file = _write(tmp_path / name, [line])
    with pytest.raises(ReadError) as caught:
        import_freeway(settings, file)
    assert name in caught.value.message
    assert message in caught.value.message


def test_nothing_readable_is_an_error(settings: Settings, tmp_path: Path) -> None:
    file = _write(tmp_path / "TDCS_M03A_20240325_000000.csv", ["2024-03-25 99:99,01F0005S,S,31,4"])
    with pytest.raises(ReadError, match="no M03A row could be read"):
        import_freeway(settings, file)
