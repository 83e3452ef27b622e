"""A structured legal basis for publishing personal data: a law and an article, and the
columns it covers.

Free text ("because") is not a legal basis. A basis is either one of :data:`LISTED_BASES`
(laws that make specific personal data public, each with the kinds of data — detector names
— its article covers), written ``LAW ARTICLE`` (「公職人員選舉罷免法第47條」), or a citation of
another law, which only an organization admin may record. Either way the basis covers only
the direct-identifier columns it names (or, for a listed basis, the columns whose detectors
the article covers): every other direct identifier still blocks the publish. The version's
screening summary keeps the law, article, columns and approver (``legal_basis_detail``), and
the openness check G passes only when those columns cover every identifier published.

Facts: docs/privacy.md ("Legal bases"), checked against the MOJ law database.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from kaifang.errors import ValidationError


@dataclass(frozen=True)
class ListedBasis:
    """A law article that makes named personal data public, and the detector kinds of the
    columns it covers (ID numbers, addresses and phones are never among them)."""

    law: str
    article: str
    covers: frozenset[str]
    note: str

    @property
    def label(self) -> str:
        return f"{self.law}{self.article}"


_NAMES = frozenset({"person_name", "romanized_name"})
LISTED_BASES: tuple[ListedBasis, ...] = (
    ListedBasis(
        "公職人員選舉罷免法", "第47條", _NAMES | {"birth_date", "sex"},
        "選舉公報：候選人姓名、出生年月日、性別、出生地、學歷、經歷",
    ),
    ListedBasis(
        "公職人員選舉罷免法", "第38條", _NAMES,
        "候選人名單公告",
    ),
    ListedBasis(
        "總統副總統選舉罷免法", "第44條", _NAMES | {"birth_date", "sex"},
        "選舉公報：候選人姓名、出生年月日、性別、出生地、學歷、經歷",
    ),
    ListedBasis(
        "政治獻金法", "第21條", _NAMES,
        "會計報告書：捐贈者姓名與金額（身分證統一編號、住址須遮蔽）",
    ),
    ListedBasis(
        "公職人員財產申報法", "第6條", _NAMES,
        "申報人姓名與財產（身分證號、住址、電話、車牌須遮蔽）",
    ),
    ListedBasis(
        "公司法", "第393條", _NAMES,
        "公司登記：董事、監察人、經理人姓名及持股",
    ),
    ListedBasis(
        "商業登記法", "第19條", _NAMES,
        "商業登記：負責人、合夥人姓名及出資額",
    ),
    ListedBasis(
        "律師法", "第136條", _NAMES | {"phone", "email", "address"},
        "律師查詢系統：姓名、事務所名稱、電子郵件、地址、電話（身分證號、戶籍地址除外）",
    ),
)  # fmt: skip


@dataclass(frozen=True)
class LegalBasis:
    """The basis recorded with a version: law, article, the columns it covers, a note, who
    approved it, and whether it is one of :data:`LISTED_BASES` (else a citation)."""

    law: str
    article: str
    columns: tuple[str, ...] = ()
    note: str = ""
    approved_by: str = ""
    listed: bool = True

    @property
    def label(self) -> str:
        return f"{self.law}{self.article}"

    def display(self) -> str:
        """For listings: law and article, the columns it covers and who approved it."""
        columns = "、".join(self.columns) or "—"
        approver = f"；核可：{self.approved_by}" if self.approved_by else ""
        return f"{self.label}（欄位：{columns}{approver}）"

    def listing(self) -> ListedBasis | None:
        return _find(self.law, self.article)

    def to_dict(self) -> dict[str, Any]:
        return {
            "law": self.law,
            "article": self.article,
            "columns": list(self.columns),
            "note": self.note,
            "approved_by": self.approved_by,
            "listed": self.listed,
        }


_ARTICLE = re.compile(r"^\s*(?P<law>[^\s第]+?)\s*(?P<article>第\s*[0-9０-９]+\s*條(?:之[0-9]+)?)")


_COLUMNS = re.compile(r"[\[［]([^\]］]*)[\]］]")


def _find(law: str, article: str) -> ListedBasis | None:
    for basis in LISTED_BASES:
        if basis.law == law and basis.article == article:
            return basis
    return None


def _listed_names() -> str:
    return "; ".join(b.label for b in LISTED_BASES)


def parse_legal_basis(
    value: str | Mapping[str, Any], *, may_cite: bool, approved_by: str = ""
) -> LegalBasis:
    """``value``: ``"LAW第N條 [COLUMN, ...] NOTE"`` (columns and note optional) or
    ``{law, article, columns?, note?}``. A basis that is
    not listed is a citation, accepted only when ``may_cite`` (an organization admin)."""
    if isinstance(value, Mapping):
        law = str(value.get("law") or "").strip()
        article = re.sub(r"\s+", "", str(value.get("article") or ""))
        columns = tuple(str(c) for c in value.get("columns") or ())
        note = str(value.get("note") or "")
    else:
        match = _ARTICLE.match(value)
        if match is None:
            raise ValidationError(
                f"legal basis {value.strip()!r} names no law and article",
                hint="Give a law and an article, e.g. 「公職人員選舉罷免法第47條」. Listed "
                f"bases: {_listed_names()}.",
                key="legal_basis",
            )
        law, article = match["law"], re.sub(r"\s+", "", match["article"])
        rest = value[match.end() :]
        named = _COLUMNS.search(rest)
        columns = ()
        if named is not None:
            columns = tuple(c.strip() for c in re.split(r"[,，、]", named[1]) if c.strip())
            rest = rest[: named.start()] + rest[named.end() :]
        note = rest.strip(" ：:;；（）()")
    listed = _find(law, article) is not None
    if not listed and not may_cite:
        raise ValidationError(
            f"legal basis {law}{article} is not in kaifang's list of laws that make personal "
            "data public; only an organization admin may cite another law",
            hint=f"Listed bases: {_listed_names()}. Ask an admin of the organization to "
            "record the citation.",
            key="legal_basis",
        )
    return LegalBasis(law, article, columns, note, approved_by, listed)


def covered_columns(basis: LegalBasis, identifiers: Mapping[str, Iterable[str]]) -> LegalBasis:
    """``basis`` with the direct-identifier columns (name → detectors) it covers: the columns
    it names, each checked against a listed article's kinds; with no names, a listed basis
    covers the columns whose detectors its article lists, and a citation covers none."""
    listing = basis.listing()
    if basis.columns:
        if listing is not None:
            outside = [
                name
                for name in basis.columns
                if name in identifiers and not set(identifiers[name]) & listing.covers
            ]
            if outside:
                raise ValidationError(
                    f"legal basis {basis.label} does not make {', '.join(outside)} public",
                    hint=f"It covers {', '.join(sorted(listing.covers))}; drop or "
                    "de-identify the other columns.",
                    key="legal_basis",
                )
        return basis
    if listing is None:
        return basis
    chosen = tuple(name for name, kinds in identifiers.items() if set(kinds) & listing.covers)
    return replace(basis, columns=chosen)
