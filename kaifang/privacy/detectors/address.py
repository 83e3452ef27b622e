"""Addresses down to the house number (…路/街/段…巷…弄…號, or …村/里…鄰…號). Deliberately
coarsened addresses (``1~30號`` ranges, a village, a district) do not match: they are
:mod:`kaifang.privacy.detectors.coarse_address`."""

from __future__ import annotations

from kaifang.privacy.detectors.base import Detector

_CJK = "[\\x{4e00}-\\x{9fff}]"
_NUM = "[0-9一二三四五六七八九十]"
DETECTOR = Detector(
    name="address",
    category="direct_identifier",
    label="門牌地址 street address",
    pattern=(
        f"{_CJK}{{1,12}}(?:路|街|大道)(?:{_NUM}+段)?(?:[0-9]+巷)?(?:[0-9]+弄)?[0-9]+(?:之[0-9]+)?號"
        f"|{_CJK}{{1,4}}(?:村|里)[0-9]+鄰(?:{_CJK}{{1,8}})?[0-9]+(?:之[0-9]+)?號"
    ),
    bounded=False,
    strong=True,
    contact=True,
    keywords=("地址", "住址", "戶籍", "通訊處", "居住地", "address"),
    mask_style="address",
    requires=("cjk", "digit"),
    lengths=(5, None),
    action="generalize",
    reason="門牌地址可識別住戶；請粗化為 1~30號 區間或村里 / a house address identifies a home",
)
