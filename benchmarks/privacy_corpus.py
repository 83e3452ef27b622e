"""A labeled evaluation corpus for personal-data screening (generated, seeded).

Nineteen tables of thousands of rows modelled on real Taiwanese open-data files, ten of
them for the holes of issue 16: record numbers in sensitive domains (medical records,
student rosters, NHI cards, social-welfare cases, inmates), gantry codes in tables that are
not about trips, headerless trips with their path, generalized quasi-identifiers, and
tables published under a legal basis (:data:`BASIS_CASES`).
Every column is labeled with the category a careful reviewer would give it and the
detectors that should fire on it; ``bench_privacy.py`` scores kaifang and Presidio against
these labels.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝洪郭邱曾廖賴徐周葉蘇莊呂江何蕭羅高潘簡朱鍾游彭詹胡施沈余盧梁"
GIVEN = "志明美玲建宏雅婷家豪淑芬俊傑怡君冠宇佩珊宗翰欣怡承恩詩涵柏翰品妤子豪惠如文彬秀英大同"
ROMAN_SURNAMES = ["Wang", "Chen", "Lin", "Huang", "Chang", "Lee", "Wu", "Liu", "Tsai", "Yang"]
ROMAN_GIVEN = ["Xiao-Ming", "Mei-Ling", "Chih-Hao", "Ya-Ting", "Chia-Hao", "Shu-Fen", "Wei"]
CITIES = [
    ("臺北市", ["中正區", "大安區", "信義區", "中山區", "松山區"]),
    ("新北市", ["板橋區", "三重區", "中和區", "新莊區"]),
    ("臺中市", ["西屯區", "北區", "南屯區"]),
    ("高雄市", ["苓雅區", "左營區", "三民區"]),
]
ROADS = ["中山路", "中正路", "民生東路", "忠孝東路", "重慶南路", "羅斯福路", "成功路", "信義路"]
VILLAGES = ["龍門里", "光武里", "民炤里", "建國里", "仁愛里", "和平里", "忠孝里"]
LETTERS = "ABCDEFGHJKLMNPQRSTUVXYWZIO"
CODES = [
    10,
    11,
    12,
    13,
    14,
    15,
    16,
    17,
    18,
    19,
    20,
    21,
    22,
    23,
    24,
    25,
    26,
    27,
    28,
    29,
    30,
    31,
    32,
    33,
    34,
    35,
]
LETTER_CODE = dict(zip(LETTERS, CODES, strict=True))
ICD10 = ["E11.9", "J45", "I10", "C50.9", "F32.9", "K21.0", "M54.5", "N39.0", "J06.9", "E78.5"]
FULL = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})


@dataclass
class LabeledColumn:
    name: str
    values: list[str | None]
    category: str
    detectors: set[str] = field(default_factory=set)


@dataclass
class LabeledTable:
    name: str
    columns: list[LabeledColumn]

    @property
    def rows(self) -> int:
        return len(self.columns[0].values)


def _tw_check(body9: str) -> str:
    code = LETTER_CODE[body9[0]]
    second = "ABCD".index(body9[1]) if body9[1] in "ABCD" else int(body9[1])
    digits = [code // 10, code % 10, second, *map(int, body9[2:])]
    total = sum(d * w for d, w in zip(digits, [1, 9, 8, 7, 6, 5, 4, 3, 2, 1], strict=True))
    return body9 + str((10 - total % 10) % 10)


class Faker:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)

    def name(self) -> str:
        return self.r.choice(SURNAMES) + "".join(self.r.sample(GIVEN, self.r.choice([1, 2])))

    def roman(self) -> str:
        s, g = self.r.choice(ROMAN_SURNAMES), self.r.choice(ROMAN_GIVEN)
        return self.r.choice([f"{s} {g}", f"{s.upper()}, {g.upper()}", f"{g} {s}"])

    def national_id(self) -> str:
        return _tw_check(self.r.choice(LETTERS[:22]) + self.r.choice("12") + self._digits(7))

    def bad_id(self) -> str:
        good = self.national_id()
        return good[:-1] + str((int(good[-1]) + self.r.randint(1, 9)) % 10)

    def arc_old(self) -> str:
        return _tw_check(self.r.choice(LETTERS[:22]) + self.r.choice("ABCD") + self._digits(7))

    def arc_new(self) -> str:
        return _tw_check(self.r.choice(LETTERS[:22]) + self.r.choice("89") + self._digits(7))

    def _digits(self, n: int) -> str:
        return "".join(self.r.choice("0123456789") for _ in range(n))

    def mobile(self) -> str:
        d = "9" + self._digits(8)
        return self.r.choice(
            [
                f"0{d[:3]}-{d[3:6]}-{d[6:]}",
                f"0{d}",
                f"+886 {d[:3]} {d[3:6]} {d[6:]}",
                f"+886-{d[:3]}-{d[3:6]}-{d[6:]}",
                f"0{d[:3]} {d[3:6]} {d[6:]}",
            ]
        )

    def landline(self) -> str:
        area, number = self.r.choice([("02", 8), ("04", 7), ("049", 7), ("07", 7), ("089", 6)])
        num = self._digits(number)
        ext = self.r.choice(["", f"#{self.r.randint(10, 2999)}"])
        cut = number - 4
        return self.r.choice(
            [
                f"({area}){num[:cut]}-{num[cut:]}{ext}",
                f"({area}){num}{ext}",
                f"{area}-{num[:cut]}-{num[cut:]}",
            ]
        )

    def phone(self) -> str:
        return self.mobile() if self.r.random() < 0.6 else self.landline()

    def address(self) -> str:
        city, districts = self.r.choice(CITIES)
        lane = self.r.choice(["", f"{self.r.randint(1, 300)}巷"])
        return (
            f"{city}{self.r.choice(districts)}{self.r.choice(ROADS)}"
            f"{self.r.choice(['', '一段', '二段', '三段'])}{lane}{self.r.randint(1, 400)}號"
            f"{self.r.choice(['', '3樓', '5樓之2'])}"
        )

    def coarse_address(self) -> str:
        city, districts = self.r.choice(CITIES)
        low = self.r.randint(0, 10) * 30 + 1
        return f"{city}{self.r.choice(districts)}{self.r.choice(ROADS)}{low}~{low + 29}號"

    def roc_date(self, start: int = 110) -> str:
        return f"{self.r.randint(start, 113)}{self.r.randint(1, 12):02d}{self.r.randint(1, 28):02d}"

    def iso_time(self) -> str:
        return (
            f"2024-{self.r.randint(1, 12):02d}-{self.r.randint(1, 28):02d} "
            f"{self.r.randint(0, 23):02d}:{self.r.randint(0, 59):02d}:{self.r.randint(0, 59):02d}"
        )

    def birth(self) -> str:
        y, m, d = self.r.randint(1940, 2005), self.r.randint(1, 12), self.r.randint(1, 28)
        return self.r.choice(
            [
                f"{y}-{m:02d}-{d:02d}",
                f"{y - 1911}/{m:02d}/{d:02d}",
                f"民國{y - 1911}年{m}月{d}日",
                f"{y - 1911:03d}{m:02d}{d:02d}",
                f"{y}{m:02d}{d:02d}",
            ]
        )

    def plate(self) -> str:
        letters = "".join(self.r.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(3))
        return self.r.choice(
            [
                f"{letters}-{self._digits(4)}",
                f"{letters[:2]}-{self._digits(4)}",
                f"{self._digits(4)}-{letters[:2]}",
            ]
        )

    def ubn(self) -> str:
        while True:
            body = self._digits(8)
            total = sum(
                (int(c) * w) // 10 + (int(c) * w) % 10
                for c, w in zip(body, [1, 2, 1, 2, 1, 2, 4, 1], strict=True)
            )
            if total % 10 == 0:
                return body

    def luhn(self) -> str:
        body = "4" + self._digits(14)
        for last in "0123456789":
            digits = [int(c) for c in body + last][::-1]
            if (
                sum(
                    d if i % 2 == 0 else (d * 2 - 9 if d > 4 else d * 2)
                    for i, d in enumerate(digits)
                )
                % 10
                == 0
            ):
                n = body + last
                return self.r.choice([n, f"{n[:4]}-{n[4:8]}-{n[8:12]}-{n[12:]}"])
        raise AssertionError

    def sometimes(self, every: int, hit: str, miss: str) -> str:
        return hit if self.r.randrange(every) == 0 else miss


def corpus(rows: int = 3000, seed: int = 7) -> list[LabeledTable]:
    f = Faker(seed)
    n = range(rows)
    complaint = [
        "路燈故障已多日，請儘速派員修復",
        "住家附近垃圾清運時間不固定，影響環境衛生",
        "公園遊具損壞，孩童使用有危險，請處理",
        "道路坑洞造成機車騎士危險，請盡快填補",
    ]

    def text(extra: str) -> str:
        return f"{f.r.choice(complaint)}，聯絡方式 {extra}，謝謝"

    C = LabeledColumn
    tables = [
        LabeledTable(
            "petitions",
            [
                C("案號", [f"11300{i:05d}" for i in n], "none"),
                C("陳情人", [f.name() for _ in n], "direct_identifier", {"person_name"}),
                C(
                    "身分證字號",
                    [f.national_id() for _ in n],
                    "direct_identifier",
                    {"tw_national_id"},
                ),
                C("聯絡電話", [f.phone() for _ in n], "direct_identifier", {"phone"}),
                C(
                    "電子郵件",
                    [f"user{i}@example.com.tw" for i in n],
                    "direct_identifier",
                    {"email"},
                ),
                C("地址", [f.address() for _ in n], "direct_identifier", {"address"}),
                C(
                    "陳情內容",
                    [f.sometimes(100, text(f.mobile()), f.r.choice(complaint)) for _ in n],
                    "direct_identifier",
                    {"phone"},
                ),
                C("受理日期", [f.roc_date() for _ in n], "quasi_identifier", {"event_time"}),
            ],
        ),
        LabeledTable(
            "school_directory",
            [
                C("學校代碼", [f"{i % 900 + 100:03d}{i % 997:03d}" for i in n], "none"),
                C("學校名稱", [f"市立第{i}國民小學" for i in n], "none"),
                C("縣市", [f.r.choice(CITIES)[0] for _ in n], "none", {"coarse_address"}),
                C("地址", [f.address() for _ in n], "none", {"address"}),
                C("電話", [f.landline() for _ in n], "none", {"phone"}),
                C("網址", [f"https://www.school{i}.edu.tw" for i in n], "none"),
                C("緯度", [f"{f.r.uniform(22.0, 25.2):.6f}" for _ in n], "none", {"coordinates"}),
                C("經度", [f"{f.r.uniform(120.1, 121.9):.6f}" for _ in n], "none", {"coordinates"}),
            ],
        ),
        LabeledTable(
            "theft_points",
            [
                C("編號", [str(i + 1) for i in n], "none"),
                C(
                    "案類",
                    [f.r.choice(["住宅竊盜", "汽車竊盜", "機車竊盜", "自行車竊盜"]) for _ in n],
                    "none",
                ),
                C("發生日期", [f.roc_date(112) for _ in n], "quasi_identifier", {"event_time"}),
                C(
                    "發生時段",
                    [
                        f.r.choice(
                            ["00~03", "03~06", "06~09", "09~12", "12~15", "15~18", "18~21", "21~24"]
                        )
                        for _ in n
                    ],
                    "quasi_identifier",
                    {"event_time"},
                ),
                C(
                    "發生地點",
                    [f.coarse_address() for _ in n],
                    "quasi_identifier",
                    {"coarse_address"},
                ),
            ],
        ),
        LabeledTable(
            "etc_trips",
            [
                C("VehicleType", [f.r.choice(["31", "32", "41", "42", "5"]) for _ in n], "none"),
                C("DetectionTime_O", [f.iso_time() for _ in n], "quasi_identifier", {"event_time"}),
                C(
                    "GantryID_O",
                    [
                        f"0{f.r.randint(1, 5)}F{f.r.randint(0, 3500):04d}{f.r.choice('NS')}"
                        for _ in n
                    ],
                    "quasi_identifier",
                    {"trip_place", "gantry_code"},
                ),
                C("DetectionTime_D", [f.iso_time() for _ in n], "quasi_identifier", {"event_time"}),
                C(
                    "GantryID_D",
                    [
                        f"0{f.r.randint(1, 5)}F{f.r.randint(0, 3500):04d}{f.r.choice('NS')}"
                        for _ in n
                    ],
                    "quasi_identifier",
                    {"trip_place", "gantry_code"},
                ),
                C("TripLength", [f"{f.r.uniform(1, 300):.1f}" for _ in n], "none"),
                C("車牌號碼", [f.plate() for _ in n], "direct_identifier", {"vehicle_plate"}),
                C(
                    "OBU_Tag",
                    [f"{f.r.getrandbits(64):016x}" for _ in n],
                    "direct_identifier",
                    {"device_id"},
                ),
            ],
        ),
        LabeledTable(
            "clinic_visits",
            [
                C(
                    "醫院名稱",
                    [f.r.choice(["臺大醫院", "榮民總醫院", "馬偕醫院"]) for _ in n],
                    "none",
                ),
                C("姓名", [f.name() for _ in n], "direct_identifier", {"person_name"}),
                C(
                    "身分證字號",
                    [f.national_id() for _ in n],
                    "direct_identifier",
                    {"tw_national_id"},
                ),
                C(
                    "健保卡號",
                    [f"0000{f._digits(8)}" for _ in n],
                    "direct_identifier",
                    {"nhi_card", "record_number"},  # a card number is a record number too
                ),
                C(
                    "出生日期",
                    [f.birth() for _ in n],
                    "quasi_identifier",
                    {"birth_date", "event_time"},
                ),
                C("性別", [f.r.choice("男女") for _ in n], "quasi_identifier", {"sex"}),
                C("就診日期", [f.roc_date() for _ in n], "quasi_identifier", {"event_time"}),
                C("診斷碼", [f.r.choice(ICD10) for _ in n], "sensitive", {"special_category"}),
            ],
        ),
        LabeledTable(
            "company_registry",
            [
                C("統一編號", [f.ubn() for _ in n], "none", {"company_tax_id"}),
                C("公司名稱", [f"{f.r.choice(ROADS)[:2]}{i}實業股份有限公司" for i in n], "none"),
                C("公司地址", [f.address() for _ in n], "none", {"address"}),
                C("電話", [f.landline() for _ in n], "none", {"phone"}),
                C("資本額", [str(f.r.randint(1, 5000) * 100000) for _ in n], "none"),
                C("核准設立日期", [f.roc_date(80) for _ in n], "none", {"event_time"}),
            ],
        ),
        LabeledTable(
            "lookalikes",
            [
                C("序號", [f.bad_id() for _ in n], "none"),
                C(
                    "GantryID",
                    [f"0{f.r.randint(1, 5)}F{f.r.randint(0, 3500):04d}S" for _ in n],
                    "none",
                    {"gantry_code"},
                ),
                C(
                    "郵遞區號",
                    [f.r.choice(["100", "106", "10617", "40601", "970004"]) for _ in n],
                    "none",
                ),
                C("件數", [str(f.r.randint(0, 20000)) for _ in n], "none"),
                C("金額", [f"{f.r.uniform(10, 10**7):.2f}" for _ in n], "none"),
                C("時間", [f.iso_time() for _ in n], "none", {"event_time"}),
                C(
                    "時段",
                    [f.r.choice(["18~21", "00~03", "06~09"]) for _ in n],
                    "none",
                    {"event_time"},
                ),
                C("卡片序號", [f._digits(16) for _ in n], "none"),
            ],
        ),
        LabeledTable(
            "obfuscated_ids",
            [
                C(
                    "身分證_全形",
                    [f.national_id().translate(FULL) for _ in n],
                    "direct_identifier",
                    {"tw_national_id"},
                ),
                C(
                    "身分證_小寫",
                    [f.national_id().lower() for _ in n],
                    "direct_identifier",
                    {"tw_national_id"},
                ),
                C(
                    "舊居留證",
                    [f.arc_old() for _ in n],
                    "direct_identifier",
                    {"tw_resident_certificate"},
                ),
                C(
                    "新居留證",
                    [f.arc_new() for _ in n],
                    "direct_identifier",
                    {"tw_resident_certificate"},
                ),
                C(
                    "備註",
                    [f.sometimes(100, f"請回電{f.mobile().translate(FULL)}", "已結案") for _ in n],
                    "direct_identifier",
                    {"phone"},
                ),
            ],
        ),
        LabeledTable(
            "foreign_residents",
            [
                C("英文姓名", [f.roman() for _ in n], "direct_identifier", {"romanized_name"}),
                C("護照號碼", [f._digits(9) for _ in n], "direct_identifier", {"passport"}),
                C(
                    "國籍",
                    [f.r.choice(["越南", "印尼", "菲律賓", "泰國"]) for _ in n],
                    "quasi_identifier",
                    {"occupation"},
                ),
                C("年齡", [str(f.r.randint(18, 60)) for _ in n], "quasi_identifier", {"age"}),
                C(
                    "登入IP",
                    [
                        f"{f.r.randint(1, 223)}.{f.r.randint(0, 255)}.{f.r.randint(0, 255)}."
                        f"{f.r.randint(1, 254)}"
                        for _ in n
                    ],
                    "direct_identifier",
                    {"ip_address"},
                ),
                C("信用卡號", [f.luhn() for _ in n], "direct_identifier", {"credit_card"}),
                C(
                    "電子信箱",
                    [f"{f.roman().split()[0].lower()}{i}@mail.com" for i in n],
                    "direct_identifier",
                    {"email"},
                ),
            ],
        ),
        *issue16_tables(f, n),
        *basis_tables(f, n),
    ]
    return tables


def issue16_tables(f: Faker, n: range) -> list[LabeledTable]:
    """Cases for the holes of issue 16: a medical-record number and a student number are
    direct identifiers although their tables are medical or school files (hole 6); gantry
    codes with monthly counts are infrastructure, not trip places (hole 7); trips with no
    header are found from their values (hole 8)."""
    C = LabeledColumn
    gantry = [f"0{f.r.randint(1, 5)}F{f.r.randint(0, 3500):04d}{f.r.choice('NS')}" for _ in n]
    passage = [f"{f.iso_time()[:10]} {f.r.randint(0, 23):02d}:{f.r.randint(0, 59):02d}:"
               f"{f.r.randint(1, 59):02d}" for _ in n]  # fmt: skip
    return [
        LabeledTable(
            "medical_records",
            [
                C(
                    "病歷號碼",
                    [f"MR{f._digits(8)}" for _ in n],
                    "direct_identifier",
                    {"record_number", "special_category"},
                ),
                C("診斷碼", [f.r.choice(ICD10) for _ in n], "sensitive", {"special_category"}),
                C("就診日期", [f.roc_date() for _ in n], "quasi_identifier", {"event_time"}),
                C("科別", [f.r.choice(["內科", "外科", "兒科", "家醫科"]) for _ in n], "none"),
            ],
        ),
        LabeledTable(
            "student_roster",
            [
                C("學號", [f"1{i:07d}" for i in n], "direct_identifier", {"record_number"}),
                C("班級", [f"{f.r.randint(1, 6)}年{f.r.randint(1, 9)}班" for _ in n], "none"),
                C("學校名稱", [f"市立第{i % 40}國民小學" for i in n], "none"),
            ],
        ),
        LabeledTable(
            "gantry_monthly",
            [
                C("月份", [f"2024-{f.r.randint(1, 12):02d}" for _ in n], "none", {"event_time"}),
                C("門架代碼", gantry, "none", {"gantry_code"}),
                C("累計車次", [str(f.r.randint(1_000, 9_000_000)) for _ in n], "none"),
            ],
        ),
        LabeledTable(
            "etc_trips_headerless",
            [
                C("column_1", [f.r.choice(["31", "32", "41", "42", "5"]) for _ in n], "none"),
                C("column_2", passage, "quasi_identifier", {"event_time"}),
                C("column_3", gantry, "quasi_identifier", {"gantry_code"}),
                C("column_4", list(reversed(passage)), "quasi_identifier", {"event_time"}),
                C("column_5", list(reversed(gantry)), "quasi_identifier", {"gantry_code"}),
                C("column_6", [f"{f.r.uniform(1, 300):.1f}" for _ in n], "none"),
            ],
        ),
    ]


@dataclass
class BasisCase:
    """A table published under a legal basis: the listed basis (its label), the columns it
    names, and the columns that must still block the publish."""

    table: str
    label: str
    columns: tuple[str, ...]
    still_blocking: tuple[str, ...]


BASIS_CASES = [
    BasisCase("candidates", "公職人員選舉罷免法第47條", ("姓名",), ("身分證字號", "住址")),
    BasisCase("lawyers", "律師法第136條", ("律師姓名", "事務所電話"), ("身分證字號",)),
]
"""Legal-basis coverage (issue 16 hole 1): a basis covers only the columns it names."""


def basis_tables(f: Faker, n: range) -> list[LabeledTable]:
    """Issue 16 cases added with the structured legal basis: tables published under a basis
    (:data:`BASIS_CASES`), quasi-identifiers already generalized (address ranges, 5-year
    birth bands: still quasi-identifiers, hole 2), more numbers of a person's record
    (NHI card, social-welfare case, inmate and student numbers, hole 6), a gantry location
    table (infrastructure, hole 7) and raw M06A trips without a header, trip path included
    (hole 8)."""
    C = LabeledColumn
    gantry = [f"0{f.r.randint(1, 5)}F{f.r.randint(0, 3500):04d}{f.r.choice('NS')}" for _ in n]
    start = [f"2024-03-25 {f.r.randint(0, 23):02d}:{f.r.randint(0, 59):02d}:"
             f"{f.r.randint(0, 59):02d}" for _ in n]  # fmt: skip
    end = [f"{t[:14]}{min(59, int(t[14:16]) + f.r.randint(1, 9)):02d}{t[16:]}" for t in start]
    other = [f"0{f.r.randint(1, 5)}F{f.r.randint(0, 3500):04d}{f.r.choice('NS')}" for _ in n]
    lower = [1950 + 5 * f.r.randint(0, 9) for _ in n]
    return [
        LabeledTable(
            "candidates",
            [
                C("號次", [str(1 + i % 9) for i in n], "none"),
                C("姓名", [f.name() for _ in n], "direct_identifier", {"person_name"}),
                C("出生日期", [f.birth() for _ in n], "quasi_identifier", {"birth_date"}),
                C(
                    "身分證字號",
                    [f.national_id() for _ in n],
                    "direct_identifier",
                    {"tw_national_id"},
                ),
                C("住址", [f.address() for _ in n], "direct_identifier", {"address"}),
            ],
        ),
        LabeledTable(
            "lawyers",
            [
                C("律師姓名", [f.name() for _ in n], "direct_identifier", {"person_name"}),
                C("事務所電話", [f.landline() for _ in n], "direct_identifier", {"phone"}),
                C(
                    "身分證字號",
                    [f.national_id() for _ in n],
                    "direct_identifier",
                    {"tw_national_id"},
                ),
                C(
                    "公會",
                    [f.r.choice(["臺北律師公會", "臺中律師公會", "高雄律師公會"]) for _ in n],
                    "none",
                ),
            ],
        ),
        LabeledTable(
            "generalized_people",
            [
                C(
                    "地址區段",
                    [f.coarse_address() for _ in n],
                    "quasi_identifier",
                    {"coarse_address"},
                ),
                C(
                    "出生年區間",
                    [f"{y}-{y + 4}" for y in lower],
                    "quasi_identifier",
                    {"birth_date"},
                ),
                C("性別", [f.r.choice(["男", "女"]) for _ in n], "quasi_identifier", {"sex"}),
                C("補助金額", [str(f.r.randint(1, 60) * 500) for _ in n], "none"),
            ],
        ),
        LabeledTable(
            "record_numbers",
            [
                C(
                    "健保卡號",
                    [f._digits(12) for _ in n],
                    "direct_identifier",
                    {"nhi_card", "record_number"},
                ),
                C(
                    "社福個案編號",
                    [f"SW{f._digits(9)}" for _ in n],
                    "direct_identifier",
                    {"record_number"},
                ),
                C(
                    "收容人編號",
                    [f"{f._digits(7)}" for _ in n],
                    "direct_identifier",
                    {"record_number"},
                ),
                C("學生證號", [f"S{i:08d}" for i in n], "direct_identifier", {"record_number"}),
                C("服務項目", [f.r.choice(["居家照顧", "送餐", "交通接送"]) for _ in n], "none"),
            ],
        ),
        LabeledTable(
            "gantry_locations",
            [
                C("門架編號", gantry, "none", {"gantry_code"}),
                C("里程", [f"{f.r.uniform(0, 370):.1f}" for _ in n], "none"),
                C("方向", [f.r.choice(["北", "南"]) for _ in n], "none"),
                C("啟用年", [str(f.r.randint(2012, 2020)) for _ in n], "none"),
            ],
        ),
        LabeledTable(
            "m06a_headerless",
            [
                C("column_1", [f.r.choice(["31", "32", "41", "42", "5"]) for _ in n], "none"),
                C("column_2", start, "quasi_identifier", {"event_time"}),
                C("column_3", gantry, "quasi_identifier", {"gantry_code"}),
                C("column_4", end, "quasi_identifier", {"event_time"}),
                C("column_5", other, "quasi_identifier", {"gantry_code"}),
                C("column_6", [f"{f.r.uniform(1, 300):.1f}" for _ in n], "none"),
                C("column_7", ["Y"] * len(n), "none"),
                C(
                    "column_8",
                    [
                        f"{a}+{g}; {b}+{h}"
                        for a, g, b, h in zip(start, gantry, end, other, strict=True)
                    ],
                    "quasi_identifier",
                    {"trip_path"},
                ),
            ],
        ),
    ]
