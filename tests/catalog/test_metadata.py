from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kaifang.catalog import CATEGORIES, load_metadata, validate_metadata
from kaifang.errors import ValidationError

FULL = {
    "title": "竊盜點位資訊",
    "description": "臺北市住宅竊盜點位",
    "category": "E00",
    "keywords": ["竊盜", "治安"],
    "license": "cc-by-4.0",
    "cost": "免費",
    "update_frequency": "Monthly",
    "temporal_coverage": {"from": "2023-01-01", "to": "2023-12-31"},
    "spatial": "臺北市",
    "language": "zh-TW",
    "contact": {"name": "王承辦", "email": "a@example.gov.tw", "phone": "02-1234-5678"},
    "fields": {"案類": "竊盜的種類"},
}


def test_full_metadata_is_normalized() -> None:
    meta = validate_metadata(FULL)
    assert meta.license == "CC-BY-4.0"
    assert meta.cost == "free"
    assert meta.update_frequency == "monthly"
    assert meta.temporal_from == date(2023, 1, 1)
    assert meta.contact_email == "a@example.gov.tw"
    assert meta.fields == {"案類": "竊盜的種類"}


@pytest.mark.parametrize(
    ("raw", "named", "lists"),
    [
        ({"colour": "red"}, "colour", "valid keys: title"),
        ({"license": "GPL-3.0"}, "license", "OGDL-Taiwan-1.0"),
        ({"category": "Z99"}, "category", "500 求職及就業"),
        ({"update_frequency": "sometimes"}, "update_frequency", "daily, weekly"),
        ({"temporal_coverage": {"from": "2023/01/01"}}, "temporal_coverage", "ISO 8601"),
        ({"temporal_coverage": {"since": "2023-01-01"}}, "temporal_coverage", "from, to"),
        ({"contact": {"email": "nobody"}}, "contact", "e-mail"),
        ({"keywords": {"a": 1}}, "keywords", "list"),
        ({"license": "other"}, "license_url", "required"),
        ({"cost": "cheap"}, "cost", "free, paid"),
    ],
)
def test_invalid_metadata_names_the_key_and_valid_values(
    raw: dict[str, Any], named: str, lists: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_metadata(raw)
    message = str(caught.value)
    assert named in message
    assert lists in message


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_metadata({"colour": 1, "license": "nope"})
    assert len(caught.value.details["problems"]) == 2


def test_category_accepts_names_and_there_are_18() -> None:
    assert len(CATEGORIES) == 18
    assert len({c.code for c in CATEGORIES}) == 18
    assert validate_metadata({"category": "選舉及投票"}).category == "D00"
    assert validate_metadata({"category": "e00"}).category == "E00"


def test_load_metadata_from_yaml(tmp_path: Path) -> None:
    path = tmp_path / "meta.yaml"
    path.write_text("title: 國道旅次\nkeywords: [國道, ETC]\n", encoding="utf-8")
    meta = load_metadata(path)
    assert (meta.title, meta.keywords) == ("國道旅次", ["國道", "ETC"])


@pytest.mark.parametrize("content", ["- a\n- b\n", "title: [unclosed\n"])
def test_load_metadata_rejects_non_mappings(tmp_path: Path, content: str) -> None:
    path = tmp_path / "meta.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValidationError, match=r"meta\.yaml"):
        load_metadata(path)
