"""A multi-table freeway import publishes all tables or none: a table that cannot be read
(here the gantry table, read last) leaves the tables before it at their previous versions,
and the error names the table that failed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kaifang.errors import ReadError
from kaifang.settings import Settings
from kaifang.sources.freeway.generate import FreewayPlan, generate_freeway
from kaifang.sources.freeway.importer import import_freeway
from kaifang.storage import VersionStore

PLAN = FreewayPlan(scale=0.02, seed=5, datasets=("M03A", "M04A"))


def _bump_first_count(folder: Path) -> None:
    first = sorted(folder.rglob("TDCS_*.csv"))[0]
    lines = first.read_text(encoding="utf-8").splitlines()
    cells = lines[0].split(",")
    lines[0] = ",".join([*cells[:-1], "4321"])
    first.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_failing_table_leaves_every_table_at_its_previous_version(
    settings: Settings, tmp_path: Path
) -> None:
    source = tmp_path / "tdcs"
    generated = generate_freeway(source, PLAN)
    assert generated.gantry_table is not None
    first = import_freeway(settings, source)
    assert [(r.code, r.version) for r in first.resources] == [
        ("M03A", 1), ("M04A", 1), ("gantries", 1)
    ]  # fmt: skip

    changed = tmp_path / "changed"
    shutil.copytree(source, changed)
    _bump_first_count(changed / "M03A")
    _bump_first_count(changed / "M04A")
    table = changed / generated.gantry_table.name
    table.write_bytes(table.read_bytes() + b"\xff\xfe broken\n")

    with pytest.raises(ReadError) as failed:
        import_freeway(settings, changed)
    assert "gantries (table 3 of 3) failed, so no table was published" in str(failed.value)
    assert failed.value.details["failed_table"] == "gantries"
    store = VersionStore(settings)
    assert store.list_versions("freeway_m03a") == [1]
    assert store.list_versions("freeway_m04a") == [1]

    # The same files with the table repaired publish both changes.
    shutil.copy(source / generated.gantry_table.name, table)
    again = import_freeway(settings, changed)
    assert [(r.code, r.version) for r in again.resources][:2] == [("M03A", 2), ("M04A", 2)]
