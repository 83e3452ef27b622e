from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from kaifang import __version__
from kaifang.cli import cli


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_help_lists_commands(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "--data-dir" in result.output
    assert "inspect" in result.output


def test_bad_file_is_one_line_error_not_traceback(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    proc = subprocess.run(
        [sys.executable, "-m", "kaifang", "inspect", str(empty), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "empty.csv" in proc.stderr


def test_inspect_json_is_one_object(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,x\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "kaifang", "inspect", str(path), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(proc.stdout)
    assert report["rows"] == 1
    assert [c["name"] for c in report["columns"]] == ["a", "b"]
