"""former ids of datasets and resources

Revision ID: dataset_aliases
Revises: community
Create Date: 2026-12-07

``kaifang catalog rename OLD NEW`` gives a dataset or resource a readable id and records the
old one here, so that links and API calls with the old id are redirected to the new one.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "dataset_aliases"
down_revision = "community"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "id_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("old", sa.String(length=63), nullable=False),
        sa.Column("new", sa.String(length=63), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('dataset', 'resource')", name="ck_id_aliases_kind"),
        sa.PrimaryKeyConstraint("id", name="pk_id_aliases"),
        sa.UniqueConstraint("kind", "old", name="uq_id_aliases_kind"),
    )
    op.create_index("ix_id_aliases_old", "id_aliases", ["old"])


def downgrade() -> None:
    op.drop_table("id_aliases")
