"""A structured legal basis for publishing personal data: a law and an article, and the
columns it covers.

Free text ("because") is not a legal basis. A basis is either one of :data:`LISTED_BASES`
(laws that make specific personal data public, each with the kinds of data — detector names
— its article covers), chosen by its label (「公職人員選舉罷免法第47條」), or a citation of
another law (law, article, note), which only an organization admin may record
(:func:`choose_basis`). Either way the publisher names the exact columns it covers (a
listed article must cover each one's kind): every other direct identifier still blocks the
publish. The version's screening summary keeps the law, article, note, columns and approver
(``legal_basis_detail``), and the openness check G passes only when those columns cover
every identifier published.

Facts: docs/privacy.md ("Legal bases"), checked against the MOJ law database.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
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


_ARTICLE = re.compile(r"^第[0-9]+條(?:之[0-9]+)?(?:第[0-9]+項)?(?:第[0-9]+款)?$")
_LAW = re.compile(r"^[\u3400-\u9fff（）()、]{2,40}(?:法|條例|通則|律|辦法|細則|規則|要點)$")
_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def _find(law: str, article: str) -> ListedBasis | None:
    for basis in LISTED_BASES:
        if basis.law == law and basis.article == article:
            return basis
    return None


def listed_labels() -> list[str]:
    """The labels of :data:`LISTED_BASES`, as a publisher chooses them."""
    return [basis.label for basis in LISTED_BASES]


def _listed_names() -> str:
    return "; ".join(listed_labels())


def _article(text: str) -> str:
    """``47`` or ``第 47 條`` → ``第47條``; anything else unchanged, to be refused."""
    article = re.sub(r"\s+", "", text).translate(_DIGITS)
    return f"第{article}條" if article.isdigit() else article


def choose_basis(
    label: str | None = None,
    *,
    law: str | None = None,
    article: str | None = None,
    note: str | None = None,
    columns: Iterable[str] = (),
    may_cite: bool,
    approved_by: str = "",
) -> LegalBasis | None:
    """The structured basis a publisher chose, or ``None`` when none was given.

    Either ``label``, one of :func:`listed_labels` exactly (「公職人員選舉罷免法第47條」), or a
    citation ``law`` + ``article`` (+ ``note``), which only an organization admin
    (``may_cite``) may record unless it is itself listed. ``columns`` names the exact columns
    the basis covers and is required: every other direct identifier still blocks. Free text
    ("because") is refused with the list of shipped bases (``kaifang privacy bases``)."""
    label = (label or "").strip()
    law, article = (law or "").strip(), _article(article or "")
    named = tuple(dict.fromkeys(c.strip() for c in columns if c and c.strip()))
    if not (label or law or article or named):
        return None
    listed_help = f"Listed bases (kaifang privacy bases): {_listed_names()}."
    if label and (law or article):
        raise ValidationError(
            "give either a listed legal basis or a citation (law and article), not both",
            hint=listed_help,
            key="legal_basis",
        )
    if label:
        listing = next((b for b in LISTED_BASES if b.label == re.sub(r"\s+", "", label)), None)
        if listing is None:
            raise ValidationError(
                f"legal basis {label!r} is not one of kaifang's listed bases",
                hint=f"Choose one exactly as listed. {listed_help} An organization admin may "
                "cite another law with a law and an article (--law, --article, --note).",
                key="legal_basis",
            )
        law, article = listing.law, listing.article
    elif not (law and article):
        raise ValidationError(
            "a legal basis needs a listed basis, or a law and an article",
            hint=listed_help,
            key="legal_basis",
        )
    elif not _LAW.match(law) or not _ARTICLE.match(article):
        raise ValidationError(
            f"legal basis {law!r} {article!r} is not a law and an article",
            hint="Cite the law's full name and the article, e.g. law 公職人員選舉罷免法, "
            f"article 第47條. {listed_help}",
            key="legal_basis",
        )
    listed = _find(law, article) is not None
    if not listed and not may_cite:
        raise ValidationError(
            f"legal basis {law}{article} is not in kaifang's list of laws that make personal "
            "data public; only an organization admin may cite another law",
            hint=f"{listed_help} Ask an admin of the organization to record the citation.",
            key="legal_basis",
        )
    if not named:
        raise ValidationError(
            f"legal basis {law}{article}: name the exact columns it covers",
            hint="List them (--basis-columns 姓名,出生年月日); other direct identifiers "
            "still block.",
            key="basis_columns",
        )
    return LegalBasis(law, article, named, (note or "").strip(), approved_by, listed)


FORM_FIELDS = ("legal_basis", "basis_law", "basis_article", "basis_note", "basis_columns")
"""The names of a basis's fields in the API's and the portal's forms."""


def split_columns(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """``"姓名, 出生日期"`` (commas, 、 or new lines) or a list → the column names."""
    if value is None:
        return ()
    items = re.split(r"[,，、\n]", value) if isinstance(value, str) else list(value)
    return tuple(c.strip() for c in items if c and c.strip())


def basis_from_form(
    form: Mapping[str, Any], *, may_cite: bool, approved_by: str = ""
) -> LegalBasis | None:
    """:func:`choose_basis` from a form's :data:`FORM_FIELDS` (the native API, the portal)."""
    return choose_basis(
        str(form.get("legal_basis") or ""),
        law=str(form.get("basis_law") or ""),
        article=str(form.get("basis_article") or ""),
        note=str(form.get("basis_note") or ""),
        columns=split_columns(form.get("basis_columns")),
        may_cite=may_cite,
        approved_by=approved_by,
    )


def basis_from_dict(data: Mapping[str, Any]) -> LegalBasis:
    """A recorded basis (``LegalBasis.to_dict``) read back from a summary or manifest."""
    return LegalBasis(
        law=str(data.get("law") or ""),
        article=str(data.get("article") or ""),
        columns=tuple(str(c) for c in data.get("columns") or ()),
        note=str(data.get("note") or ""),
        approved_by=str(data.get("approved_by") or ""),
        listed=bool(data.get("listed", True)),
    )


def covered_columns(
    basis: LegalBasis,
    identifiers: Mapping[str, Iterable[str]],
    *,
    columns: Sequence[str] | None = None,
) -> LegalBasis:
    """``basis`` with the direct-identifier columns (name → detectors) it covers: the columns
    it names, each checked against a listed article's kinds; with no names (an importer's
    basis), a listed basis covers the columns whose detectors its article lists, and a
    citation covers none. ``columns`` (the table's), when given, must hold every column the
    basis names."""
    listing = basis.listing()
    if basis.columns and columns is not None:
        missing = [name for name in basis.columns if name not in columns]
        if missing:
            raise ValidationError(
                f"legal basis {basis.label} names {', '.join(missing)}, which the published "
                "table does not have",
                hint=f"Name columns of the table: {', '.join(columns)}.",
                key="basis_columns",
            )
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
