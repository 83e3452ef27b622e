"""a resource's storage name, apart from its id

Revision ID: resource_storage
Revises: dataset_aliases
Create Date: 2026-12-07

A resource's files (its VersionStore folder), its serving copies and its storage lock are
named by ``resources.storage``, set once when the resource is created (to its id then) and
never changed, so that ``kaifang catalog rename --resource`` changes the resource's id (its
URL and SQL table name) without moving or copying any file. Existing resources keep the
folder they have: their storage name is their id.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "resource_storage"
down_revision = "dataset_aliases"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("resources", sa.Column("storage", sa.String(length=63), nullable=True))
    op.execute("UPDATE resources SET storage = slug")
    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.alter_column("storage", existing_type=sa.String(length=63), nullable=False)
        batch_op.create_unique_constraint("uq_resources_storage", ["storage"])


def downgrade() -> None:
    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.drop_constraint("uq_resources_storage", type_="unique")
        batch_op.drop_column("storage")
