"""Bad input: a clear error naming what is wrong and how to fix it, and nothing written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kaifang.errors import KaifangError, NotFoundError, ReadError, ValidationError
from kaifang.publish import publish_file
from kaifang.settings import Settings
from tests.publishing import (
    ORG,
    THEFT_HEADER,
    THEFT_ROWS,
    WriteCsv,
    catalog_counts,
    stored_files,
)


def _meta(tmp: Path, text: str) -> Path:
    path = tmp / "meta.yaml"
    path.write_text(text, encoding="utf-8")
    return path


CASES: list[tuple[str, Callable[[Path], dict[str, Any]], type[KaifangError], list[str]]] = [
    (
        "unknown organization",
        lambda tmp: {"org": "000000000X", "title": "t"},
        NotFoundError,
        ["000000000X", "kaifang org create"],
    ),
    (
        "unknown license",
        lambda tmp: {"org": ORG, "title": "t", "license": "WTFPL"},
        ValidationError,
        ["WTFPL", "OGDL-Taiwan-1.0"],
    ),
    (
        "unknown license in metadata",
        lambda tmp: {"org": ORG, "metadata": _meta(tmp, "title: t\nlicense: GPL\n")},
        ValidationError,
        ["license", "CC-BY-4.0"],
    ),
    (
        "missing title",
        lambda tmp: {"org": ORG},
        ValidationError,
        ["title", "--title"],
    ),
    (
        "unknown metadata key",
        lambda tmp: {"org": ORG, "metadata": _meta(tmp, "title: t\ncolour: red\n")},
        ValidationError,
        ["colour", "valid keys"],
    ),
    (
        "description of a column the file lacks",
        lambda tmp: {"org": ORG, "metadata": _meta(tmp, "title: t\nfields: {nope: x}\n")},
        ValidationError,
        ["nope", "案類"],
    ),
    (
        "unknown dataset",
        lambda tmp: {"org": ORG, "dataset": "no_such_dataset"},
        NotFoundError,
        ["no_such_dataset", "kaifang datasets"],
    ),
    (
        "missing metadata file",
        lambda tmp: {"org": ORG, "title": "t", "metadata": tmp / "missing.yaml"},
        ValidationError,
        ["missing.yaml", "--metadata"],
    ),
    (
        "policy that is not a mapping",
        lambda tmp: {"org": ORG, "title": "t", "policy": _meta(tmp, "- a\n")},
        ValidationError,
        ["meta.yaml", "mapping"],
    ),
]


@pytest.mark.parametrize(
    ("options", "error", "mentions"),
    [pytest.param(o, e, m, id=name) for name, o, e, m in CASES],
)
def test_bad_publish_writes_nothing(
    org_settings: Settings,
    write_csv: WriteCsv,
    tmp_path: Path,
    options: Callable[[Path], dict[str, Any]],
    error: type[KaifangError],
    mentions: list[str],
) -> None:
    file = write_csv("theft.csv", THEFT_HEADER, THEFT_ROWS)
    before = catalog_counts(org_settings)
    with pytest.raises(error) as caught:
        publish_file(org_settings, file, **options(tmp_path))
    for text in mentions:
        assert text in str(caught.value)
    assert catalog_counts(org_settings) == before
    assert stored_files(org_settings) == []


@pytest.mark.parametrize(
    ("content", "mentions"),
    [(None, "not found"), (b"", "empty"), (b"\x00\x01\x02\xff\xfe" * 50, "bad.csv")],
)
def test_unreadable_file_writes_nothing(
    org_settings: Settings, tmp_path: Path, content: bytes | None, mentions: str
) -> None:
    file = tmp_path / "bad.csv"
    if content is not None:
        file.write_bytes(content)
    before = catalog_counts(org_settings)
    with pytest.raises(ReadError) as caught:
        publish_file(org_settings, file, org=ORG, title="t")
    assert mentions in str(caught.value)
    assert "bad.csv" in str(caught.value)
    assert catalog_counts(org_settings) == before
    assert stored_files(org_settings) == []
