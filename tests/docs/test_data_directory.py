"""docs/data-directory.md names every file and folder the code builds under the data
directory (the names are taken from the code, so a new one fails here until it is listed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kaifang.query.sandbox import temp_directory
from kaifang.query.serving import serving_root
from kaifang.service.uploads import META_FILE
from kaifang.service.usage import USAGE_FILE
from kaifang.settings import load_settings
from kaifang.storage.layout import STAGING_DIR
from kaifang.web.security import KEY_FILE

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = Path("kaifang-data")
SETTINGS = load_settings({}, data_dir=DATA_DIR)


def _under_data_dir(path: Path) -> str:
    return path.relative_to(DATA_DIR).as_posix()


NAMES = [
    Path(SETTINGS.catalog_url.removeprefix("sqlite:///")).name,  # catalog.sqlite
    Path(SETTINGS.tables_url).name,  # tables
    STAGING_DIR,
    "locks/",
    _under_data_dir(serving_root(SETTINGS)),  # cache/serving
    _under_data_dir(temp_directory(SETTINGS)),  # tmp/query
    "uploads/",
    META_FILE,
    USAGE_FILE,
    KEY_FILE,
    "demo-sources/",
    "freeway-spark/",
]


@pytest.mark.parametrize("name", NAMES)
def test_every_data_directory_entry_is_documented(name: str) -> None:
    text = (ROOT / "docs" / "data-directory.md").read_text(encoding="utf-8")
    assert name in text, f"docs/data-directory.md does not list {name!r}"
