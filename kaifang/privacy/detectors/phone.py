"""Mobile and landline phone numbers in the ways Taiwanese files write them:
``0912-345-678``, ``0912345678``, ``+886 912 345 678``, ``+886-9...``, ``(02)2345-6789#12``,
``(049)2910960#2996``, ``02-2345-6789``. An unseparated landline (``0223456789``) looks like
any number, so it counts only under a phone column name."""

from __future__ import annotations

from kaifang.privacy.detectors.base import Detector

_MOBILE = r"(?:\+?886[ -]?|0)9[0-9]{2}[ -]?[0-9]{3}[ -]?[0-9]{3}"
_LANDLINE_PAREN = r"\(0[2-8][0-9]{0,2}\) ?[0-9]{3,4}[ -]?[0-9]{3,4}(?:#[0-9]{1,5})?"
_LANDLINE_DASH = r"0[2-8][0-9]{0,2}-[0-9]{3,4}-?[0-9]{4}(?:#[0-9]{1,5})?"
_LANDLINE_INTL = r"\+886[ -]?\(?[2-8][0-9]{0,2}\)?[ -]?[0-9]{3,4}[ -]?[0-9]{4}(?:#[0-9]{1,5})?"

# RE2 cannot look behind; a leading "(" or "+" is part of the token, so the left boundary of
# Detector.token_regex (a non-alphanumeric character) still works.
DETECTOR = Detector(
    name="phone",
    category="direct_identifier",
    label="電話號碼 phone number",
    pattern="|".join((_MOBILE, _LANDLINE_PAREN, _LANDLINE_DASH, _LANDLINE_INTL)),
    context_pattern=r"0[2-8][0-9]{7,8}(?:#[0-9]{1,5})?",
    strong=True,
    contact=True,
    keywords=(
        "電話",
        "手機",
        "行動",
        "phone",
        "tel",
        "telephone",
        "mobile",
        "聯絡方式",
        "傳真",
        "fax",
    ),
    mask_style="phone",
    requires=("digit",),
    lengths=(8, None),
    action="drop",
    reason="個人電話屬個人資料 / a person's phone number is personal data",
)
