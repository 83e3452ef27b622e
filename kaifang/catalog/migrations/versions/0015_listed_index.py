"""an index of the listed datasets, newest first

Revision ID: listed_index
Revises: resource_storage
Create Date: 2026-12-07

Every listing asks for the datasets that are not withdrawn, newest first, and counts them.
With only ``modified`` indexed, SQLite read each dataset's row (titles, descriptions and
search texts) to check ``withdrawn``: a page at offset 9,000 of 20,000 datasets and the
count of the catalog each took 30-40 ms. This partial index holds the listed datasets in
that order, so a page walks it alone (0.35 ms) and the count reads it (1.3 ms).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "listed_index"
down_revision = "resource_storage"
branch_labels = None
depends_on = None

LISTED = sa.text("withdrawn IS NULL")


def upgrade() -> None:
    op.create_index("ix_datasets_listed", "datasets", ["modified", "id"],
                    sqlite_where=LISTED, postgresql_where=LISTED)  # fmt: skip


def downgrade() -> None:
    op.drop_index("ix_datasets_listed", "datasets")
