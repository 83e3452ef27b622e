"""What the catalog keeps about each version for openness scoring: how the agency's file was
read (sniffed format and encoding) and its reading problems."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from kaifang.catalog import open_catalog
from kaifang.catalog.models import Version
from kaifang.publish import publish_file, rollback
from kaifang.publish.manifest import MAX_PROBLEMS_IN_SUMMARY
from kaifang.settings import Settings
from tests.publishing import ORG

HEADER = "行政區,案類,件數"
ROWS = [f"臺北市中山區,住宅竊盜,{n + 3}" for n in range(1_000)]  # 8 bad cells stay under 1 %


def summaries(settings: Settings) -> list[dict[str, object]]:
    with open_catalog(settings) as catalog, catalog.read() as session:
        return [v.summary for v in session.scalars(select(Version).order_by(Version.id))]


def test_summary_keeps_source_format_encoding_and_problems(
    org_settings: Settings, tmp_path: Path
) -> None:
    bad = [*ROWS[:10], *(f"臺北市大安區,汽車竊盜,約{n}件" for n in range(8)), *ROWS[10:]]
    path = tmp_path / "theft.csv"
    path.write_bytes(("\r\n".join([HEADER, *bad]) + "\r\n").encode("cp950"))
    result = publish_file(org_settings, path, org=ORG, title="竊盜")
    rollback(org_settings, result.resource, to=1)
    first, rolled_back = summaries(org_settings)
    assert first["source"] == {"format": "csv", "encoding": "cp950"}
    reading = first["reading"]
    assert isinstance(reading, dict)
    assert reading["problem_count"] == 8
    assert len(reading["problems"]) == MAX_PROBLEMS_IN_SUMMARY
    assert reading["problems"][0]["row"] == 11
    assert reading["problems"][0]["column"] == "件數"
    assert rolled_back["source"] == first["source"]  # a rollback restores the old reading


def test_a_clean_file_has_no_problems(org_settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "theft.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    publish_file(org_settings, path, org=ORG, title="竊盜")
    [summary] = summaries(org_settings)
    assert summary["reading"] == {"problems": [], "problem_count": 0}
    assert summary["source"] == {"format": "csv", "encoding": "utf-8"}
