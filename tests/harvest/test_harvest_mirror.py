"""``mirror`` mode publishes each remote file through the normal publish path: a clean file
becomes a version here, a file with personal data is held back by the privacy gate (and
reported, not published), and a second run with nothing changed makes no new version."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from kaifang.catalog import open_catalog
from kaifang.catalog.models import Dataset, HarvestRecord
from kaifang.harvest.run import run_source
from kaifang.harvest.sources import add_source, source_status
from kaifang.settings import Settings
from tests.harvest.conftest import HOME_ORG, write_csv
from tests.harvest.test_harvest_dcat import PREFIXES


def dist_ttl(key: str, title: str, file_url: str) -> str:
    return f"""
<https://county.example/dataset/{key}> a dcat:Dataset ;
    dct:identifier "{key}" ;
    dct:title "{title}" ;
    dct:license <https://data.gov.tw/license> ;
    dcat:distribution [ a dcat:Distribution ; dct:title "{key}" ;
        dcat:downloadURL <{file_url}> ; dct:format "CSV" ] .
"""


def test_mirror_publishes_clean_files_and_holds_personal_data(
    home: Settings, file_server: tuple[str, Path], tmp_path: Path
) -> None:
    base, folder = file_server
    write_csv(folder / "libraries.csv", ["library", "district", "books"],
              [[f"圖書館{i}", f"第{i % 5}區", 1000 + i] for i in range(40)])  # fmt: skip
    people = [[f"王小{chr(0x4E00 + i)}", f"A1{i:08d}", f"0912{i:06d}"] for i in range(40)]
    write_csv(folder / "petition.csv", ["姓名", "身分證字號", "手機"], people)
    catalog_file = tmp_path / "county.ttl"
    catalog_file.write_text(
        PREFIXES
        + dist_ttl("libraries", "縣立圖書館藏書量", f"{base}/libraries.csv")
        + dist_ttl("petition", "陳情人名冊", f"{base}/petition.csv"),
        "utf-8",
    )
    with open_catalog(home) as catalog:
        add_source(catalog, "county", catalog_file.as_uri(), kind="dcat", org=HOME_ORG,
                   mode="mirror")  # fmt: skip
        first = run_source(home, catalog, "county")
        status = source_status(catalog, "county")
        with catalog.read() as session:
            titles = {d.title: d for d in session.scalars(select(Dataset))}
            libraries = titles.get("縣立圖書館藏書量")
            versions = [
                (r.name, r.current_version, r.current.rows if r.current else 0)
                for r in (libraries.resources if libraries else [])
            ]
            held = session.scalar(
                select(HarvestRecord).where(HarvestRecord.remote_id == "petition")
            )
            held_state = (held.state, held.dataset_id) if held else None
    assert first.counts["created"] == 1 and first.counts["held"] == 1, first.to_dict()
    assert "陳情人名冊" not in titles  # held back: not published, not listed
    assert versions == [("libraries", 1, 40)]
    assert held_state == ("held", None)
    reason = next(f["reason"] for f in first.failures if f["kind"] == "held")
    assert "petition.csv" in reason and "姓名" in reason and "手機" in reason
    assert {"remote_id": "petition", "state": "held"}.items() <= status["not_active"][0].items()

    with open_catalog(home) as catalog:
        second = run_source(home, catalog, "county")
        with catalog.read() as session:
            dataset = session.scalar(select(Dataset).where(Dataset.title == "縣立圖書館藏書量"))
            assert dataset is not None
            current = [r.current_version for r in dataset.resources]
    assert second.counts["created"] == second.counts["updated"] == 0
    assert second.counts["unchanged"] == 1 and second.counts["held"] == 1
    assert current == [1]  # no new version
