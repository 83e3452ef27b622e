"""The check interface: every rubric check is a ``Check`` with a stable code, its points and
a pure function from dataset facts to an ``Outcome``. Built-in checks are registered
explicitly in ``kaifang.openness.rubric.RUBRIC``; nothing is discovered by name."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from kaifang.openness.facts import DatasetFacts, ResourceFacts


@dataclass(frozen=True)
class Text:
    """A message in Traditional Chinese (Taiwan) and English."""

    zh: str
    en: str

    def to_dict(self) -> dict[str, str]:
        return {"zh": self.zh, "en": self.en}


@dataclass(frozen=True)
class Outcome:
    """What one check found. ``fix`` is the concrete next step; ``None`` when passed."""

    passed: bool
    reason: Text
    fix: Text | None = None


Evaluate = Callable[[DatasetFacts, datetime], Outcome]


@dataclass(frozen=True)
class Check:
    """One rubric line: ``code`` (``L1``...) and ``slug`` are stable; ``points`` are what a
    failing dataset loses."""

    code: str
    slug: str
    title: Text
    points: int
    evaluate: Evaluate


def passed(zh: str, en: str) -> Outcome:
    return Outcome(True, Text(zh, en))


def failed(reason: Text, fix: Text) -> Outcome:
    return Outcome(False, reason, fix)


def listing(items: Iterable[str], *, limit: int = 5, zh: bool = False) -> str:
    """``a, b, c`` (or ``a、b、c``), cut after ``limit`` items with the remaining count."""
    values = list(items)
    shown = values[:limit]
    if zh:
        text = "、".join(f"「{v}」" for v in shown)
        return text + (f" 等 {len(values)} 項" if len(values) > limit else "")
    text = ", ".join(f"'{v}'" for v in shown)
    return text + (f" and {len(values) - limit} more" if len(values) > limit else "")


def no_resources() -> Outcome:
    return failed(
        Text("資料集沒有任何資料資源（表格）。", "The dataset has no data resource (table)."),
        Text(
            "請至少發布一個資料資源，例如以 kaifang publish 上傳 CSV 檔。",
            "Publish at least one resource, e.g. upload a CSV file with kaifang publish.",
        ),
    )


def resource_label(resource: ResourceFacts) -> str:
    return resource.name or resource.id


def sentence(text: str) -> str:
    """``text`` with its first letter capitalized and a final full stop."""
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
