"""The Global Open Data Index 2015 weights as an alternative view of the same facts.

Each GODI question is answered from the rubric's checks (or, for the three questions the
rubric has no check for, directly from the facts): the points are GODI's, the evidence is
kaifang's. The view never changes the rubric score.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from kaifang.openness.checks.base import Text
from kaifang.openness.facts import DatasetFacts
from kaifang.openness.rubric import CheckResult

Answer = Callable[[DatasetFacts, dict[str, bool]], bool]


@dataclass(frozen=True)
class GodiQuestion:
    code: str
    title: Text
    points: int
    based_on: str
    answer: Answer


GODI_2015: tuple[GodiQuestion, ...] = (
    GodiQuestion(
        "openly-licensed",
        Text("開放授權", "Openly licensed"),
        30,
        "L1 and L2",
        lambda f, passed: passed["L1"] and passed["L2"],
    ),
    GodiQuestion(
        "machine-readable",
        Text("機器可讀", "Machine-readable"),
        15,
        "F1",
        lambda f, passed: passed["F1"],
    ),
    GodiQuestion("free", Text("免費", "Free"), 15, "A3", lambda f, passed: passed["A3"]),
    GodiQuestion(
        "bulk", Text("可整批下載", "Available in bulk"), 10, "A2", lambda f, passed: passed["A2"]
    ),
    GodiQuestion(
        "up-to-date", Text("即時更新", "Up to date"), 10, "T1", lambda f, passed: passed["T1"]
    ),
    GodiQuestion(
        "online", Text("可於網路取得", "Available online"), 5, "A1", lambda f, passed: passed["A1"]
    ),
    GodiQuestion(
        "digital",
        Text("數位形式", "In digital form"),
        5,
        "a resource whose files are stored",
        lambda f, passed: any(r.files_present for r in f.resources),
    ),
    GodiQuestion(
        "public",
        Text("公開取得", "Publicly available"),
        5,
        "no login required",
        lambda f, passed: not f.requires_login,
    ),
    GodiQuestion(
        "exists",
        Text("資料存在", "Exists"),
        5,
        "at least one resource",
        lambda f, passed: bool(f.resources),
    ),
)


@dataclass(frozen=True)
class GodiAnswer:
    question: GodiQuestion
    passed: bool

    def to_dict(self) -> dict[str, Any]:
        q = self.question
        return {
            "code": q.code,
            "title": q.title.to_dict(),
            "points": q.points,
            "passed": self.passed,
            "points_lost": 0 if self.passed else q.points,
            "based_on": q.based_on,
        }


@dataclass(frozen=True)
class GodiView:
    answers: tuple[GodiAnswer, ...]

    @property
    def score(self) -> int:
        return sum(a.question.points for a in self.answers if a.passed)

    def to_dict(self) -> dict[str, Any]:
        return {
            "edition": "GODI 2015",
            "score": self.score,
            "questions": [a.to_dict() for a in self.answers],
        }


def godi_view(facts: DatasetFacts, results: Sequence[CheckResult]) -> GodiView:
    passed = {r.code: r.passed for r in results}
    return GodiView(tuple(GodiAnswer(q, q.answer(facts, passed)) for q in GODI_2015))
