"""Issue 16 hole 1: a legal basis is a listed law article or an admin's citation, with the
exact columns it covers; free text is refused with the list of shipped bases."""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import pytest

from kaifang.errors import ValidationError
from kaifang.privacy import gate, screen
from kaifang.privacy.legal_basis import (
    LISTED_BASES,
    basis_from_form,
    choose_basis,
    covered_columns,
    listed_labels,
)
from kaifang.settings import Settings
from tests.privacy.conftest import national_ids

MakeRelation = Callable[[dict[str, list[object]]], duckdb.DuckDBPyRelation]
ELECTION = "公職人員選舉罷免法第47條"


def candidates(n: int = 60) -> dict[str, list[object]]:
    surnames, given = "陳林黃張李王吳劉", ["志明", "美玲", "建宏", "雅婷", "家豪", "淑芬"]
    return {
        "姓名": [f"{surnames[i % 8]}{given[i % 6]}" for i in range(n)],
        "出生日期": [f"{1950 + i % 30}-{1 + i % 12:02d}-{1 + i % 28:02d}" for i in range(n)],
        "身分證字號": national_ids(n),
    }


def test_a_basis_lets_through_only_the_columns_it_names(
    make_relation: MakeRelation, settings: Settings
) -> None:
    """The election law makes candidates' names public, not their ID numbers: the ID
    column still blocks, and a basis naming it is refused."""
    report = screen(make_relation(candidates()), settings=settings)
    identifiers = {c.name: c.detectors for c in report.columns if c.category == "direct_identifier"}
    assert set(identifiers) == {"姓名", "身分證字號"}
    basis = choose_basis(ELECTION, columns=["姓名"], may_cite=False, approved_by="editor")
    assert basis is not None
    basis = covered_columns(basis, identifiers, columns=list(candidates()))
    assert [(f.code, f.column) for f in gate(report, None, allow_personal_data=basis)] == [
        ("direct_identifier", "身分證字號")
    ]
    without_ids = screen(make_relation(candidates()).project("姓名, 出生日期"), settings=settings)
    assert gate(without_ids, None, allow_personal_data=basis) == []
    naming_ids = choose_basis(ELECTION, columns=["姓名", "身分證字號"], may_cite=False)
    assert naming_ids is not None
    with pytest.raises(ValidationError, match="does not make 身分證字號 public"):
        covered_columns(naming_ids, identifiers)
    with pytest.raises(ValidationError, match="names 電話, which the published table"):
        covered_columns(
            choose_basis(ELECTION, columns=["電話"], may_cite=False),  # type: ignore[arg-type]
            identifiers,
            columns=list(candidates()),
        )


@pytest.mark.parametrize(
    "label",
    ["because", "公職人員選舉罷免法", "個資法", "依法公開", "公職人員選舉罷免法第47條 因為"],
)
def test_free_text_is_refused_with_the_listed_bases(label: str) -> None:
    with pytest.raises(ValidationError, match="not one of kaifang's listed bases") as caught:
        choose_basis(label, columns=["姓名"], may_cite=True)
    assert all(b in (caught.value.hint or "") for b in listed_labels())


@pytest.mark.parametrize(
    ("law", "article"),
    [
        ("because", "第1條"),
        ("公職人員選舉罷免法", "because"),
        ("因為我說可以", "第3條"),
        ("", "第3條"),
    ],
)
def test_a_citation_needs_a_law_and_an_article(law: str, article: str) -> None:
    with pytest.raises(ValidationError, match="law and an article"):
        choose_basis(law=law, article=article, columns=["姓名"], may_cite=True)


def test_only_an_admin_may_cite_an_unlisted_law() -> None:
    with pytest.raises(ValidationError, match="only an organization admin"):
        choose_basis(law="個人資料保護法", article="第16條", columns=["姓名"], may_cite=False)
    cited = choose_basis(
        law="個人資料保護法",
        article="16",
        note="第1項第1款",
        columns=["姓名"],
        may_cite=True,
        approved_by="admin",
    )
    assert cited is not None
    assert (cited.listed, cited.law, cited.article, cited.note, cited.approved_by) == (
        False, "個人資料保護法", "第16條", "第1項第1款", "admin",
    )  # fmt: skip
    # an editor may give a listed article as law + article too
    listed = choose_basis(law="公職人員選舉罷免法", article="47", columns=["姓名"], may_cite=False)
    assert listed is not None and listed.listed


def test_the_columns_are_required_and_both_forms_are_not_mixed() -> None:
    with pytest.raises(ValidationError, match="name the exact columns"):
        choose_basis(ELECTION, may_cite=False)
    with pytest.raises(ValidationError, match="not both"):
        choose_basis(ELECTION, law="公司法", article="第393條", columns=["姓名"], may_cite=True)
    assert choose_basis(None, may_cite=False) is None


def test_a_form_names_columns_separated_by_commas() -> None:
    basis = basis_from_form(
        {"legal_basis": ELECTION, "basis_columns": "姓名， 出生日期、性別"},
        may_cite=False,
        approved_by="editor",
    )
    assert basis is not None
    assert basis.to_dict() == {
        "law": "公職人員選舉罷免法",
        "article": "第47條",
        "columns": ["姓名", "出生日期", "性別"],
        "note": "",
        "approved_by": "editor",
        "listed": True,
    }


def test_every_listed_basis_leaves_id_numbers_out() -> None:
    """Reference: ID numbers stay blocked even under a basis (legal-bases.md)."""
    assert all("national_id" not in b.covers for b in LISTED_BASES)
    assert len(set(listed_labels())) == len(LISTED_BASES)
