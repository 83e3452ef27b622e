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
    The letter's two digits (weights 1 and 9) are folded into one looked-up value mod 10.
    Plain arithmetic, no lambda: DuckDB runs it as fast vector operations.
    """
    letter_parts = "[" + ", ".join(str((c // 10 + c % 10 * 9) % 10) for c in LETTER_CODES) + "]"
    letter = f"({letter_parts})[ascii(substr({token}, 1, 1)) - 96]"
    second = (
        f"(CASE WHEN substr({token}, 2, 1) BETWEEN 'a' AND 'd' "
        f"THEN ascii(substr({token}, 2, 1)) - 97 ELSE {digit_sql(token, 2)} END)"
    )
    weights = {3: 7, 4: 6, 5: 5, 6: 4, 7: 3, 8: 2, 9: 1, 10: 1}
    rest = " + ".join(f"{digit_sql(token, p)} * {w}" for p, w in weights.items())
    return f"(({letter} + {second} * 8 + {rest}) % 10 = 0)"


DETECTOR = Detector(
    name="tw_national_id",
    category="direct_identifier",
    label="身分證字號 national ID",
    pattern="[a-z][12][0-9]{8}",
    validate=tw_checksum_sql,
    strong=True,
    keywords=("身分證", "身份證", "id_no", "idno", "national_id", "統號"),
    requires=("digit", "latin"),
    lengths=(10, None),
    action="drop",
    reason="身分證字號可直接識別個人 / a national ID identifies a person directly",
)
