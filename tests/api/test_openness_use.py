"""The datasets that people use in the openness views: approved showcases counted per dataset
and per organization (pending and rejected ones never count), the organization's reports not
closed yet and its median days to answer, in the API and on the organization's page."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kaifang.app import create_app
from kaifang.catalog import create_organization, create_token, create_user, open_catalog
from kaifang.publish import publish_file
from tests.catalogs import Catalogs

ORG, OTHER = "315000000H", "379130000E"


@dataclass(frozen=True)
class Used:
    client: TestClient
    schools: str
    teachers: str
    theft: str


def _csv(path: Path, rows: int) -> Path:
    path.write_text("編號,名稱\n" + "".join(f"{i},學校{i}\n" for i in range(rows)), "utf-8")
    return path


@pytest.fixture(scope="module")
def used(tmp_path_factory: pytest.TempPathFactory, catalogs: Catalogs) -> Iterator[Used]:
    root = tmp_path_factory.mktemp("use")
    settings = catalogs.settings(root / "data", rate_limit=0)
    with open_catalog(settings) as catalog:
        create_organization(catalog, ORG, name="教育部")
        create_organization(catalog, OTHER, name="臺北市政府警察局")
        create_user(catalog, "editor", org=ORG, role="editor")
        create_user(catalog, "reader")
        tokens = {name: create_token(catalog, name).token for name in ("editor", "reader")}
    ids = [
        publish_file(settings, _csv(root / f"{name}.csv", 3), org=org, title=title).dataset
        for name, org, title in (
            ("schools", ORG, "School directory"),
            ("teachers", ORG, "Teachers"),
            ("theft", OTHER, "Theft points"),
        )
    ]
    editor = {"Authorization": f"Bearer {tokens['editor']}"}
    reader = {"Authorization": f"Bearer {tokens['reader']}"}
    with TestClient(create_app(settings)) as client:

        def showcase(title: str, datasets: list[str], decision: str | None) -> None:
            body = {"title": title, "url": "https://example.tw/" + title, "kind": "app",
                    "datasets": datasets}  # fmt: skip
            made = client.post("/api/showcases", json=body, headers=reader)
            assert made.status_code == 201, made.text
            if decision:
                review = {"decision": decision}
                url = f"/api/showcases/{made.json()['id']}/review"
                assert client.post(url, json=review, headers=editor).status_code == 200

        schools, teachers, theft = ids
        showcase("both", [schools, teachers], "approved")
        showcase("schools", [schools], "approved")
        showcase("schools-and-theft", [schools, theft], "approved")
        showcase("waiting", [teachers], None)
        showcase("refused", [teachers], "rejected")
        report = {"kind": "outdated", "description": "舊了"}
        for _ in range(2):
            filed = client.post(f"/api/datasets/{schools}/reports", json=report, headers=reader)
            assert filed.status_code == 201, filed.text
        answer = {"response": "已更新"}
        url = f"/api/reports/{filed.json()['id']}"
        assert client.post(f"{url}/answer", json=answer, headers=editor).status_code == 200
        assert client.post(f"{url}/close", json={}, headers=editor).status_code == 200
        yield Used(client, schools, teachers, theft)


def test_organization_openness_counts_approved_showcases(used: Used) -> None:
    view = used.client.get(f"/api/organizations/{ORG}/openness").json()
    per_dataset = {s["dataset"]: s["showcases"] for s in view["scores"]}
    assert per_dataset == {used.schools: 3, used.teachers: 1}  # pending, rejected: no
    assert view["community"] == {
        "showcases": 3,
        "datasets_in_use": 2,
        "open_reports": 1,  # the other one was answered and closed
        "median_response_days": 0,
    }
    other = used.client.get(f"/api/organizations/{OTHER}/openness").json()
    assert [s["showcases"] for s in other["scores"]] == [1]
    assert other["community"]["open_reports"] == 0
    assert other["community"]["median_response_days"] is None


def test_dataset_openness_and_ranking_count_them(used: Used) -> None:
    assert used.client.get(f"/api/datasets/{used.schools}/openness").json()["showcases"] == 3
    assert used.client.get(f"/api/datasets/{used.theft}/openness").json()["showcases"] == 1
    ranking = used.client.get("/api/openness/ranking").json()["data"]
    counts = {
        r["organization"]: (r["showcases"], r["datasets_in_use"], r["open_reports"])
        for r in ranking
    }
    assert counts == {ORG: (3, 2, 1), OTHER: (1, 1, 0)}


@pytest.mark.parametrize(
    ("lang", "summary"),
    [
        ("zh-TW", "已核准的應用展示 3 件，用到本機關 2 個資料集"),
        ("en", "3 approved showcases use 2 of its datasets"),
    ],
)
def test_the_organization_page_lists_the_datasets_people_use(
    used: Used, lang: str, summary: str
) -> None:
    page = used.client.get(f"/organizations/{ORG}?lang={lang}").text
    section = page[page.index('id="used"') : page.index('id="reports"')]
    assert summary in section
    rows = section.split("<tr>")[2:]  # after the head
    assert f'href="/datasets/{used.schools}#showcases"' in rows[0]
    assert '<td class="number">3</td>' in rows[0]
    assert f'href="/datasets/{used.teachers}#showcases"' in rows[1]
    assert ("回覆時間中位數 0 天" if lang == "zh-TW" else "Median response time 0 days") in page
