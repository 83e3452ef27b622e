from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from kaifang.cli import cli
from kaifang.reading import open_table

THEFT = "編號,案類,發生日期,發生時段\n1,住宅竊盜,1040101,00~02\n2,住宅竊盜,1040102,K\n"


def test_json_equals_the_library_report(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "theft.csv"
    path.write_bytes(THEFT.encode("cp950"))
    result = runner.invoke(cli, ["inspect", str(path), "--json", "--preview", "2"])
    assert result.exit_code == 0, result.output
    with open_table(path) as table:
        expected = table.report(preview=2)
    assert json.loads(result.output) == json.loads(json.dumps(expected, ensure_ascii=False))


def test_json_shape(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "theft.csv"
    path.write_bytes(THEFT.encode("cp950"))
    report = json.loads(runner.invoke(cli, ["inspect", str(path), "--json"]).output)
    assert {k: report[k] for k in ("format", "encoding", "delimiter", "header_row", "rows")} == {
        "format": "csv",
        "encoding": "cp950",
        "delimiter": ",",
        "header_row": 1,
        "rows": 2,
    }
    assert [(c["name"], c["type"]) for c in report["columns"]] == [
        ("編號", "integer"),
        ("案類", "string"),
        ("發生日期", "date"),
        ("發生時段", "string"),
    ]
    assert report["preview"][0] == [1, "住宅竊盜", "2015-01-01", "00~02"]
    assert report["problems"] == []
    assert all(set(c) == {"name", "type", "notes"} for c in report["columns"])


def test_human_output_names_columns_and_problems(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "n.csv"
    path.write_text("n\n" + "".join(f"{i}\n" for i in range(150)) + "K\n", encoding="utf-8")
    result = runner.invoke(cli, ["inspect", str(path), "--preview", "1"])
    assert result.exit_code == 0, result.output
    assert "integer" in result.output
    assert "row 151, column n" in result.output


def test_sheet_option(runner: CliRunner, tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    first = workbook.active
    assert first is not None
    first.title = "a"
    first.append(["x"])
    second = workbook.create_sheet("b")
    second.append(["name", "n"])
    second.append(["甲", 1])
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    report = json.loads(runner.invoke(cli, ["inspect", str(path), "--json", "--sheet", "b"]).output)
    assert report["preview"] == [["甲", 1]]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("report.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"),
        ("logo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        ("empty.csv", b""),
        ("blob.dat", bytes(range(256)) * 4),
    ],
)
def test_not_tabular_is_a_one_line_error(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    proc = subprocess.run(
        [sys.executable, "-m", "kaifang", "inspect", str(path), "--json"],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    assert name in proc.stderr.splitlines()[0]
