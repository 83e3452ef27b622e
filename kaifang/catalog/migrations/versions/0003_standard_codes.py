"""the standard's service-category and agency codes

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07

Before this revision kaifang coded the 18 national service categories ``A00``–``R00``; the
national standard codes them ``100``–``900`` then ``A00``–``I00`` (docs/metadata.md). Every
dataset's category is mapped in one statement, so that a value is never mapped twice (the old
``J00`` becomes ``A00``, while the old ``A00`` becomes ``100``).

Two agency codes the importers used belonged to other agencies: the freeway bureau is
``315050000M`` (``315080000H`` is the tourism administration's) and the Central Election
Commission ``A61000000A`` (not ``A67000000D``). An organization under the wrong code whose name
says it is that agency gets the right code, and its datasets' and resources' national
identifiers (``ORGCODE-NNNNNN[-NNN]``) follow; nothing changes where the right code is taken.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# The mapping as of this revision (kaifang.catalog.categories.LEGACY_CODES may change later).
CATEGORY_CODES = {
    "A00": "100", "B00": "200", "C00": "300", "D00": "400", "E00": "500", "F00": "600",
    "G00": "700", "H00": "800", "I00": "900", "J00": "A00", "K00": "B00", "L00": "C00",
    "M00": "D00", "N00": "E00", "O00": "F00", "P00": "G00", "Q00": "H00", "R00": "I00",
}  # fmt: skip

# (wrong code, the agency's own code, a part of the agency's name that must be present)
AGENCY_CODES = [
    ("315080000H", "315050000M", "高速公路局"),
    ("A67000000D", "A61000000A", "選舉委員會"),
]


def _map_categories(bind: sa.Connection, mapping: dict[str, str]) -> None:
    cases = " ".join(f"WHEN '{old}' THEN '{new}'" for old, new in mapping.items())
    bind.execute(
        sa.text(
            f"UPDATE datasets SET category = CASE category {cases} ELSE category END "
            "WHERE category IN (" + ", ".join(f"'{old}'" for old in mapping) + ")"
        )
    )


def _recode_agency(bind: sa.Connection, wrong: str, right: str, name_part: str) -> None:
    org = bind.execute(
        sa.text("SELECT id FROM organizations WHERE code = :wrong AND name LIKE :name"),
        {"wrong": wrong, "name": f"%{name_part}%"},
    ).scalar()
    taken = bind.execute(
        sa.text("SELECT 1 FROM organizations WHERE code = :right"), {"right": right}
    ).scalar()
    if org is None or taken is not None:
        return
    params = {"org": org, "right": right, "pattern": f"{wrong}-%", "cut": len(wrong) + 1}
    bind.execute(sa.text("UPDATE organizations SET code = :right WHERE id = :org"), params)
    bind.execute(
        sa.text(
            "UPDATE resources SET identifier = CAST(:right AS VARCHAR) || substr(identifier, :cut) "
            "WHERE identifier LIKE :pattern AND dataset_id IN "
            "(SELECT id FROM datasets WHERE organization_id = :org)"
        ),
        params,
    )
    bind.execute(
        sa.text(
            "UPDATE datasets SET identifier = CAST(:right AS VARCHAR) || substr(identifier, :cut) "
            "WHERE organization_id = :org AND identifier LIKE :pattern"
        ),
        params,
    )


def upgrade() -> None:
    bind = op.get_bind()
    _map_categories(bind, CATEGORY_CODES)
    for wrong, right, name_part in AGENCY_CODES:
        _recode_agency(bind, wrong, right, name_part)


def downgrade() -> None:
    bind = op.get_bind()
    _map_categories(bind, {new: old for old, new in CATEGORY_CODES.items()})
    for wrong, right, name_part in AGENCY_CODES:
        _recode_agency(bind, right, wrong, name_part)
