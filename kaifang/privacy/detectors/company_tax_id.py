"""Company tax ids (統一編號): 8 digits, weights 1,2,1,2,1,2,4,1, digit sums added, total
divisible by 5 (the rule since 2023; it includes the older divisible-by-10 rule), with the
7th-digit-is-7 exception. Not personal data for a company: recognizing it keeps 8-digit
lookalikes from tripping other detectors and marks the table as an institution's."""

from __future__ import annotations

from kaifang.privacy.detectors.base import Detector, digit_sql

_WEIGHTS = "[1, 2, 1, 2, 1, 2, 4, 1]"


def ubn_checksum_sql(token: str) -> str:
    product = f"{digit_sql(token, 'i')} * w"
    total = (
        f"list_sum(list_transform({_WEIGHTS}, lambda w, i: ({product}) // 10 + ({product}) % 10))"
    )
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
    action="keep",
    reason="統一編號屬法人識別碼，非個人資料（獨資商號除外）/ a company id, not personal data",
)
