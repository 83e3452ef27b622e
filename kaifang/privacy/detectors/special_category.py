"""PDPA article 6 special categories (病歷、醫療、基因、性生活、健康檢查、犯罪前科): by
column name, or by values — ICD-10 codes (``E11.9``, ``J45``) and medical vocabulary."""

from __future__ import annotations

from kaifang.privacy.detectors.base import Detector

_ICD10 = r"^[a-tv-z][0-9][0-9a-z](?:\.[0-9a-z]{1,4})?$"
_MEDICAL = (
    "糖尿病|高血壓|癌|腫瘤|憂鬱|精神分裂|思覺失調|愛滋|hiv|氣喘|肝炎|結核|中風|失智|心臟病|"
    "流產|懷孕|性病|梅毒|diabetes|cancer|asthma|hypertension|depression"
)

DETECTOR = Detector(
    name="special_category",
    category="sensitive",
    label="特種個資 PDPA art. 6",
    pattern=f"{_ICD10}|{_MEDICAL}",
    context_pattern=".+",
    bounded=False,
    keywords=(
        "病歷",
        "診斷",
        "疾病",
        "病名",
        "傷病",
        "病史",
        "用藥",
        "處方",
        "醫療",
        "icd",
        "diagnosis",
        "disease",
        "基因",
        "genetic",
        "gene",
        "性生活",
        "性行為",
        "性傾向",
        "sexual",
        "健檢",
        "健康檢查",
        "health_check",
        "前科",
        "犯罪紀錄",
        "罪名",
        "criminal",
        "conviction",
    ),
    min_rate=0.3,
    mask_style="none",
    action="keep",
    reason="特種個資：僅能以 k ≥ 11 且 ℓ-多樣性 ≥ 2 發布 / special category: k ≥ 11, ℓ ≥ 2",
)
