"""``kaifang --help`` lists every command from its summary without importing any command
module, and the summaries say what each command's own help says."""

from __future__ import annotations

import json
import subprocess
import sys

import click
import pytest

from kaifang.cli import COMMANDS, SUMMARIES, cli
from kaifang.cli.lazy import shorten

HEAVY = ("duckdb", "pyarrow", "sqlalchemy", "fastapi", "starlette", "uvicorn", "rich", "pyspark")


def test_every_command_has_its_own_summary() -> None:
    assert sorted(SUMMARIES) == sorted(COMMANDS)
    context = click.Context(cli)
    for name in COMMANDS:
        command = cli.get_command(context, name)
        assert command is not None
        assert SUMMARIES[name] == command.get_short_help_str(limit=10_000), name


def test_help_imports_no_heavy_module() -> None:
    script = (
        "import sys\n"
        "from kaifang.cli import cli\n"
        "try:\n"
        "    cli.main(['--help'], prog_name='kaifang', standalone_mode=False)\n"
        "finally:\n"
        "    import json\n"
        "    loaded = sorted({m.split('.')[0] for m in sys.modules})\n"
        "    sys.stderr.write(json.dumps(loaded))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert "Commands:" in run.stdout
    for name in COMMANDS:
        assert f"  {name} " in run.stdout
    loaded = set(json.loads(run.stderr))
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("Run read-only SQL.", 40, "Run read-only SQL."),
        ("Screen FILE for personal data: each column", 20, "Screen FILE for..."),
        ("one two three", 13, "one two three"),
        ("one two three", 12, "one two..."),
    ],
)
def test_shorten_cuts_at_a_word(text: str, limit: int, expected: str) -> None:
    assert shorten(text, limit) == expected
    assert len(shorten(text, limit)) <= limit
