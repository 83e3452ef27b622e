"""Harvesting a DCAT catalog file (Turtle and JSON-LD): a dataset the source drops is marked
withdrawn (kept, with its provenance), comes back when listed again, and a dataset that
cannot be read is reported without stopping the others."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from kaifang.app import create_app
from kaifang.catalog import open_catalog
from kaifang.catalog.activity import list_activity
from kaifang.catalog.models import Dataset
from kaifang.harvest.run import run_source
from kaifang.harvest.sources import add_source, source_status
from kaifang.settings import Settings
from tests.harvest.conftest import HOME_ORG

HYDRA_NEXT = "http://www.w3.org/ns/hydra/core#nextPage"
PREFIXES = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def dataset_ttl(key: str, title: str | None, modified: str = "2026-01-01") -> str:
    title_line = f'    dct:title "{title}"@zh-Hant ;\n' if title else ""
    return f"""
<https://example.gov.tw/dataset/{key}> a dcat:Dataset ;
    dct:identifier "{key}" ;
{title_line}    dct:description "關於 {key} 的資料" ;
    dct:modified "{modified}"^^xsd:date ;
    dct:publisher [ a foaf:Agent ; foaf:name "新竹縣政府" ] ;
    dcat:keyword "交通", "{key}" ;
    dct:license <https://creativecommons.org/licenses/by/4.0/> ;
    dcat:distribution [ a dcat:Distribution ;
        dcat:downloadURL <https://example.gov.tw/files/{key}.csv> ;
        dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> ] .
"""


def write_catalog(path: Path, datasets: list[tuple[str, str | None]]) -> str:
    path.write_text(PREFIXES + "".join(dataset_ttl(k, t) for k, t in datasets), "utf-8")
    return path.as_uri()


def states(settings: Settings) -> dict[str, str | None]:
    """Harvested title → withdrawn time (None while active)."""
    with open_catalog(settings) as catalog, catalog.read() as session:
        return {
            d.title: d.extras["harvest"]["withdrawn"]
            for d in session.scalars(select(Dataset))
            if "harvest" in d.extras
        }


def test_withdrawal_return_and_a_broken_dataset(home: Settings, tmp_path: Path) -> None:
    catalog_file = tmp_path / "catalog.ttl"
    url = write_catalog(
        catalog_file, [("roads", "道路施工"), ("bikes", "公共自行車站"), ("broken", None)]
    )
    home = home.replace(harvest_check_links=False)  # the example.gov.tw links are not served
    with open_catalog(home) as catalog:
        add_source(catalog, "hsinchu", url, kind="dcat", org=HOME_ORG, schedule="manual")
        first = run_source(home, catalog, "hsinchu")
    assert first.status == "partial"
    assert (first.counts["created"], first.counts["failed"]) == (2, 1)
    assert [f["remote_id"] for f in first.failures] == ["https://example.gov.tw/dataset/broken"]
    assert "dct:title" in first.failures[0]["reason"]
    assert states(home) == {"道路施工": None, "公共自行車站": None}

    write_catalog(catalog_file, [("roads", "道路施工")])
    with open_catalog(home) as catalog:
        second = run_source(home, catalog, "hsinchu")
        status = source_status(catalog, "hsinchu")
    assert second.counts["withdrawn"] == 1 and second.counts["unchanged"] == 1
    after = states(home)
    assert after["道路施工"] is None and after["公共自行車站"] is not None  # kept, marked
    assert {"remote_id": "bikes", "state": "withdrawn",
            "reason": "no longer listed by the source"} in status["not_active"]  # fmt: skip

    write_catalog(catalog_file, [("roads", "道路施工"), ("bikes", "公共自行車站")])
    with open_catalog(home) as catalog:
        third = run_source(home, catalog, "hsinchu")
    assert third.status == "ok" and third.counts["created"] == 0
    assert states(home) == {"道路施工": None, "公共自行車站": None}
    with open_catalog(home) as catalog, catalog.read() as session:
        kinds = [(a["kind"], a["dataset"]["title"], a["actor"]) for a in list_activity(session)]
    assert kinds[:2] == [("dataset_restored", "公共自行車站", "harvest:hsinchu"),
                         ("dataset_withdrawn", "公共自行車站", "harvest:hsinchu")]  # fmt: skip
    assert sum(k == "dataset_created" for k, _, _ in kinds) == 2


def test_json_ld_pages_are_followed(home: Settings, tmp_path: Path) -> None:
    home = home.replace(harvest_check_links=False)
    pages = [tmp_path / "page1.jsonld", tmp_path / "page2.jsonld"]
    for number, (path, key) in enumerate(zip(pages, ["parks", "schools"], strict=True)):
        graph: list[dict[str, object]] = [
            {
                "@id": f"https://example.gov.tw/dataset/{key}",
                "@type": "http://www.w3.org/ns/dcat#Dataset",
                "http://purl.org/dc/terms/identifier": key,
                "http://purl.org/dc/terms/title": [
                    {"@value": f"{key} 名錄", "@language": "zh-Hant"},
                    {"@value": f"{key} list", "@language": "en"},
                ],
            }
        ]  # fmt: skip
        if number == 0:
            nxt = {"@id": pages[1].as_uri()}
            graph.append({"@id": "https://example.gov.tw/catalog?page=1", HYDRA_NEXT: nxt})
        path.write_text(json.dumps({"@graph": graph}, ensure_ascii=False), "utf-8")
    with open_catalog(home) as catalog:
        add_source(catalog, "paged", pages[0].as_uri(), kind="dcat", org=HOME_ORG)
        report = run_source(home, catalog, "paged")
    assert report.status == "ok" and report.counts["created"] == 2
    assert set(states(home)) == {"parks 名錄", "schools 名錄"}  # Chinese title preferred


def test_the_dataset_page_says_where_it_came_from(home: Settings, tmp_path: Path) -> None:
    hostile = dataset_ttl("roads", "道路施工").replace(
        "    dcat:distribution [",
        "    dcat:distribution [ a dcat:Distribution ; dcat:downloadURL <javascript:alert(1)> ] ;\n"
        "    dcat:distribution [",
    )
    catalog_file = tmp_path / "c.ttl"
    catalog_file.write_text(PREFIXES + hostile, "utf-8")
    home = home.replace(harvest_check_links=False, rate_limit=0)
    with open_catalog(home) as catalog:
        add_source(catalog, "hsinchu", catalog_file.as_uri(), kind="dcat", org=HOME_ORG)
        run_source(home, catalog, "hsinchu")
        with catalog.read() as session:
            slug = session.scalars(select(Dataset.slug)).one()
    with TestClient(create_app(home)) as client:
        page = client.get(f"/datasets/{slug}").text
        api = client.get(f"/api/datasets/{slug}").json()
        catalog_file.write_text(PREFIXES, "utf-8")
        with open_catalog(home) as catalog:
            run_source(home, catalog, "hsinchu")
        withdrawn = client.get(f"/datasets/{slug}?lang=en").text
    assert "本資料集由 hsinchu 匯集自其他平臺，原發布者：新竹縣政府。" in page
    assert 'href="https://example.gov.tw/files/roads.csv"' in page
    assert "javascript:" not in page
    assert [d["url"] for d in api["distributions"]] == ["https://example.gov.tw/files/roads.csv"]
    assert api["harvest"]["remote_id"] == "roads" and api["harvest"]["withdrawn"] is None
    assert "The source no longer lists this dataset" in withdrawn
