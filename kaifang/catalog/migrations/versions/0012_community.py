"""community: data-quality reports, showcases, and a contact on dataset requests

Revision ID: community
Revises: withdrawn_partial_index
Create Date: 2026-12-07

Readers report problems with a dataset and the organization answers them; people show what
they built on the data once an editor approves it; an anonymous dataset request carries a
contact e-mail.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "community"
down_revision = "withdrawn_partial_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "dataset_requests",
        sa.Column("contact", sa.String(length=200), nullable=False, server_default=""),
    )
    op.create_table(
        "data_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.Column("reporter", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("resource", sa.String(length=100), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=True),
        sa.Column("column_name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("response", sa.Text(), nullable=False),
        sa.Column("responder", sa.String(length=100), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("answered", sa.DateTime(), nullable=True),
        sa.Column("closed", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('wrong_value', 'broken_link', 'outdated', 'other')",
            name="ck_data_reports_kind",
        ),
        sa.CheckConstraint(
            "status IN ('open', 'answered', 'closed')", name="ck_data_reports_status"
        ),
        sa.ForeignKeyConstraint(
            ["dataset_id"], ["datasets.id"], name="fk_data_reports_dataset_id_datasets"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_data_reports"),
    )  # fmt: skip
    op.create_index("ix_data_reports_dataset_id", "data_reports", ["dataset_id"])
    op.create_index("ix_data_reports_status", "data_reports", ["status"])
    op.create_table(
        "showcases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("image_url", sa.String(length=2000), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("submitter", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reviewer", sa.String(length=100), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("reviewed", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('app', 'map', 'article', 'analysis')", name="ck_showcases_kind"
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'approved', 'rejected')", name="ck_showcases_status"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_showcases"),
    )  # fmt: skip
    op.create_index("ix_showcases_status", "showcases", ["status"])
    op.create_table(
        "showcase_datasets",
        sa.Column("showcase_id", sa.Integer(), nullable=False),
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["showcase_id"], ["showcases.id"], name="fk_showcase_datasets_showcase_id_showcases"
        ),
        sa.ForeignKeyConstraint(
            ["dataset_id"], ["datasets.id"], name="fk_showcase_datasets_dataset_id_datasets"
        ),
        sa.PrimaryKeyConstraint("showcase_id", "dataset_id", name="pk_showcase_datasets"),
    )  # fmt: skip
    op.create_index("ix_showcase_datasets_dataset_id", "showcase_datasets", ["dataset_id"])


def downgrade() -> None:
    op.drop_table("showcase_datasets")
    op.drop_table("showcases")
    op.drop_table("data_reports")
    with op.batch_alter_table("dataset_requests") as batch:
        batch.drop_column("contact")
