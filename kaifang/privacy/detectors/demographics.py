"""Person attributes that are quasi-identifiers: age, sex, occupation, nationality,
marital status — by column name, checked against the values where they have a shape."""

from __future__ import annotations

from kaifang.privacy.detectors.base import Detector

AGE = Detector(
    name="age",
    lengths=(1, 4),
    requires=("digit",),
    category="quasi_identifier",
    label="年齡 age",
    pattern="[0-9]{1,3}(?:歲)?",
    whole_cell=True,
    validate=lambda tok: f"TRY_CAST(regexp_replace({tok}, '歲', '') AS INTEGER) <= 120",
    needs_context=True,
    keywords=("年齡", "歲", "age"),
    min_rate=0.5,
    mask_style="none",
    action="generalize",
    reason="年齡為間接識別資料，建議 5 或 10 歲分組 / age: use 5- or 10-year bands",
)

SEX = Detector(
    name="sex",
    lengths=(1, 6),
    category="quasi_identifier",
    label="性別 sex",
    pattern="男|女|男性|女性|m|f|male|female",
    whole_cell=True,
    keywords=("性別", "sex", "gender"),
    min_rate=0.9,
    mask_style="none",
    action="keep",
    reason="性別為間接識別資料，納入 k 匿名檢查 / sex is a quasi-identifier",
)

OCCUPATION = Detector(
    name="occupation",
    category="quasi_identifier",
    label="職業 occupation / 國籍 / 婚姻",
    pattern=".+",
    bounded=False,
    needs_context=True,
    keywords=("職業", "職稱", "occupation", "job", "國籍", "nationality", "婚姻", "marital"),
    min_rate=0.5,
    mask_style="none",
    action="keep",
    reason="職業、國籍、婚姻為間接識別資料 / occupation, nationality, marital status are QIs",
)

PLACE = Detector(
    name="trip_place",
    category="quasi_identifier",
    label="起訖地點 trip origin/destination",
    pattern=".+",
    bounded=False,
    needs_context=True,
    keywords=(
        "起點",
        "終點",
        "起站",
        "迄站",
        "上車",
        "下車",
        "origin",
        "destination",
        "gantryid_o",
        "gantryid_d",
        "門架",
    ),
    min_rate=0.5,
    mask_style="none",
    action="keep",
    reason="旅次起訖地點與時間可重建行蹤 / trip ends with times rebuild a person's route",
)
