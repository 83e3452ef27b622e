"""Issue 16 hole 1, importers: no registered source publishes without its screen's verdict
or a reviewable record — a legal basis naming its columns and approver, or an exception
with its reason, columns and approver — and the dataset page shows it."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from kaifang.app import create_app
from kaifang.catalog import open_catalog
from kaifang.catalog.models import Resource
from kaifang.demo import DemoPlan, load_demo
from kaifang.settings import Settings
from kaifang.sources.elections.importer import legal_basis_for
from kaifang.sources.registry import SOURCES

SMALL = DemoPlan(
    freeway_days=1,
    freeway_scale=0.02,
    freeway_trips_per_day=2000,
    elections_scale=0.1,
    theft_scale=0.1,
    schools_scale=0.05,
)
SCREENED = {"passed", "legal_basis", "exception", "protected"}


def _check(resource: str, screening: dict[str, Any]) -> None:
    status = screening.get("status")
    assert status in SCREENED, (resource, status)
    assert screening.get("publishable") is True, resource
    if status == "legal_basis":
        detail = screening["legal_basis_detail"]
        assert detail["law"] and detail["article"] and detail["approved_by"], resource
        assert set(screening["direct_identifiers"]) <= set(detail["columns"]), resource
    if status == "exception" or screening.get("about_people") is False:
        exception = screening.get("exception") or {}
        assert exception.get("reason") and exception.get("approved_by"), resource
        assert exception.get("columns"), resource


@pytest.mark.slow
def test_every_registered_source_is_screened_or_records_why(settings: Settings) -> None:
    report = load_demo(settings, SMALL)
    assert set(report.imported) == {source.name for source in SOURCES}
    with open_catalog(settings) as catalog, catalog.read() as session:
        resources = list(session.scalars(select(Resource)))
        summaries = {
            r.slug: ((r.current.summary or {}).get("screening") or {}, r.dataset.slug)
            for r in resources
            if r.current is not None
        }
    assert summaries
    for slug, (screening, _) in summaries.items():
        _check(slug, screening)
    kinds = {
        s.get("exception", {}).get("kind") for s, _ in summaries.values() if s.get("exception")
    }
    assert "not_about_people" in kinds  # the election results, the schools, the freeway counts
    by_status = {s["status"] for s, _ in summaries.values()}
    assert "legal_basis" in by_status  # the candidates
    results = next(
        (
            d
            for s, d in summaries.values()
            if (s.get("exception") or {}).get("reason", "").startswith("中央選舉委員會")
        ),
        None,
    )
    assert results is not None
    with TestClient(create_app(settings)) as client:
        page = client.get(f"/datasets/{results}").text
    assert "中央選舉委員會公告之選舉結果" in page and "中央選舉委員會 (source publisher)" in page


@pytest.mark.parametrize(
    ("title", "label"),
    [
        ("2024 總統副總統", "總統副總統選舉罷免法第44條"),
        ("2022 縣市議員", "公職人員選舉罷免法第47條"),
    ],
)
def test_the_election_law_that_makes_candidates_public(title: str, label: str) -> None:
    basis = legal_basis_for(title, ["號次", "名字", "性別", "出生年", "學歷"])
    assert (basis.label, basis.columns) == (label, ("名字", "性別", "出生年"))
