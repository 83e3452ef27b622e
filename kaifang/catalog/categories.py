"""The 18 national service categories (服務分類) of Taiwan's government classification, used
as the ``category`` of a dataset (資料集詮釋資料標準規範 ``categoryService``).

The codes have three characters, ``100``–``900`` then ``A00``–``I00``, in data.gov.tw's own
order (the national cross-platform spec's example gives ``E00`` = 生活安全及品質). kaifang
coded them ``A00``–``R00`` before catalog migration 0003, which maps stored values with
``LEGACY_CODES``."""

from __future__ import annotations

from dataclasses import dataclass

from kaifang.errors import ValidationError


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    name_en: str


CATEGORIES: tuple[Category, ...] = (
    Category("100", "生育保健", "Maternity and health care"),
    Category("200", "出生及收養", "Birth and adoption"),
    Category("300", "求學及進修", "Education and further study"),
    Category("400", "服兵役", "Military service"),
    Category("500", "求職及就業", "Job seeking and employment"),
    Category("600", "開創事業", "Starting a business"),
    Category("700", "婚姻", "Marriage"),
    Category("800", "投資理財", "Investment and finance"),
    Category("900", "休閒旅遊", "Leisure and travel"),
    Category("A00", "交通及通訊", "Transport and communication"),
    Category("B00", "就醫", "Medical care"),
    Category("C00", "購屋及遷徙", "Housing and moving"),
    Category("D00", "選舉及投票", "Elections and voting"),
    Category("E00", "生活安全及品質", "Safety and quality of life"),
    Category("F00", "退休", "Retirement"),
    Category("G00", "老年安養", "Elderly care"),
    Category("H00", "生命禮儀", "Funerals and memorials"),
    Category("I00", "公共資訊", "Public information"),
)

CATEGORY_CODES: tuple[str, ...] = tuple(c.code for c in CATEGORIES)

# The codes kaifang used before migration 0003 (A00–R00 in the same order) -> the standard's.
LEGACY_CODES: dict[str, str] = {
    f"{letter}00": code for letter, code in zip("ABCDEFGHIJKLMNOPQR", CATEGORY_CODES, strict=True)
}


def category(code: str) -> Category:
    """The category with this code (or its zh-TW / English name), else a ValidationError."""
    wanted = code.strip()
    for cat in CATEGORIES:
        if (
            wanted.upper() == cat.code
            or wanted == cat.name
            or wanted.lower() == cat.name_en.lower()
        ):
            return cat
    listing = ", ".join(f"{c.code} {c.name}" for c in CATEGORIES)
    raise ValidationError(
        f"category: unknown service category {code!r}",
        hint=f"Use one of the 18 national service category codes: {listing}.",
        key="category",
    )
