"""The screening summary of each current version -> the privacy gate's one input."""

from __future__ import annotations

from typing import Any

import pytest

from kaifang.catalog.models import Resource, Version
from kaifang.scoring import screening_facts

PHONE = {"name": "電話", "category": "direct_identifier"}
SCREENED = {"status": "screened", "publishable": True, "columns": []}


def version(slug: str, screening: dict[str, Any] | None, legal_basis: str = "") -> Version:
    summary = {"screening": screening} if screening is not None else {}
    return Version(resource=Resource(slug=slug), number=1, summary=summary, legal_basis=legal_basis)


@pytest.mark.parametrize(
    ("versions", "expected"),
    [
        ([], None),
        ([version("a", None)], None),
        ([version("a", {"status": "not_screened", "legal_basis": "法"})], None),
        ([version("a", SCREENED), version("b", {"status": "not_screened"})], None),
        (
            [version("a", SCREENED)],
            {"publishable": True, "legal_basis": None, "unresolved": []},
        ),
        (
            [version("a", SCREENED), version("b", {**SCREENED, "columns": [PHONE]})],
            {
                "publishable": True,
                "legal_basis": None,
                "unresolved": [{"column": "b.電話", "category": "direct_identifier"}],
            },
        ),
        (
            [version("a", {**SCREENED, "publishable": False, "columns": [PHONE]})],
            {
                "publishable": False,
                "legal_basis": None,
                "unresolved": [{"column": "電話", "category": "direct_identifier"}],
            },
        ),
        (
            [version("a", {**SCREENED, "publishable": False, "unresolved": ["姓名"]}, "選罷法")],
            {"publishable": True, "legal_basis": "選罷法", "unresolved": ["姓名"]},
        ),
        (
            [version("a", SCREENED, "法一"), version("b", SCREENED, "法二")],
            {"publishable": True, "legal_basis": "法一；法二", "unresolved": []},
        ),
    ],
)
def test_screening_facts(versions: list[Version], expected: dict[str, Any] | None) -> None:
    if expected is not None:
        expected = {**expected, "legal_basis_detail": None}
    facts = screening_facts(versions)
    if facts is not None:
        assert facts.pop("direct_identifiers") == []
    assert facts == expected


def test_screening_facts_carry_the_columns_a_basis_covers() -> None:
    detail = {"law": "公職人員選舉罷免法", "article": "第47條", "columns": ["姓名"],
              "approved_by": "中選會"}  # fmt: skip
    summary = {**SCREENED, "legal_basis": "公職人員選舉罷免法第47條", "legal_basis_detail": detail,
               "direct_identifiers": ["姓名"]}  # fmt: skip
    facts = screening_facts([version("a", summary), version("b", summary)])
    assert facts is not None
    assert facts["legal_basis_detail"] == {"columns": ["a.姓名", "b.姓名"], "approved_by": "中選會"}
    assert facts["direct_identifiers"] == ["a.姓名", "b.姓名"]
