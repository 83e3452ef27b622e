"""recorded scores and popularity on the dataset row

Revision ID: 0005_catalog_scale
Revises: 0004
Create Date: 2026-12-07

What a listing sorts, filters and counts on now sits on the dataset row, so that the database
answers it with an index instead of a ``max(id) GROUP BY`` over every score record or a usage
file read per request (issue #20):

- ``score``, ``band``, ``stars``: the dataset's latest recorded openness score, written with
  each score record (kaifang.scoring.records); filled here from each dataset's latest record;
- ``score_due``: the day after which the dataset is overdue (its update frequency and current
  version), so that the ranking counts overdue datasets in SQL and ``kaifang score --all``
  rescores only datasets whose due day passed since their record;
- ``scored_at``: when the dataset was last scored (whether or not its score changed), so that
  ``kaifang score --all`` skips datasets whose inputs did not change since;
- ``score_unit``: the dataset that stands for the split group (e.g. a school list split by
  level) this dataset belongs to, null for a dataset counted alone: the ranking counts a group
  once;
- ``downloads``: rows and download requests of the dataset's resources (kaifang.service.usage
  adds to it when it flushes), the popularity sort.

``scored_at``, ``score_due`` and ``score_unit`` stay empty until the next ``kaifang score --all``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_catalog_scale"
down_revision = "0004"
branch_labels = None
depends_on = None

INDEXED = ("band", "score_due")


def upgrade() -> None:
    op.add_column("datasets", sa.Column("score", sa.Integer(), nullable=True))
    op.add_column("datasets", sa.Column("band", sa.String(16), nullable=True))
    op.add_column("datasets", sa.Column("stars", sa.Integer(), nullable=True))
    op.add_column("datasets", sa.Column("score_due", sa.Date(), nullable=True))
    op.add_column("datasets", sa.Column("scored_at", sa.DateTime(), nullable=True))
    op.add_column("datasets", sa.Column("score_unit", sa.Integer(), nullable=True))
    op.add_column(
        "datasets", sa.Column("downloads", sa.Integer(), nullable=False, server_default="0")
    )
    for column in INDEXED:
        op.create_index(f"ix_datasets_{column}", "datasets", [column])
    # the popularity sort: most used first, then newest (ties need no sort step)
    op.create_index("ix_datasets_popularity", "datasets", ["downloads", "modified"])
    op.execute(
        "UPDATE datasets SET score = r.score, band = r.band, stars = r.stars "
        "FROM score_records r WHERE r.id = "
        "(SELECT max(id) FROM score_records WHERE dataset_id = datasets.id) "
        "AND r.dataset_id = datasets.id"
    )


def downgrade() -> None:
    op.drop_index("ix_datasets_popularity", "datasets")
    for column in INDEXED:
        op.drop_index(f"ix_datasets_{column}", "datasets")
    for column in ("downloads", "score_unit", "scored_at", "score_due", "stars", "band", "score"):
        op.drop_column("datasets", column)
