"""A recorded exception to k-anonymity for data that is public by its nature, or that is
not about people at all.

Some tables are unique per row on purpose and describe no person: the police's theft points
(one incident per date and coarsened place), a list of road works. Their quasi-identifiers
fail k-anonymity, and the check is not skipped: the publisher records *why* the rows may be
published as they are, *which* columns the exception covers and *who* approved it. The gate
then lets a k-anonymity failure through only when every quasi-identifier it found is covered;
direct identifiers, ℓ-diversity and suppression checks still block. The exception is kept in
the version's screening summary (manifest and catalog), where a reviewer reads it.

Tables that describe areas, parties, vote counts or institutions (an election's results per
village, a school directory) record the same exception with ``kind: not_about_people``: the
screen still runs, direct identifiers still block, and a k-anonymity or small-cell failure
is let through only for the columns named, with the reason and approver kept for review.

In a policy file::

    public_by_nature:
      reason: 警察局已將地點粗化為門牌區段，點位依性質公開
      columns: [發生日期, 發生地點]
      approved_by: 資料管理員
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kaifang.errors import ValidationError

KINDS = ("public_by_nature", "not_about_people")


@dataclass(frozen=True)
class PublicByNature:
    """Why rows failing k-anonymity may be published, for which columns, approved by whom;
    ``kind``: one of :data:`KINDS`."""

    reason: str
    columns: tuple[str, ...]
    approved_by: str = "publisher"
    kind: str = "public_by_nature"

    def covers(self, columns: Iterable[str]) -> bool:
        """Whether every one of ``columns`` is covered by this exception."""
        return set(columns) <= set(self.columns)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "reason": self.reason,
            "columns": list(self.columns),
            "approved_by": self.approved_by,
        }

    @classmethod
    def from_dict(cls, data: Any, *, source: str = "policy") -> PublicByNature:
        """Read ``public_by_nature`` from a policy; a clear error names what is missing."""
        if not isinstance(data, dict):
            raise ValidationError(
                f"{source}: public_by_nature must be a mapping with reason and columns",
                hint="e.g. public_by_nature: {reason: 點位依性質公開, columns: [發生地點]}",
            )
        reason = str(data.get("reason") or "").strip()
        columns = data.get("columns")
        if not reason:
            raise ValidationError(
                f"{source}: public_by_nature needs a reason a reviewer can read",
                hint="Say why these rows are public by nature (e.g. the place is coarsened "
                "and each row is an incident, not a person).",
            )
        if not isinstance(columns, list) or not columns:
            raise ValidationError(
                f"{source}: public_by_nature needs the list of columns it covers",
                hint="List the quasi-identifier columns, e.g. columns: [發生日期, 發生地點].",
            )
        approver = str(data.get("approved_by") or "").strip() or "publisher"
        kind = str(data.get("kind") or "public_by_nature")
        if kind not in KINDS:
            raise ValidationError(
                f"{source}: public_by_nature kind {kind!r} is unknown",
                hint=f"Kinds: {', '.join(KINDS)}.",
            )
        return cls(reason, tuple(str(c) for c in columns), approver, kind)
