"""docs/metadata.md documents every metadata key, category and license."""

from __future__ import annotations

from pathlib import Path

import pytest

from kaifang.catalog import CATEGORIES, LICENSES
from kaifang.catalog.metadata import METADATA_KEYS, UPDATE_FREQUENCIES

DOC = (Path(__file__).resolve().parents[2] / "docs" / "metadata.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("key", METADATA_KEYS)
def test_every_metadata_key_is_documented(key: str) -> None:
    assert f"| `{key}` |" in DOC


def test_categories_licenses_and_frequencies_are_documented() -> None:
    for cat in CATEGORIES:
        assert f"| `{cat.code}` | {cat.name} | {cat.name_en} |" in DOC
    for lic in LICENSES:
        assert f"| `{lic.id}` |" in DOC
    for frequency in UPDATE_FREQUENCIES:
        assert f"`{frequency}`" in DOC


@pytest.mark.parametrize(
    "command",
    [
        "org create",
        "user create",
        "token create",
        "publish",
        "datasets",
        "show",
        "history",
        "rollback",
        "query",
    ],
)
def test_readme_lists_the_publishing_commands(command: str) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert f"kaifang {command}" in readme
