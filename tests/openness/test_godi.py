"""The GODI 2015 view answers its nine questions from the same facts."""

from __future__ import annotations

import pytest

from kaifang.openness import DatasetFacts, score_dataset
from tests.openness.factories import NOW, dataset, with_resource

WEIGHTS = {
    "openly-licensed": 30,
    "machine-readable": 15,
    "free": 15,
    "bulk": 10,
    "up-to-date": 10,
    "online": 5,
    "digital": 5,
    "public": 5,
    "exists": 5,
}


def godi(facts: DatasetFacts) -> dict[str, bool]:
    view = score_dataset(facts, now=NOW).godi.to_dict()
    assert {q["code"]: q["points"] for q in view["questions"]} == WEIGHTS
    return {q["code"]: q["passed"] for q in view["questions"]} | {"score": view["score"]}


@pytest.mark.parametrize(
    ("facts", "lost", "score"),
    [
        (dataset(), set(), 100),
        (dataset(license="proprietary"), {"openly-licensed"}, 70),
        (dataset(description="非商業使用"), {"openly-licensed"}, 70),
        (with_resource(sniffed_format="pdf"), {"machine-readable"}, 85),
        (dataset(cost="100元"), {"free"}, 85),
        (with_resource(bulk_download=False), {"bulk"}, 90),
        (dataset(update_frequency=None), {"up-to-date"}, 90),
        (with_resource(rows=0), {"online"}, 95),
        (dataset(requires_login=True), {"bulk", "public"}, 85),
        (
            dataset(resources=()),
            {"machine-readable", "bulk", "online", "digital", "exists"},
            60,
        ),
    ],
)
def test_godi_questions(facts: DatasetFacts, lost: set[str], score: int) -> None:
    answers = godi(facts)
    assert answers.pop("score") == score
    assert {code for code, passed in answers.items() if not passed} == lost
