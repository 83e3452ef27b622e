"""Taiwan national ID (國民身分證統一編號): a letter, 1 or 2 (sex), 8 digits, checksum."""

from __future__ import annotations

from kaifang.privacy.detectors.base import Detector, digit_sql

# Letter -> two-digit code, in alphabet order (I, O, W are out of sequence).
LETTER_CODES = (
    10,
    11,
    12,
    13,
    14,
    15,
    16,
    17,
    34,
    18,
    19,
    20,
    21,
    22,
    35,
    23,
    24,
    25,
    26,
    27,
    28,
    29,
    32,
    30,
    31,
    33,
)


def tw_checksum_sql(token: str) -> str:
    """SQL: the weighted checksum of a lower-case 10-character token is 0 mod 10.

    Shared by the national ID and both resident-certificate formats: in the old certificate
    the second character is a letter A–D contributing the units digit of its code (0–3).
    """
    codes = "[" + ", ".join(str(c) for c in LETTER_CODES) + "]"
    code = f"({codes})[ascii(substr({token}, 1, 1)) - 96]"
    second = (
        f"(CASE WHEN substr({token}, 2, 1) BETWEEN 'a' AND 'd' "
        f"THEN ascii(substr({token}, 2, 1)) - 97 ELSE {digit_sql(token, 2)} END)"
    )
    middle = f"list_sum(list_transform(range(3, 10), lambda p: {digit_sql(token, 'p')} * (10 - p)))"
    total = f"({code} // 10 + ({code} % 10) * 9 + {second} * 8 + {middle} + {digit_sql(token, 10)})"
    return f"({total} % 10 = 0)"


DETECTOR = Detector(
    name="tw_national_id",
    category="direct_identifier",
    label="身分證字號 national ID",
    pattern="[a-z][12][0-9]{8}",
    validate=tw_checksum_sql,
    strong=True,
    keywords=("身分證", "身份證", "id_no", "idno", "national_id", "統號"),
    requires=("digit", "latin"),
    action="drop",
    reason="身分證字號可直接識別個人 / a national ID identifies a person directly",
)
