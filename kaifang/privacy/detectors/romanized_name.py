"""Romanized Chinese names (``Wang Xiao-Ming``, ``CHEN, MEI-LING``, ``Xiao-Ming Wang``):
English-looking words are too common to judge alone, so only under a name column."""

from __future__ import annotations

from kaifang.privacy.detectors.base import Detector
from kaifang.privacy.detectors.person_name import PERSON_KEYWORDS

DETECTOR = Detector(
    name="romanized_name",
    category="direct_identifier",
    label="英文姓名 romanized name",
    pattern=r"[a-z]{2,},? [a-z]{2,}(?:[- ][a-z]{2,})?",
    whole_cell=True,
    needs_context=True,
    keywords=(*PERSON_KEYWORDS, "英文姓名", "name"),
    min_rate=0.5,
    mask_style="middle",
    requires=("latin",),
    lengths=(5, 60),
    action="drop",
    reason="英文姓名可直接識別個人 / a romanized name identifies a person",
)
