"""Fictional candidates: names drawn from common characters, with the personal fields the
CEC publishes (sex, ROC birth date, age, birthplace, education, incumbency)."""

from __future__ import annotations

import random
from dataclasses import dataclass

_SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周徐蘇葉莊呂江何蕭羅高潘簡朱鍾游彭詹胡施沈余盧梁"
_GIVEN = "志明嘉玲建宏淑芬俊傑雅婷家豪怡君冠宇宗翰美惠文雄秀英信良佩珊承恩育誠靜宜國華麗珠振"
_EDUCATION = ("博士", "碩士", "研究所", "大學", "大專", "專科", "高中")
_BIRTHPLACES = ("臺灣省", "臺北市", "高雄市", "新北市", "臺中市", "臺南市", "其他省市")

PARTIES: tuple[tuple[str, str], ...] = (
    ("1", "中國國民黨"),
    ("16", "民主進步黨"),
    ("90", "親民黨"),
    ("95", "台灣團結聯盟"),
    ("74", "新黨"),
    ("267", "時代力量"),
    ("350", "台灣民眾黨"),
    ("999", "無黨籍及未經政黨推薦"),
)


@dataclass(frozen=True)
class Person:
    name: str
    sex: str
    birth: str
    age: int
    birthplace: str
    education: str
    incumbent: str


def make_person(rng: random.Random, election_year: int, used: set[str]) -> Person:
    """A fictional candidate aged 30–75 at the election (name unique within ``used``)."""
    while True:
        name = rng.choice(_SURNAMES) + rng.choice(_GIVEN) + rng.choice(_GIVEN)
        if name not in used and name[1] != name[2]:
            used.add(name)
            break
    age = rng.randint(30, 75)
    year = election_year - age - 1911
    birth = f"{year:03d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    return Person(
        name=name,
        sex=rng.choice("1112"),
        birth=birth,
        age=age,
        birthplace=rng.choice(_BIRTHPLACES),
        education=rng.choice(_EDUCATION),
        incumbent=rng.choice("NNNY"),
    )
