"""harvest sources, records and runs

Revision ID: harvest
Revises: metadata_edits
Create Date: 2026-12-07

The tables of :mod:`kaifang.harvest`: the remote portals kaifang gathers, each remote
dataset's mapping to a local one, and the log of runs.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "harvest"
down_revision = "metadata_edits"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "harvest_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=63), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("schedule", sa.String(length=100), nullable=False),
        sa.Column("filter", sa.String(length=300), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("last_started", sa.DateTime(), nullable=True),
        sa.Column("last_success", sa.DateTime(), nullable=True),
        sa.Column("lock_until", sa.DateTime(), nullable=True),
        sa.CheckConstraint("type IN ('tw-spec', 'ckan', 'dcat')", name="ck_harvest_sources_type"),
        sa.CheckConstraint("mode IN ('metadata', 'mirror')", name="ck_harvest_sources_mode"),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organizations.id"],
            name="fk_harvest_sources_organization_id_organizations",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_harvest_sources"),
        sa.UniqueConstraint("name", name="uq_harvest_sources_name"),
    )  # fmt: skip
    op.create_index("ix_harvest_sources_organization_id", "harvest_sources", ["organization_id"])
    op.create_table(
        "harvest_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("remote_id", sa.String(length=300), nullable=False),
        sa.Column("dataset_id", sa.Integer(), nullable=True),
        sa.Column("remote_modified", sa.String(length=40), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("first_seen", sa.DateTime(), nullable=False),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "state IN ('active', 'withdrawn', 'failed', 'held')", name="ck_harvest_records_state"
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["harvest_sources.id"],
            name="fk_harvest_records_source_id_harvest_sources",
        ),
        sa.ForeignKeyConstraint(
            ["dataset_id"], ["datasets.id"], name="fk_harvest_records_dataset_id_datasets"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_harvest_records"),
        sa.UniqueConstraint("source_id", "remote_id", name="uq_harvest_records_source_id"),
    )  # fmt: skip
    op.create_index("ix_harvest_records_source_id", "harvest_records", ["source_id"])
    op.create_index("ix_harvest_records_dataset_id", "harvest_records", ["dataset_id"])
    op.create_table(
        "harvest_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("started", sa.DateTime(), nullable=False),
        sa.Column("finished", sa.DateTime(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("failures", sa.JSON(), nullable=False),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["harvest_sources.id"],
            name="fk_harvest_runs_source_id_harvest_sources",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_harvest_runs"),
    )  # fmt: skip
    op.create_index("ix_harvest_runs_source_id", "harvest_runs", ["source_id"])


def downgrade() -> None:
    op.drop_table("harvest_runs")
    op.drop_table("harvest_records")
    op.drop_table("harvest_sources")
