"""withdrawn datasets

Revision ID: dataset_withdrawn
Revises: 0004
Create Date: 2026-12-07

A dataset can be withdrawn (CKAN's ``package_delete``): it leaves listings, search and counts,
while its record and every stored version stay (``datasets.withdrawn`` holds when; NULL for a
listed dataset). Publishing to it, or updating it with ``state: active``, lists it again.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "dataset_withdrawn"
down_revision = "0005_catalog_scale"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("datasets", sa.Column("withdrawn", sa.DateTime(), nullable=True))
    op.create_index("ix_datasets_withdrawn", "datasets", ["withdrawn"])


def downgrade() -> None:
    op.drop_index("ix_datasets_withdrawn", "datasets")
    op.drop_column("datasets", "withdrawn")
