"""docs/openness.md documents every check with its points, and the GODI weights."""

from __future__ import annotations

import re
from pathlib import Path

from kaifang.openness import RUBRIC
from kaifang.openness.godi import GODI_2015

DOC = (Path(__file__).parents[2] / "docs" / "openness.md").read_text(encoding="utf-8")


def _table_rows(pattern: str) -> dict[str, int]:
    return {m.group(1): int(m.group(2)) for m in re.finditer(pattern, DOC, re.MULTILINE)}


def test_the_rubric_table_matches_the_code() -> None:
    documented = _table_rows(r"^\| ([A-Z]\d?) \| [a-z-]+ \| [^|]+ \| (\d+) \|")
    assert documented == {check.code: check.points for check in RUBRIC}
    for check in RUBRIC:
        assert f"| {check.code} | {check.slug} |" in DOC


def test_the_godi_table_matches_the_code() -> None:
    documented = _table_rows(r"^\| ([a-z-]+) \| (\d+) \| ")
    assert documented == {q.code: q.points for q in GODI_2015}
