"""``kaifang --help`` lists every command from its summary without importing any command
module, and the summaries say what each command's own help says."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from kaifang.catalog import create_organization, open_catalog
from kaifang.cli import COMMANDS, SUMMARIES, cli
from kaifang.cli.lazy import shorten
from kaifang.publish import publish_file
from kaifang.settings import load_settings

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


# What a read-only catalog command must not import on a SQLite catalog at the head
# migration: it reads with sqlite3 (kaifang.catalog.quick), so no SQLAlchemy nor Alembic, no
# DuckDB or PyArrow (no version to compare, a local store), no HTTP stack; with --json not
# even rich. The history of a resource with two versions compares them in DuckDB (and only
# that command needs it).
CATALOG_HEAVY = (
    "sqlalchemy",
    "alembic",
    "duckdb",
    "pyarrow",
    "fastapi",
    "starlette",
    "uvicorn",
    "pydantic",
    "pyspark",
)


@pytest.mark.sqlite
@pytest.mark.parametrize(
    ("args", "also_absent", "needed"),
    [
        (["datasets", "--json"], ("rich",), ()),
        (["datasets", "--search", "件數", "--json"], ("rich",), ()),
        (["datasets"], (), ()),
        (["show", "counts", "--json"], ("rich",), ()),
        (["show", "counts"], (), ()),
        (["org", "list", "--json"], ("rich",), ()),
        (["history", "counts", "--json"], ("rich",), ()),
        (["history", "counts"], (), ()),
        (["history", "twice", "--json"], ("rich",), ("duckdb",)),
        (["score", "counts", "--json"], ("rich",), ()),
        (["score", "counts"], (), ()),
    ],
)
def test_catalog_commands_import_no_heavy_module(
    tmp_path: Path, args: list[str], also_absent: tuple[str, ...], needed: tuple[str, ...]
) -> None:
    settings = load_settings({}, data_dir=tmp_path / "data")
    with open_catalog(settings) as catalog:
        create_organization(catalog, "379130000E", name="臺北市政府警察局")
    path = tmp_path / "counts.csv"
    path.write_text("縣市,件數\n臺北市,10\n新北市,12\n", encoding="utf-8")
    publish_file(settings, path, org="379130000E", title="件數", dataset_id="counts")
    twice = tmp_path / "twice.csv"  # a resource with two versions
    twice.write_text("縣市,件數\n臺北市,10\n", encoding="utf-8")
    publish_file(settings, twice, org="379130000E", title="兩版", dataset_id="twice")
    twice.write_text("縣市,件數\n臺北市,11\n新北市,3\n", encoding="utf-8")
    publish_file(settings, twice, org="379130000E", dataset="twice")
    script = (
        "import sys, json\n"
        "from kaifang.cli import cli\n"
        "try:\n"
        f"    cli.main({[*args]!r}, prog_name='kaifang', standalone_mode=False)\n"
        "finally:\n"
        "    sys.stderr.write(json.dumps(sorted(sys.modules)))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env={**os.environ, "KAIFANG_DATA_DIR": str(settings.data_dir)},
    )
    assert run.stdout.strip()
    loaded = {m.split(".")[0] for m in json.loads(run.stderr)}
    present = {m for m in (*CATALOG_HEAVY, *also_absent) if m in loaded and m not in needed}
    assert not present, sorted(present)
    assert set(needed) <= loaded
