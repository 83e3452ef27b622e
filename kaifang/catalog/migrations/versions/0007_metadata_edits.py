"""metadata edits

Revision ID: metadata_edits
Revises: dataset_withdrawn
Create Date: 2026-12-07

Adds ``metadata_edits``: each change an organization's editor made to a dataset's metadata
in the portal (who, when, and each changed field's value before and after). A metadata edit
is activity of its own, not a data version: no version is written for it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "metadata_edits"
down_revision = "dataset_withdrawn"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "metadata_edits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.Column("editor", sa.String(length=100), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dataset_id"], ["datasets.id"], name=op.f("fk_metadata_edits_dataset_id_datasets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_metadata_edits")),
    )
    with op.batch_alter_table("metadata_edits", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_metadata_edits_dataset_id"), ["dataset_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("metadata_edits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_metadata_edits_dataset_id"))
    op.drop_table("metadata_edits")
