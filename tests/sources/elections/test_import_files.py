"""No silent skips and all or none: every file under an election tree is imported or listed
with the reason it was not; names are matched by pattern; a file that fails anywhere in the
tree publishes nothing and the error names it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kaifang.catalog.db import open_catalog
from kaifang.catalog.models import Version
from kaifang.errors import ReadError
from kaifang.settings import Settings
from kaifang.sources.elections.generate import ElectionsPlan, generate_elections
from kaifang.sources.elections.importer import import_elections


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cec_files")
    generate_elections(out, ElectionsPlan(seed=4, scale=0.03))
    return out


@pytest.fixture
def tree(generated: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "voteData"
    shutil.copytree(generated / "voteData", copy)
    return copy


def _versions(settings: Settings) -> int:
    with open_catalog(settings) as catalog, catalog.read() as session:
        return int(session.scalar(select(func.count()).select_from(Version)) or 0)


def test_names_by_pattern_and_every_other_file_listed(settings: Settings, tree: Path) -> None:
    folder = tree / "2020總統立委" / "總統"
    (folder / "elctks.csv").rename(folder / "ELCTKS_P1.CSV")
    (folder / "elcand.csv").rename(folder / "elcand(1).csv")
    shutil.copy(folder / "elpaty.csv", folder / "elpaty_copy.csv")
    (folder / "rfarea.csv").write_text("1,2\n", encoding="utf-8")
    (folder / "說明.txt").write_text("readme\n", encoding="utf-8")
    (tree / "選舉種類代碼.xlsx").write_bytes(b"PK\x03\x04")

    result = import_elections(settings, tree)
    report = next(d for d in result.datasets if d.title.endswith("2020總統立委 總統"))
    stems = sorted(r.resource.rsplit("_", 1)[1] for r in report.resources)
    assert stems == ["elbase", "elcand", "elctks", "elpaty", "elprof"]
    assert "ELCTKS_P1.CSV" in report.files_read
    assert "elcand(1).csv" in report.files_read
    reasons = {s["file"]: s["reason"] for s in result.to_dict()["files_skipped"]}
    assert reasons["elpaty_copy.csv"] == "another elpaty file in this folder is read: elpaty.csv"
    assert reasons["rfarea.csv"].startswith("a referendum file")
    assert reasons["說明.txt"].startswith("not a CEC voteData file")
    assert reasons["選舉種類代碼.xlsx"].startswith("not in an election folder")
    assert report.rows_in >= report.rows_out > 0


def test_a_failing_file_publishes_no_election(settings: Settings, tree: Path) -> None:
    folders = sorted({p.parent for p in tree.rglob("elprof.csv")})
    assert len(folders) >= 4
    import_elections(settings, tree)
    before = _versions(settings)

    for folder in folders:  # every election gets new rows...
        with (folder / "elpaty.csv").open("a", encoding="utf-8") as handle:
            handle.write("9001,新政黨\n")
    broken = folders[2] / "elprof.csv"  # ...and the third election's elprof is Big5 text
    broken.write_bytes(broken.read_bytes() + "0,0,0,0,0,0,中文\n".encode("cp950"))

    with pytest.raises(ReadError) as failed:
        import_elections(settings, tree)
    assert "elprof.csv" in str(failed.value)
    assert "so no table was published" in str(failed.value)
    assert _versions(settings) == before


def test_a_file_that_gained_a_column_publishes_no_election(settings: Settings, tree: Path) -> None:
    """Headerless files are read by position: a party file with a third column (a layout the
    importer does not know) would lose that column without a word, so it is refused."""
    folder = next(p.parent for p in sorted(tree.rglob("elpaty.csv")))
    lines = (folder / "elpaty.csv").read_text(encoding="utf-8").splitlines()
    lines[1] += ",多出來的欄位"
    (folder / "elpaty.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ReadError) as failed:
        import_elections(settings, tree)
    assert failed.value.row == 2
    assert "elpaty.csv" in str(failed.value)
    assert "more than the 2 cells" in str(failed.value)
    assert _versions(settings) == 0
