"""scheduled re-imports of flagship sources

Revision ID: scheduled_imports
Revises: activity
Create Date: 2026-12-07

``kaifang worker`` re-imports a source's files (the folder an agency drops them in) on a
schedule, as it runs due harvests.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "scheduled_imports"
down_revision = "activity"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scheduled_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=63), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("path", sa.String(length=1000), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("schedule", sa.String(length=100), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("last_started", sa.DateTime(), nullable=True),
        sa.Column("last_finished", sa.DateTime(), nullable=True),
        sa.Column("last_status", sa.String(length=16), nullable=False),
        sa.Column("last_report", sa.JSON(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("lock_until", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_scheduled_imports"),
        sa.UniqueConstraint("name", name="uq_scheduled_imports_name"),
    )


def downgrade() -> None:
    op.drop_table("scheduled_imports")
