"""Credit card numbers: 13–16 digits (optionally grouped by 4), Luhn checksum in SQL."""

from __future__ import annotations

from kaifang.privacy.detectors.base import Detector

_DOUBLED = "[0,2,4,6,8,1,3,5,7,9]"  # digit sum of 2 × d


def luhn_sql(token: str) -> str:
    """SQL: the digits of ``token`` pass the Luhn check (every second digit from the right is
    doubled, 9 subtracted above 9, the sum is 0 mod 10). The 13–16 digits the pattern allows
    fit a BIGINT, so each digit is integer arithmetic: plain, fast vector operations."""
    number = f"TRY_CAST(replace(replace({token}, '-', ''), ' ', '') AS BIGINT)"
    terms = []
    for k in range(1, 17):  # k-th digit from the right
        digit = f"(({number} // {10 ** (k - 1)}) % 10)"
        terms.append(f"({_DOUBLED})[{digit} + 1]" if k % 2 == 0 else digit)
    return f"(({' + '.join(terms)}) % 10 = 0)"


DETECTOR = Detector(
    name="credit_card",
    category="direct_identifier",
    label="信用卡號 credit card",
    pattern=r"[0-9]{4}[ -]?[0-9]{4}[ -]?[0-9]{4}[ -]?[0-9]{1,4}",
    validate=luhn_sql,
    strong=True,
    keywords=("信用卡", "卡號", "card"),
    requires=("digit",),
    lengths=(13, None),
    action="drop",
    reason="信用卡號屬個人財務資料 / a card number is personal financial data",
)
