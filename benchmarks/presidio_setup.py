"""Presidio configured for Taiwan as well as we fairly can, without downloading a model.

spaCy models cannot be downloaded here, so the NLP engine is a blank spaCy ``zh`` pipeline
(character tokens, no NER): Presidio's pattern recognizers, checksums and context words still
work; only its NER-based PERSON/LOCATION recognizers are unavailable, and custom regex
recognizers stand in for them. Context words come from the column name, passed to
``analyze(context=[...])`` — the closest Presidio gets to column awareness.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import spacy
import tldextract
from presidio_analyzer import (
    AnalyzerEngine,
    BatchAnalyzerEngine,
    Pattern,
    PatternRecognizer,
    RecognizerRegistry,
)
from presidio_analyzer.nlp_engine import SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    EmailRecognizer,
    IpRecognizer,
    PhoneRecognizer,
)
from privacy_corpus import LETTER_CODE, SURNAMES

NAME_CONTEXT = ["姓名", "陳情人", "負責人", "聯絡人", "申請人", "代表人", "name"]

# Presidio entity -> kaifang detector name, for scoring.
ENTITY_TO_DETECTOR = {
    "TW_NATIONAL_ID": "tw_national_id",
    "TW_ARC": "tw_resident_certificate",
    "TW_PASSPORT": "passport",
    "TW_NHI": "nhi_card",
    "PHONE_NUMBER": "phone",
    "TW_PHONE": "phone",
    "EMAIL_ADDRESS": "email",
    "IP_ADDRESS": "ip_address",
    "CREDIT_CARD": "credit_card",
    "TW_PLATE": "vehicle_plate",
    "DEVICE_ID": "device_id",
    "ZH_PERSON": "person_name",
    "ROMAN_NAME": "romanized_name",
    "TW_ADDRESS": "address",
}


class BlankChineseNlpEngine(SpacyNlpEngine):
    """A SpacyNlpEngine over ``spacy.blank('zh')``: no model download, no NER."""

    def __init__(self) -> None:
        super().__init__(models=[{"lang_code": "zh", "model_name": "blank_zh"}])
        self.nlp = {"zh": spacy.blank("zh")}

    def load(self) -> None:  # the blank pipeline is already built
        return None


def _tw_checksum(text: str) -> bool:
    value = unicodedata.normalize("NFKC", text).upper()
    if len(value) != 10 or value[0] not in LETTER_CODE:
        return False
    code = LETTER_CODE[value[0]]
    second = "ABCD".index(value[1]) if value[1] in "ABCD" else int(value[1])
    digits = [code // 10, code % 10, second, *map(int, value[2:])]
    weights = [1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1]
    return sum(d * w for d, w in zip(digits, weights, strict=True)) % 10 == 0


class TwIdRecognizer(PatternRecognizer):
    def validate_result(self, pattern_text: str) -> bool:
        return _tw_checksum(pattern_text)


def _pattern(entity: str, regex: str, score: float, context: list[str] | None = None) -> Any:
    return PatternRecognizer(
        supported_entity=entity,
        patterns=[Pattern(entity.lower(), regex, score)],
        context=context,
        supported_language="zh",
    )


def _offline_tldextract() -> None:
    """Presidio's e-mail validation calls ``tldextract.extract``, which fetches the public
    suffix list over the network; use the snapshot bundled with tldextract instead."""
    tldextract.extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def build_analyzer() -> BatchAnalyzerEngine:
    _offline_tldextract()
    registry = RecognizerRegistry(supported_languages=["zh"])
    letter, one_two, digit = "[A-Za-zＡ-Ｚａ-ｚ]", "[12１２]", "[0-9０-９]"
    registry.add_recognizer(
        TwIdRecognizer(
            supported_entity="TW_NATIONAL_ID",
            patterns=[Pattern("tw_id", f"{letter}{one_two}{digit}{{8}}", 0.6)],
            context=["身分證", "身份證"],
            supported_language="zh",
        )
    )
    registry.add_recognizer(
        TwIdRecognizer(
            supported_entity="TW_ARC",
            patterns=[Pattern("tw_arc", f"{letter}[A-Da-d89８９]{digit}{{8}}", 0.6)],
            context=["居留證", "統一證號"],
            supported_language="zh",
        )
    )
    for recognizer in (
        EmailRecognizer(supported_language="zh"),
        IpRecognizer(supported_language="zh"),
        CreditCardRecognizer(supported_language="zh"),
        PhoneRecognizer(
            supported_language="zh",
            supported_regions=("TW",),
            context=["電話", "手機", "phone", "tel"],
        ),
        _pattern("TW_PHONE", r"(?:\+886[ -]?|0)9\d{2}[ -]?\d{3}[ -]?\d{3}", 0.6),
        _pattern("TW_PHONE", r"\(0\d{1,3}\)\s?\d{3,4}-?\d{3,4}(?:#\d+)?", 0.6),
        _pattern("TW_PASSPORT", r"\b\d{9}\b", 0.1, ["護照", "passport"]),
        _pattern("TW_NHI", r"\b\d{12}\b", 0.1, ["健保"]),
        _pattern("TW_PLATE", r"\b(?:[A-Z]{2,3}-\d{4}|\d{4}-[A-Z]{2})\b", 0.4, ["車牌", "plate"]),
        _pattern("DEVICE_ID", r"\b[0-9a-f]{16}\b", 0.1, ["tag", "obu", "裝置"]),
        _pattern("ZH_PERSON", f"^[{SURNAMES}][\u4e00-\u9fff]{{1,2}}$", 0.3, NAME_CONTEXT),
        _pattern(
            "ROMAN_NAME",
            r"^[A-Za-z]{2,},? [A-Za-z]{2,}(?:[- ][A-Za-z]{2,})?$",
            0.1,
            [*NAME_CONTEXT, "英文姓名"],
        ),
        _pattern(
            "TW_ADDRESS",
            "[\u4e00-\u9fff]{2,}(?:路|街|大道)(?:[一二三四五六七八九十\\d]+段)?(?:\\d+巷)?(?:\\d+弄)?\\d+號",
            0.6,
        ),
    ):
        registry.add_recognizer(recognizer)
    engine = AnalyzerEngine(
        registry=registry,
        nlp_engine=BlankChineseNlpEngine(),
        supported_languages=["zh"],
        default_score_threshold=0.4,
    )
    return BatchAnalyzerEngine(analyzer_engine=engine)
