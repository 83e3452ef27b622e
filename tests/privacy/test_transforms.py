"""Every transform is SQL: masks, generalizations, HMAC pseudonyms, rare-row suppression."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable

import duckdb
import pytest

from kaifang.errors import ValidationError
from kaifang.privacy import ColumnPolicy, Policy, apply_policy
from kaifang.settings import Settings

MakeRelation = Callable[[dict[str, list[object]]], duckdb.DuckDBPyRelation]


def apply_one(
    make_relation: MakeRelation, settings: Settings, value: object, spec: ColumnPolicy
) -> object:
    rel = make_relation({"c": [value]})
    return apply_policy(rel, Policy(columns={"c": spec}), settings).fetchall()[0][0]


@pytest.mark.parametrize(
    ("value", "style", "expected"),
    [
        ("王小明", "name", "王○明"),
        ("歐陽娜娜", "name", "歐○○娜"),
        ("李大", "name", "李○"),
        ("0912-345-678", "phone", "0912-***-678"),
        ("0912345678", "phone", "0912***678"),
        ("A123456789", "middle", "A12****789"),
        ("someone@example.com", "email", "s***@example.com"),
        ("臺北市中正區重慶南路一段122號3樓", "address", "臺北市中正區重慶南路一段**號"),
        ("1985-03-12", "date", "1985-**-**"),
        (None, "name", None),
    ],
)
def test_mask(
    make_relation: MakeRelation, settings: Settings, value: str, style: str, expected: str
) -> None:
    assert apply_one(make_relation, settings, value, ColumnPolicy("mask", style=style)) == expected


def test_mask_identifiers_inside_text(make_relation: MakeRelation, settings: Settings) -> None:
    text = "請聯絡 0912-345-678 或 Ａ１２３４５６７８９，寄 a@b.tw，地址中山路1段2號"
    out = apply_one(make_relation, settings, text, ColumnPolicy("mask", style="text"))
    # full-width punctuation is folded; the address takes the characters before its road
    assert out == "請聯絡 [遮蔽] 或 [遮蔽],寄 [遮蔽],[遮蔽]"


@pytest.mark.parametrize(
    ("value", "to", "expected"),
    [
        ("1985-03-12", "month", "1985-03"),
        ("1985/03/12", "quarter", "1985Q1"),
        ("74/03/12", "year", "1985"),
        ("民國80年1月2日", "year", "1991"),
        ("0740312", "month", "1985-03"),
        ("19900101", "year", "1990"),
        ("not a date", "year", None),
        ("37", "band5", "35-39"),
        ("37歲", "band10", "30-39"),
        ("臺北市中正區重慶南路一段122號3樓", "range30", "臺北市中正區重慶南路一段121~150號"),
        ("臺北市大安區羅斯福路四段1~30號", "range30", "臺北市大安區羅斯福路四段1~30號"),
        ("臺北市大安區龍門里5鄰羅斯福路12號", "village", "臺北市大安區龍門里"),
        ("臺北市中正區重慶南路一段122號", "district", "臺北市中正區"),
        ("新竹縣竹北市光明六路10號", "district", "新竹縣竹北市"),
        ("新竹縣竹北市光明六路10號", "county", "新竹縣"),
        ("25.033964,121.564468", "grid3", "25.033,121.564"),
        ("2024-01-05 08:17:42", "5min", "2024-01-05 08:15"),
        ("2024-01-05 08:17:42", "hour", "2024-01-05 08:00"),
        ("2024-01-05 08:17:42", "day", "2024-01-05 00:00"),
        ("18~21", "hour", "18~21"),
    ],
)
def test_generalize(
    make_relation: MakeRelation, settings: Settings, value: str, to: str, expected: str | None
) -> None:
    spec = ColumnPolicy("generalize", to=to)
    assert apply_one(make_relation, settings, value, spec) == expected


@pytest.mark.parametrize("to", ["5min", "hour", "day"])
@pytest.mark.parametrize("column_type", ["TIMESTAMP", "DATE"])
def test_generalize_typed_times_as_their_text(
    settings: Settings, to: str, column_type: str
) -> None:
    """A typed time column is bucketed from its value; the result is what its text gives."""
    values = [
        "2024-01-05 08:17:42",
        "2024-01-05 08:17:42.987654",
        "2024-02-29 23:59:59.999999",
        "1999-12-31 00:00:00",
        "2024-01-05 00:04:59",
        None,
    ]
    con = duckdb.connect()
    listed = ", ".join("(NULL)" if v is None else f"('{v}')" for v in values)
    con.execute(
        f"CREATE TABLE t AS SELECT CAST(v AS {column_type}) AS c FROM (VALUES {listed}) _(v)"
    )
    policy = Policy(columns={"c": ColumnPolicy("generalize", to=to)})
    typed = apply_policy(con.sql("SELECT c FROM t"), policy, settings)
    as_text = apply_policy(con.sql("SELECT CAST(c AS VARCHAR) AS c FROM t"), policy, settings)
    assert "time_bucket" in typed.sql_query() and "TRY_CAST" not in typed.sql_query()
    assert typed.fetchall() == as_text.fetchall()
    con.close()


def test_generalize_numeric_coordinates_keeps_numbers(
    make_relation: MakeRelation, settings: Settings
) -> None:
    value = apply_one(make_relation, settings, 121.564468, ColumnPolicy("generalize", to="grid2"))
    assert value == pytest.approx(121.56)


def test_pseudonym_is_hmac_sha256_with_the_settings_key(
    make_relation: MakeRelation, settings: Settings
) -> None:
    keyed = settings.replace(pseudonym_key="s3cret-key")
    out = apply_one(make_relation, keyed, "A123456789", ColumnPolicy("pseudonymize"))
    expected = hmac.new(b"s3cret-key", b"A123456789", hashlib.sha256).hexdigest()
    assert out == expected


def test_pseudonym_with_a_long_key(make_relation: MakeRelation, settings: Settings) -> None:
    key = "k" * 100
    out = apply_one(
        make_relation, settings.replace(pseudonym_key=key), "王小明", ColumnPolicy("pseudonymize")
    )
    assert out == hmac.new(key.encode(), "王小明".encode(), hashlib.sha256).hexdigest()


def test_pseudonymize_without_key_names_the_setting(
    make_relation: MakeRelation, settings: Settings
) -> None:
    with pytest.raises(ValidationError, match="'c'") as err:
        apply_one(make_relation, settings, "x", ColumnPolicy("pseudonymize"))
    assert "KAIFANG_PSEUDONYM_KEY" in str(err.value)


def test_drop_and_keep(make_relation: MakeRelation, settings: Settings) -> None:
    rel = make_relation({"a": ["x"], "b": ["y"]})
    out = apply_policy(rel, Policy(columns={"a": ColumnPolicy("drop")}), settings)
    assert out.columns == ["b"]


def test_unknown_column_is_named(make_relation: MakeRelation, settings: Settings) -> None:
    rel = make_relation({"a": ["x"]})
    with pytest.raises(ValidationError, match="'電話'"):
        apply_policy(rel, Policy(columns={"電話": ColumnPolicy("drop")}), settings)


def test_suppress_rare_rows(make_relation: MakeRelation, settings: Settings) -> None:
    rel = make_relation({"區": ["中正區"] * 6 + ["大安區"] * 2, "值": list(range(8))})
    policy = Policy(columns={"區": ColumnPolicy("suppress")})
    assert sorted(r[1] for r in apply_policy(rel, policy, settings).fetchall()) == list(range(6))


@pytest.mark.parametrize(
    ("value", "to", "expected"),
    [
        ("1987-03-12", "year5", "1985-1989"),
        ("76/03/12", "year10", "1980-1989"),
        ("臺北市中山區松江路1~30號", "village", "臺北市中山區"),  # no 村/里: the district
    ],
)
def test_coarser_levels(
    make_relation: MakeRelation, settings: Settings, value: str, to: str, expected: str
) -> None:
    assert apply_one(make_relation, settings, value, ColumnPolicy("generalize", to=to)) == expected
