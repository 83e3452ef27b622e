"""Credit card numbers: 13–16 digits (optionally grouped by 4), Luhn checksum in SQL."""

from __future__ import annotations

from kaifang.privacy.detectors.base import Detector


def luhn_sql(token: str) -> str:
    """SQL: the digits of ``token`` pass the Luhn check (every second digit from the right is
    doubled, 9 subtracted above 9, the sum is 0 mod 10)."""
    digits = f"reverse(regexp_replace({token}, '[^0-9]', '', 'g'))"
    doubled = "CASE WHEN d * 2 > 9 THEN d * 2 - 9 ELSE d * 2 END"
    per_digit = f"CASE WHEN i % 2 = 0 THEN {doubled} ELSE d END"
    return (
        f"(list_sum(list_transform(list_transform(string_split({digits}, ''), "
        f"lambda c: ascii(c) - 48), lambda d, i: {per_digit})) % 10 = 0)"
    )


DETECTOR = Detector(
    name="credit_card",
    category="direct_identifier",
    label="信用卡號 credit card",
    pattern=r"[0-9]{4}[ -]?[0-9]{4}[ -]?[0-9]{4}[ -]?[0-9]{1,4}",
    validate=luhn_sql,
    strong=True,
    keywords=("信用卡", "卡號", "card"),
    requires=("digit",),
    action="drop",
    reason="信用卡號屬個人財務資料 / a card number is personal financial data",
)
