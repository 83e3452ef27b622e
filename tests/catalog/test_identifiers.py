from __future__ import annotations

import pytest

from kaifang.catalog.identifiers import (
    READABLE_MAX,
    check_id,
    dataset_identifier,
    is_slug,
    normalize_org_code,
    readable_id,
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
        ("naïve 竊盜 Ångström", "naive_angstrom"),  # marks go, Chinese splits words
        ("ｅ\u0301ｘ２０２４", "ex2024"),  # full-width forms and a combining mark
        ("ﬁle Ⅻ", "file_xii"),  # compatibility forms decompose to ASCII
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


@pytest.mark.parametrize(
    ("title", "wanted"),
    [
        ("Theft points 竊盜點位", "theft_points"),  # the English words
        ("臺北市竊盜點位資訊", "tai_bei_shi_qie_dao_dian_wei_zi_xun"),  # pinyin, no tones
        ("中選會選舉資料庫 2020總統立委 總統", "zhong_xuan_hui_xuan_ju_zi_liao_ku_2020"),
        ("2020 總統", "t_2020_zong_tong"),  # digits alone are no word
        (
            "Traffic volume by vehicle type at each ETC gantry",
            "traffic_volume_by_vehicle_type_at_each",
        ),
        ("竊盜", "qie_dao"),
        ("？！", ""),
    ],
)
def test_readable_id_from_english_else_pinyin(title: str, wanted: str) -> None:
    made = readable_id(title)
    assert made == wanted
    assert len(made) <= READABLE_MAX
    assert made == "" or is_slug(made)


@pytest.mark.parametrize(
    ("wanted", "suggestion"),
    [
        ("Theft-Points", "theft_points"),
        ("2024_theft", "t_2024_theft"),
        ("竊盜", "qie_dao"),
        ("a__b", "a_b"),
        ("x" * 64, "x" * 63),
        ("", "theft_points_2024"),
    ],
)
def test_check_id_refuses_with_a_suggestion(wanted: str, suggestion: str) -> None:
    with pytest.raises(ValidationError, match="lower-case ASCII letters") as caught:
        check_id(wanted)
    assert caught.value.hint == f"Choose an id such as {suggestion!r}."
    assert caught.value.details["key"] == "id"


def test_check_id_keeps_a_valid_id() -> None:
    assert check_id(" cec_2020_president ") == "cec_2020_president"
