"""Birth dates in any date form (ISO, slashes, 民國 ROC years, 7-digit ROC ``0740312``,
8-digit ``19850312``), and birth years or bands of years (``1960-1964``, what a policy
generalizing birth dates publishes), only under a column name such as 生日, 出生, birth, DOB."""

from __future__ import annotations

from kaifang.privacy.detectors.base import Detector

DATE_PATTERN = (
    r"(?:民國)?[0-9]{2,4}[-/.年][0-9]{1,2}[-/.月][0-9]{1,2}日?"
    r"|[01]?[0-9]{6}|(?:19|20)[0-9]{6}"
)
YEAR_PATTERN = r"(?:19|20)[0-9]{2}(?:年?\s*[-~～至]\s*(?:19|20)[0-9]{2})?年?"
"""A birth year or a band of years (``1960``, ``1960-1964``): a generalized birth date is
still a quasi-identifier."""


def plausible_date_sql(token: str) -> str:
    """SQL: a digits-only token (``0740312``, ``19850312``, ``990101``) has a month 1–12 and
    a day 1–31 in its last four digits; other writings pass (their shape says date)."""
    month = f"TRY_CAST(substr({token}, length({token}) - 3, 2) AS INTEGER)"
    day = f"TRY_CAST(right({token}, 2) AS INTEGER)"
    return (
        f"(NOT regexp_full_match({token}, '[0-9]+') OR "
        f"({month} BETWEEN 1 AND 12 AND {day} BETWEEN 1 AND 31))"
    )


DETECTOR = Detector(
    name="birth_date",
    category="quasi_identifier",
    label="出生日期 birth date",
    pattern=f"{DATE_PATTERN}|{YEAR_PATTERN}",
    validate=plausible_date_sql,
    needs_context=True,
    keywords=("生日", "出生", "birth", "dob", "生年"),
    not_keywords=("發生",),  # 發生日期 (date of occurrence) contains 生日
    min_rate=0.5,
    mask_style="date",
    requires=("digit",),
    lengths=(4, None),
    action="generalize",
    reason="出生日期為間接識別資料，建議只保留年 / a birth date: keep the year only",
)
