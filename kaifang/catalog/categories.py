"""The 18 national service categories (服務分類) of Taiwan's government classification, used
as the ``category`` of a dataset (資料集詮釋資料標準規範 ``categoryService``)."""

from __future__ import annotations

from dataclasses import dataclass

from kaifang.errors import ValidationError


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    name_en: str


CATEGORIES: tuple[Category, ...] = (
    Category("A00", "生育保健", "Maternity and health care"),
    Category("B00", "出生及收養", "Birth and adoption"),
    Category("C00", "求學及進修", "Education and further study"),
    Category("D00", "服兵役", "Military service"),
    Category("E00", "求職及就業", "Job seeking and employment"),
    Category("F00", "開創事業", "Starting a business"),
    Category("G00", "婚姻", "Marriage"),
    Category("H00", "投資理財", "Investment and finance"),
    Category("I00", "休閒旅遊", "Leisure and travel"),
    Category("J00", "交通及通訊", "Transport and communication"),
    Category("K00", "就醫", "Medical care"),
    Category("L00", "購屋及遷徙", "Housing and moving"),
    Category("M00", "選舉及投票", "Elections and voting"),
    Category("N00", "生活安全及品質", "Safety and quality of life"),
    Category("O00", "退休", "Retirement"),
    Category("P00", "老年安養", "Elderly care"),
    Category("Q00", "生命禮儀", "Funerals and memorials"),
    Category("R00", "公共資訊", "Public information"),
)

CATEGORY_CODES: tuple[str, ...] = tuple(c.code for c in CATEGORIES)


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
