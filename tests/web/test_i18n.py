from __future__ import annotations

import re
from pathlib import Path

import pytest

from kaifang.catalog.requests import ANSWERS
from kaifang.privacy.model import ACTIONS
from kaifang.web.i18n import MESSAGES

TEMPLATES = Path(__file__).resolve().parents[2] / "kaifang" / "web" / "templates"
LITERAL_KEY = re.compile(r"""\bt\(\s*["']([a-z_.\-]+)["']""")


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES.glob("*.html")))
def test_every_message_a_template_uses_exists(template: str) -> None:
    found = LITERAL_KEY.findall((TEMPLATES / template).read_text(encoding="utf-8"))
    used = {key for key in found if not key.endswith(".")}  # "prefix." ~ value: built keys
    assert used - set(MESSAGES) == set()


@pytest.mark.parametrize(
    "key",
    [f"action.{a}" for a in ACTIONS]
    + [f"request.status.{s}" for s in ("open", *ANSWERS)]
    + [f"score.band.{b}" for b in ("gold", "silver", "bronze", "none")]
    + [f"category.{c}" for c in ("direct_identifier", "quasi_identifier", "sensitive", "none")]
    + [f"facet.{f}" for f in ("organization", "groups", "tags", "res_format", "license_id", "band")]
    + [f"dash.level.{v}" for v in ("national", "county", "constituency", "district", "village")]
    + [f"dash.theft.{c}" for c in ("home", "car", "motorcycle", "bike")],
)
def test_built_keys_exist(key: str) -> None:
    assert key in MESSAGES


def test_every_message_has_both_languages() -> None:
    assert all(zh.strip() and en.strip() for zh, en in MESSAGES.values())
