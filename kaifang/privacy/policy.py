"""The de-identification policy: per-column actions a publisher can read and edit.

``kaifang scan FILE --write-policy POLICY.yaml`` proposes one from the screening report;
``kaifang publish --policy POLICY.yaml`` applies it. Example::

    version: 1
    quasi_identifiers: [出生日期, 性別, 村里]
    sensitive_columns: [診斷]
    suppress_rare_rows: true     # drop rows in quasi-identifier combinations rarer than k
    columns:
      身分證字號: {action: drop}
      姓名: {action: mask, style: name}           # 王○明
      電話: {action: pseudonymize}                 # keyed HMAC-SHA256 (pseudonymization)
      出生日期: {action: generalize, to: year}
      陳情內容: {action: mask, style: text}        # identifiers inside the text
    public_by_nature:            # optional: a recorded exception to k-anonymity
      reason: 點位依性質公開，地點已粗化
      columns: [發生日期, 發生地點]
      approved_by: 資料管理員
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kaifang.errors import ValidationError
from kaifang.privacy.detectors.base import MaskStyle
from kaifang.privacy.exception import PublicByNature
from kaifang.privacy.model import ACTIONS, Action
from kaifang.privacy.report import ScreeningReport

GENERALIZE_TARGETS: dict[str, str] = {
    "month": "dates → YYYY-MM",
    "quarter": "dates → YYYYQn",
    "year": "dates → YYYY",
    "year5": "dates → 5-year bands (1985-1989)",
    "year10": "dates → 10-year bands (1980-1989)",
    "band5": "ages → 5-year bands",
    "band10": "ages → 10-year bands",
    "range30": "addresses → 30-number house ranges (1~30號)",
    "village": "addresses → 村/里",
    "district": "addresses → 鄉鎮市區",
    "county": "addresses → 縣市",
    "grid2": "coordinates → 2 decimals (~1 km)",
    "grid3": "coordinates → 3 decimals (~100 m)",
    "grid4": "coordinates → 4 decimals (~10 m)",
    "5min": "timestamps → 5 minutes",
    "hour": "timestamps → hour",
    "day": "timestamps → day",
}
MASK_STYLES = ("name", "phone", "middle", "email", "address", "date", "coordinate", "text")


@dataclass
class ColumnPolicy:
    action: Action
    to: str | None = None
    style: str | None = None
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"action": self.action}
        if self.to:
            out["to"] = self.to
        if self.style:
            out["style"] = self.style
        if self.reason:
            out["reason"] = self.reason
        return out


@dataclass
class Policy:
    columns: dict[str, ColumnPolicy]
    quasi_identifiers: list[str] = field(default_factory=list)
    sensitive_columns: list[str] = field(default_factory=list)
    suppress_rare_rows: bool = False
    k: int | None = None
    rows: int = 0
    count_column: str | None = None
    public_by_nature: PublicByNature | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "version": 1,
            "quasi_identifiers": self.quasi_identifiers,
            "sensitive_columns": self.sensitive_columns,
            "suppress_rare_rows": self.suppress_rare_rows,
        }
        if self.k is not None:
            out["k"] = self.k
        if self.count_column:
            out["count_column"] = self.count_column
        if self.rows:
            out["rows"] = self.rows
        if self.public_by_nature is not None:
            out["public_by_nature"] = {
                k: v for k, v in self.public_by_nature.to_dict().items() if k != "kind"
            }
        out["columns"] = {name: col.to_dict() for name, col in self.columns.items()}
        return out

    def to_yaml(self) -> str:
        header = (
            "# kaifang privacy policy: edit the actions, then `kaifang publish --policy`.\n"
            f"# actions: {', '.join(ACTIONS)}\n"
            f"# generalize to: {', '.join(GENERALIZE_TARGETS)}\n"
            "# pseudonymize = keyed HMAC-SHA256 with KAIFANG_PSEUDONYM_KEY (never stored);\n"
            "# it is pseudonymization, which Taiwan's courts do not treat as anonymization.\n"
        )
        return header + yaml.safe_dump(self.to_dict(), allow_unicode=True, sort_keys=False)

    @classmethod
    def from_dict(cls, data: Any, *, source: str = "policy") -> Policy:
        if not isinstance(data, dict) or not isinstance(data.get("columns", {}), dict):
            raise ValidationError(
                f"{source}: expected a mapping with a 'columns' mapping",
                hint="Write one with `kaifang scan FILE --write-policy POLICY.yaml`.",
            )
        columns = {
            str(name): _column_policy(str(name), spec, source)
            for name, spec in (data.get("columns") or {}).items()
        }
        k = data.get("k")
        exception = data.get("public_by_nature")
        return cls(
            columns=columns,
            quasi_identifiers=[str(c) for c in data.get("quasi_identifiers") or []],
            sensitive_columns=[str(c) for c in data.get("sensitive_columns") or []],
            suppress_rare_rows=bool(data.get("suppress_rare_rows", False)),
            k=int(k) if k is not None else None,
            rows=int(data.get("rows") or 0),
            count_column=data.get("count_column"),
            public_by_nature=(
                PublicByNature.from_dict(exception, source=source)
                if exception is not None
                else None
            ),
        )


def _column_policy(name: str, spec: Any, source: str) -> ColumnPolicy:
    if isinstance(spec, str):
        spec = {"action": spec}
    if not isinstance(spec, dict):
        raise ValidationError(f"{source}: column {name!r} needs a mapping with 'action'")
    action = spec.get("action")
    if action not in ACTIONS:
        raise ValidationError(
            f"{source}: column {name!r} has unknown action {action!r}",
            hint=f"Valid actions: {', '.join(ACTIONS)}.",
        )
    to = spec.get("to")
    if action == "generalize" and to not in GENERALIZE_TARGETS:
        raise ValidationError(
            f"{source}: column {name!r} generalizes to unknown target {to!r}",
            hint="Valid targets: " + "; ".join(f"{k} ({v})" for k, v in GENERALIZE_TARGETS.items()),
        )
    style = spec.get("style")
    if action == "mask" and style is not None and style not in MASK_STYLES:
        raise ValidationError(
            f"{source}: column {name!r} has unknown mask style {style!r}",
            hint=f"Valid styles: {', '.join(MASK_STYLES)}.",
        )
    return ColumnPolicy(action, to, style, str(spec.get("reason") or ""))


def load_policy(path: str | Path) -> Policy:
    file = Path(path)
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValidationError(f"cannot read policy {file}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise ValidationError(
            f"policy {file} is not valid YAML: {exc}", hint="Check the indentation."
        ) from None
    return Policy.from_dict(data, source=f"policy {file.name}")


def propose_policy(report: ScreeningReport) -> Policy:
    """The policy the screening recommends: each column's action, the QI set, and row
    suppression when the quasi-identifiers fail k-anonymity as they stand."""
    from kaifang.privacy.detectors import DEFAULT_DETECTORS

    styles: dict[str, MaskStyle] = {d.name: d.mask_style for d in DEFAULT_DETECTORS}
    columns: dict[str, ColumnPolicy] = {}
    for col in report.columns:
        style = None
        if col.action == "mask":
            style = "text" if col.free_text else styles.get(col.detectors[0], "middle")
        columns[col.name] = ColumnPolicy(col.action, col.generalize_to, style, col.reason)
    return Policy(
        columns=columns,
        quasi_identifiers=list(report.quasi_identifiers),
        sensitive_columns=report.sensitive_columns,
        suppress_rare_rows=not report.k_anonymity.passes and report.count_column is None,
        rows=report.rows,
        count_column=report.count_column,
    )
