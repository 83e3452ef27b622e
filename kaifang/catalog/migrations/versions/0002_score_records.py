"""score records

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26

Adds ``score_records``: each dataset's openness score, recorded for every published version
and on every rescore whose result changed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "score_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("band", sa.String(length=16), nullable=True),
        sa.Column("stars", sa.Integer(), nullable=False),
        sa.Column("trigger", sa.String(length=16), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "trigger IN ('publish', 'rescore')", name=op.f("ck_score_records_trigger")
        ),
        sa.ForeignKeyConstraint(
            ["dataset_id"], ["datasets.id"], name=op.f("fk_score_records_dataset_id_datasets")
        ),
        sa.ForeignKeyConstraint(
            ["resource_id"], ["resources.id"], name=op.f("fk_score_records_resource_id_resources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score_records")),
    )
    with op.batch_alter_table("score_records", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_score_records_dataset_id"), ["dataset_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("score_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_score_records_dataset_id"))
    op.drop_table("score_records")
