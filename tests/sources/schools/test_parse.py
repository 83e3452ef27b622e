from __future__ import annotations

import pytest

from kaifang.sources.schools.parse import (
    address_sql,
    bracket_code_sql,
    bracket_name_sql,
    postal_code_sql,
)
from tests.sources.sql import evaluate


@pytest.mark.parametrize(
    ("raw", "code", "name"),
    [
        ("[01]新北市", "01", "新北市"),
        ("[30]臺北市", "30", "臺北市"),
        (" [1]一般 ", "1", "一般"),
        ("[3]師範\u3000", "3", "師範"),
        ("臺北市", None, "臺北市"),
        ("[]空白", None, "空白"),
        ("", None, None),
    ],
)
def test_code_and_name(raw: str, code: str | None, name: str | None) -> None:
    assert evaluate(bracket_code_sql, [raw]) == [code]
    assert evaluate(bracket_name_sql, [raw]) == [name]


@pytest.mark.parametrize(
    ("raw", "postal", "address"),
    [
        ("[234]新北市永和區福和路125巷20號", "234", "新北市永和區福和路125巷20號"),
        ("[824]高雄市燕巢區大學路1號 ", "824", "高雄市燕巢區大學路1號"),
        ("[100]臺北市中正區重慶南路1段1號\u3000", "100", "臺北市中正區重慶南路1段1號"),
        ("[10048]臺北市中正區", "10048", "臺北市中正區"),
        ("[A1]某地", None, "某地"),
        ("臺北市信義區", None, "臺北市信義區"),
    ],
)
def test_postal_code_split(raw: str, postal: str | None, address: str) -> None:
    assert evaluate(postal_code_sql, [raw]) == [postal]
    assert evaluate(address_sql, [raw]) == [address]
