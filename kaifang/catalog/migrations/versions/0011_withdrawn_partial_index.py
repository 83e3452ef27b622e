"""the withdrawn index holds only withdrawn datasets

Revision ID: withdrawn_partial_index
Revises: scheduled_imports
Create Date: 2026-12-07

Every listing asks for datasets that are not withdrawn. With an index of every row's
``withdrawn`` (NULL for nearly all), SQLite read the catalog through it and sorted all of it
for each page (23 ms for one page at offset 5,000 of 20,000 datasets, 15 ms for the
popularity order); with the index holding only withdrawn rows it walks the sort's own index
(8 ms and 0.06 ms).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "withdrawn_partial_index"
down_revision = "scheduled_imports"
branch_labels = None
depends_on = None

WITHDRAWN = sa.text("withdrawn IS NOT NULL")


def upgrade() -> None:
    op.drop_index("ix_datasets_withdrawn", "datasets")
    op.create_index("ix_datasets_withdrawn", "datasets", ["withdrawn"],
                    sqlite_where=WITHDRAWN, postgresql_where=WITHDRAWN)  # fmt: skip


def downgrade() -> None:
    op.drop_index("ix_datasets_withdrawn", "datasets")
    op.create_index("ix_datasets_withdrawn", "datasets", ["withdrawn"])
