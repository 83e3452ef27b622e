from __future__ import annotations

import pytest

from kaifang.catalog.identifiers import (
    dataset_identifier,
    is_slug,
    normalize_org_code,
    resource_identifier,
    slugify,
    unique_slug,
)
from kaifang.errors import ValidationError


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Theft Points 2023", "theft_points_2023"),
        ("M06A__trips", "m06a_trips"),
        ("2023 elections", "t_2023_elections"),
        ("竊盜點位資訊", ""),
        ("Café—bar", "cafe_bar"),
        ("x" * 80, "x" * 63),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug
    assert slug == "" or is_slug(slug)


def test_unique_slug_falls_back_and_numbers() -> None:
    used = {"theft", "d_379130000e"}
    assert unique_slug(["竊盜", "theft"], "d_379130000e", used.__contains__) == "theft_2"
    assert unique_slug(["竊盜"], "x", used.__contains__) == "x"
    assert unique_slug(["Theft"], "x", set().__contains__) == "theft"


def test_national_identifiers() -> None:
    code = normalize_org_code(" 379130000e ")
    assert dataset_identifier(code, 7) == "379130000E-000007"
    assert resource_identifier(dataset_identifier(code, 7), 2) == "379130000E-000007-002"


@pytest.mark.parametrize("code", ["", "ABC", "379130000E1", "37913-000E"])
def test_bad_org_codes_are_refused(code: str) -> None:
    with pytest.raises(ValidationError, match="379130000E"):
        normalize_org_code(code)
