"""Company tax ids (統一編號): 8 digits, weights 1,2,1,2,1,2,4,1, digit sums added, total
divisible by 5 (the rule since 2023; it includes the older divisible-by-10 rule), with the
7th-digit-is-7 exception. Not personal data for a company: recognizing it keeps 8-digit
lookalikes from tripping other detectors and marks the table as an institution's."""

from __future__ import annotations

from kaifang.privacy.detectors.base import Detector, digit_sql

# Digit sum of each digit times its weight (1, 2 or 4), looked up instead of computed.
_DIGIT_SUMS = {1: "[0,1,2,3,4,5,6,7,8,9]", 2: "[0,2,4,6,8,1,3,5,7,9]", 4: "[0,4,8,3,7,2,6,10,5,9]"}
_WEIGHTS = (1, 2, 1, 2, 1, 2, 4, 1)


def ubn_checksum_sql(token: str) -> str:
    terms = [
        f"({_DIGIT_SUMS[w]})[{digit_sql(token, i)} + 1]" for i, w in enumerate(_WEIGHTS, start=1)
    ]
    total = "(" + " + ".join(terms) + ")"
    return f"({total} % 5 = 0 OR (substr({token}, 7, 1) = '7' AND ({total} + 1) % 5 = 0))"


DETECTOR = Detector(
    name="company_tax_id",
    category="none",
    label="統一編號 company tax id",
    pattern="[0-9]{8}",
    whole_cell=True,
    validate=ubn_checksum_sql,
    keywords=("統一編號", "統編", "ubn", "tax_id", "營利事業"),
    min_rate=0.8,
    mask_style="none",
    requires=("digit",),
    lengths=(8, 8),
    action="keep",
    reason="統一編號屬法人識別碼，非個人資料（獨資商號除外）/ a company id, not personal data",
)
