"""Chinese person names: a common Taiwanese surname (or a compound one) and 1–2 given
characters filling the whole cell, optionally with 先生/小姐/女士. Values that end like a place
or an organization (市, 區, 路, 局, 院...) do not count. Without a column name such as 姓名,
負責人, 聯絡人, 申請人, 代表人 or 受刑人, most cells must match and the values must be varied
(a 縣市 column of 22 values is not a name column); see :mod:`kaifang.privacy.classify`."""

from __future__ import annotations

from kaifang.privacy.detectors.base import Detector
from kaifang.sqlutil import quote_literal

SURNAMES = (
    "陳林黃張李王吳劉蔡楊許鄭謝洪郭邱曾廖賴徐周葉蘇莊呂江何蕭羅高潘簡朱鍾游彭詹胡施沈余盧梁"
    "趙顏柯翁魏孫戴范方宋鄧杜傅侯曹薛丁卓阮馬董温溫唐藍蔣石古紀姚連馮歐程湯田康姜白汪鄒尤巫"
    "鐘龔嚴韓袁黎金涂童陸夏柳凃邵錢伍倪于譚駱熊任甘秦顧毛章史官萬俞雷粘饒包殷"
)
COMPOUND_SURNAMES = ("歐陽", "司馬", "諸葛", "張簡", "范姜", "上官", "司徒")
PERSON_KEYWORDS = (
    "姓名",
    "名字",
    "負責人",
    "聯絡人",
    "申請人",
    "代表人",
    "受刑人",
    "陳情人",
    "檢舉人",
    "病患",
    "病人",
    "患者",
    "當事人",
    "承辦人",
    "候選人",
    "被告",
    "收件人",
    "寄件人",
    "駕駛",
    "車主",
    "家長",
    "監護人",
    "person",
    "full_name",
    "applicant",
    "contact_name",
    "owner",
    "patient",
    "first_name",
    "last_name",
)
_NOT_A_NAME = (
    "(市|縣|區|鄉|鎮|村|里|路|街|段|號|局|所|處|署|院|校|會|司|部|組|科|站|館|園|場|廠|店|室|"
    "堂|宮|廟|寺|橋|港|島|灣|線|業|類|心|隊|班|庫|網|報|費|稅|案|表|單|證|樓)$"
)


def _not_a_place_sql(token: str) -> str:
    return f"NOT regexp_matches({token}, {quote_literal(_NOT_A_NAME)})"


_CJK = "[\\x{4e00}-\\x{9fff}]"
DETECTOR = Detector(
    name="person_name",
    category="direct_identifier",
    label="姓名 person name",
    pattern=(
        f"(?:{'|'.join(COMPOUND_SURNAMES)}|[{SURNAMES}]){_CJK}{{1,2}}(?: ?(?:先生|小姐|女士))?"
    ),
    whole_cell=True,
    validate=_not_a_place_sql,
    keywords=PERSON_KEYWORDS,
    min_rate=0.8,
    mask_style="name",
    requires=("cjk",),
    lengths=(2, 7),
    action="drop",
    reason="姓名可直接識別個人；法定公開名冊可改為遮罩 王○明 / a name identifies a person",
)
