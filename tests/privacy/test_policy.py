"""Policies: proposed from a scan, written as YAML, edited, loaded back, validated."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kaifang.errors import ValidationError
from kaifang.privacy import Policy, ScreeningReport, load_policy, propose_policy
from tests.privacy.conftest import national_ids

ScreenColumns = Callable[[dict[str, list[object]]], ScreeningReport]


def test_proposal_round_trips_through_yaml(screen_columns: ScreenColumns, tmp_path: Path) -> None:
    report = screen_columns(
        {
            "身分證字號": national_ids(20),
            "出生日期": ["1985-03-12", "1990-01-01"] * 10,
            "性別": ["男", "女"] * 10,
            "備註": ["請回電 0912-345-678"] + ["路燈故障請派員處理謝謝您"] * 19,
        }
    )
    policy = propose_policy(report)
    path = tmp_path / "policy.yaml"
    path.write_text(policy.to_yaml(), encoding="utf-8")
    loaded = load_policy(path)
    assert loaded == policy
    assert {n: (c.action, c.to, c.style) for n, c in loaded.columns.items()} == {
        "身分證字號": ("drop", None, None),
        "出生日期": ("generalize", "year", None),
        "性別": ("keep", None, None),
        "備註": ("mask", None, "text"),
    }
    assert loaded.quasi_identifiers == ["出生日期", "性別"]
    assert "pseudonymization" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("columns:\n  電話: {action: shred}\n", "'電話' has unknown action 'shred'"),
        ("columns:\n  生日: {action: generalize, to: decade}\n", "unknown target 'decade'"),
        ("columns:\n  姓名: {action: mask, style: blur}\n", "unknown mask style 'blur'"),
        ("- just\n- a list\n", "expected a mapping"),
        ("columns: [\n", "not valid YAML"),
    ],
)
def test_invalid_policies_name_the_problem(tmp_path: Path, yaml_text: str, message: str) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(ValidationError, match=message):
        load_policy(path)


def test_short_form_action(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text("columns:\n  電話: drop\n", encoding="utf-8")
    assert load_policy(path).columns["電話"].action == "drop"


@pytest.mark.parametrize(
    ("exception", "says"),
    [
        ({"columns": ["發生地點"]}, "needs a reason"),
        ({"reason": "點位依性質公開"}, "needs the list of columns"),
        ("yes", "must be a mapping"),
    ],
)
def test_a_public_by_nature_exception_says_why_and_for_which_columns(
    exception: object, says: str
) -> None:
    with pytest.raises(ValidationError, match=says):
        Policy.from_dict({"columns": {}, "public_by_nature": exception})


def test_a_public_by_nature_exception_round_trips_through_the_policy() -> None:
    data = {
        "columns": {},
        "public_by_nature": {"reason": "點位", "columns": ["發生地點"], "approved_by": "王"},
    }
    policy = Policy.from_dict(data)
    assert policy.public_by_nature is not None
    assert policy.public_by_nature.covers(["發生地點"])
    assert not policy.public_by_nature.covers(["發生地點", "發生日期"])
    assert Policy.from_dict(policy.to_dict()).public_by_nature == policy.public_by_nature
