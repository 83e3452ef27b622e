"""docs/data-directory.md describes the layout the code writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from kaifang.storage import ROW_GROUP_ROWS, ROWS_PER_FILE
from kaifang.storage.layout import MANIFEST_NAME, NULL_PARTITION, RESOURCE_ID_PATTERN, STAGING_DIR
from kaifang.storage.manifest import FORMAT_VERSION, STORE_KEYS

DOC = Path(__file__).resolve().parents[2] / "docs" / "data-directory.md"


@pytest.mark.parametrize(
    "fact",
    [
        MANIFEST_NAME,
        STAGING_DIR,
        NULL_PARTITION,
        RESOURCE_ID_PATTERN.pattern,
        f"{ROW_GROUP_ROWS:,}",
        f"{ROWS_PER_FILE:,}",
        f"`{FORMAT_VERSION}`",
        "catalog.sqlite",
        "locks/<resource_id>.lock",
        *(f"`{key}`" for key in STORE_KEYS),
    ],
)
def test_the_data_directory_doc_states(fact: str) -> None:
    assert fact in DOC.read_text(encoding="utf-8")
