"""The openness routes, and the recorded score in dataset listings and detail."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kaifang.app import create_app
from kaifang.catalog import create_organization, open_catalog
from kaifang.publish import PublishResult, publish_file
from kaifang.scoring import dataset_openness, rescore_all
from kaifang.settings import Settings
from kaifang.storage import VersionStore
from tests.catalogs import Catalogs
from tests.scoring.conftest import (
    ORG,
    ORG_NAME,
    OTHER_ORG,
    SCHOOL_HEADER,
    SCHOOL_ROWS,
    SCREENED,
    metadata,
    set_screening,
)


@dataclass(frozen=True)
class Scored:
    settings: Settings
    schools: PublishResult
    theft: PublishResult
    client: TestClient


def _write(path: Path, header: tuple[str, ...], rows: list[tuple[object, ...]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [",".join(header), *(",".join(str(v) for v in row) for row in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory, catalogs: Catalogs) -> Iterator[Scored]:
    root = tmp_path_factory.mktemp("openness")
    settings = catalogs.settings(root / "data", rate_limit=0)
    with open_catalog(settings) as catalog:
        create_organization(catalog, ORG, name=ORG_NAME)
        create_organization(catalog, OTHER_ORG, name="=cmd|' /C calc'!A0")
    schools = publish_file(
        settings,
        _write(root / "schools.csv", SCHOOL_HEADER, list(SCHOOL_ROWS)),
        org=ORG,
        title="國小名錄",
        metadata=metadata(),
    )
    set_screening(settings, schools.resource, SCREENED)
    theft = publish_file(
        settings,
        _write(root / "theft.csv", ("編號", "案類"), [(1, "住宅竊盜"), (2, "汽車竊盜")]),
        org=OTHER_ORG,
        title="竊盜點位",
    )
    with open_catalog(settings) as catalog:
        rescore_all(catalog, VersionStore(settings), now=datetime.now(UTC))
    with TestClient(create_app(settings)) as client:
        yield Scored(settings, schools, theft, client)


def test_dataset_openness_is_the_library_result(scored: Scored) -> None:
    response = scored.client.get(f"/api/datasets/{scored.schools.dataset}/openness")
    assert response.status_code == 200
    body = response.json()
    with open_catalog(scored.settings) as catalog:
        expected = dataset_openness(
            catalog, VersionStore(scored.settings), scored.schools.dataset, now=datetime.now(UTC)
        ).to_dict()
    assert body == expected | {"showcases": 0}  # and how many approved showcases use it
    assert (body["score"], body["band"]["zh"], body["stars"]["level"]) == (100, "金", 5)


def test_unknown_dataset_or_organization_is_a_404_envelope(scored: Scored) -> None:
    for path in ("/api/datasets/nope/openness", "/api/organizations/X000000000/openness"):
        response = scored.client.get(path)
        assert response.status_code == 404
        assert response.json()["error"]["message"]


def test_organization_openness(scored: Scored) -> None:
    body = scored.client.get(f"/api/organizations/{ORG.lower()}/openness").json()
    assert (body["organization"], body["name"], body["mean"], body["gold"]) == (
        ORG,
        ORG_NAME,
        100.0,
        1,
    )
    assert {"split_groups", "overdue", "requests", "trend", "distribution"} <= set(body)


def test_ranking_json_and_csv(scored: Scored) -> None:
    body = scored.client.get("/api/openness/ranking").json()
    assert body["count"] == 2
    assert [(r["organization"], r["rank_by_mean"]) for r in body["data"]] == [
        (ORG, 1),
        (OTHER_ORG, 2),
    ]
    by_gold = scored.client.get("/api/openness/ranking", params={"by": "gold"}).json()
    assert [r["organization"] for r in by_gold["data"]] == [ORG, OTHER_ORG]
    assert scored.client.get("/api/openness/ranking", params={"by": "x"}).status_code in (400, 422)
    response = scored.client.get("/api/openness/ranking.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[2] for row in table[1:]] == [ORG, OTHER_ORG]
    assert table[2][3] == "'=cmd|' /C calc'!A0"


def test_listings_and_detail_show_the_recorded_score(scored: Scored) -> None:
    items = scored.client.get("/api/datasets").json()["data"]
    shown = {d["id"]: d["openness"] for d in items}
    assert shown[scored.schools.dataset] is not None
    assert (shown[scored.schools.dataset]["score"], shown[scored.schools.dataset]["band"]) == (
        100,
        "gold",
    )
    # Screened at publish but with a title alone it loses M1, M2, M3, M4 and T1: bronze
    # (silver asks for documentation and a contact).
    assert (shown[scored.theft.dataset]["score"], shown[scored.theft.dataset]["band"]) == (
        56,
        "bronze",
    )
    detail = scored.client.get(f"/api/datasets/{scored.schools.dataset}").json()
    assert {"score", "band", "stars", "recorded_at"} <= set(detail["openness"])
    assert detail["openness"]["stars"] == 5
