"""activity stream and webhook subscriptions

Revision ID: activity
Revises: harvest
Create Date: 2026-12-07

Every change users may follow (new datasets and versions, metadata edits, withdrawals, score
changes) becomes an activity row in the transaction that makes it; subscriptions and their
deliveries carry the changes to webhooks.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "activity"
down_revision = "harvest"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "activities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dataset_id"], ["datasets.id"], name="fk_activities_dataset_id_datasets"
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organizations.id"],
            name="fk_activities_organization_id_organizations",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_activities"),
    )  # fmt: skip
    op.create_index("ix_activities_dataset_id", "activities", ["dataset_id"])
    op.create_index("ix_activities_organization_id", "activities", ["organization_id"])
    op.create_index("ix_activities_created", "activities", ["created"])
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("target", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=300), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("last_activity", sa.Integer(), nullable=False),
        sa.Column("removed", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "target IN ('dataset', 'organization', 'search')", name="ck_subscriptions_target"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_subscriptions_user_id_users"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_subscriptions"),
    )  # fmt: skip
    op.create_index("ix_subscriptions_user_id", "subscriptions", ["user_id"])
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("next_attempt", sa.DateTime(), nullable=False),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("delivered", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'delivered', 'failed')", name="ck_deliveries_status"
        ),
        sa.ForeignKeyConstraint(
            ["subscription_id"], ["subscriptions.id"],
            name="fk_deliveries_subscription_id_subscriptions",
        ),
        sa.ForeignKeyConstraint(
            ["activity_id"], ["activities.id"], name="fk_deliveries_activity_id_activities"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_deliveries"),
        sa.UniqueConstraint(
            "subscription_id", "activity_id", name="uq_deliveries_subscription_id"
        ),
    )  # fmt: skip
    op.create_index("ix_deliveries_subscription_id", "deliveries", ["subscription_id"])
    op.create_index("ix_deliveries_status", "deliveries", ["status"])


def downgrade() -> None:
    op.drop_table("deliveries")
    op.drop_table("subscriptions")
    op.drop_table("activities")
