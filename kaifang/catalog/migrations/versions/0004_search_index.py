"""full-text search index

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07

Search runs in the database (kaifang.catalog.finder): each dataset's ``search_*`` columns now
hold index tokens (kaifang.catalog.search: folded text cut into Latin words and Han bigrams),
plus a new ``search_organization``, and the engine indexes them — on SQLite an FTS5 table over
the dataset rows kept in step by triggers (so in the same transaction as every write), on
PostgreSQL a GIN index on a stored generated column ``search_vector``, their weighted
``tsvector`` (the column is the engine's, not a model's). This revision recomputes the tokens of
every existing dataset and builds the index; it also indexes the columns listings filter and
sort on.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

from kaifang.catalog.search import index_text

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SEARCHED = ("search_title", "search_keywords", "search_columns", "search_organization",
            "search_description")  # fmt: skip
INDEXED = ("modified", "category", "license_id", "update_frequency")
# The weighted vector of the generated column search_vector (kaifang.catalog.finder reads it).
PG_VECTOR = (
    "setweight(to_tsvector('simple', search_title), 'A') || "
    "setweight(to_tsvector('simple', search_keywords), 'B') || "
    "setweight(to_tsvector('simple', search_columns), 'C') || "
    "setweight(to_tsvector('simple', search_organization), 'C') || "
    "setweight(to_tsvector('simple', search_description), 'D')"
)
FTS_TRIGGERS = {
    "ai": "AFTER INSERT ON datasets BEGIN {insert} END",
    "ad": "AFTER DELETE ON datasets BEGIN {delete} END",
    "au": "AFTER UPDATE OF {cols} ON datasets BEGIN {delete} {insert} END",
}


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _recompute(bind: sa.Connection) -> None:
    tags: dict[int, list[str]] = {}
    for dataset_id, name in bind.execute(
        sa.text("SELECT dt.dataset_id, t.name FROM dataset_tags dt JOIN tags t ON t.id = dt.tag_id")
    ):
        tags.setdefault(dataset_id, []).append(name)
    columns: dict[int, list[str]] = {}
    for dataset_id, fields in bind.execute(
        sa.text("SELECT dataset_id, fields FROM resources ORDER BY dataset_id, serial")
    ):
        for f in _json(fields) or []:
            columns.setdefault(dataset_id, []).append(
                f"{f.get('name', '')} {f.get('description', '')}"
            )
    rows = bind.execute(
        sa.text(
            "SELECT d.id, d.title, d.extras, d.identifier, d.description, o.name, o.name_en "
            "FROM datasets d JOIN organizations o ON o.id = d.organization_id"
        )
    ).all()
    updates = [
        {
            "id": id_,
            "t": index_text(f"{title} {(_json(extras) or {}).get('title_en', '')} {identifier}"),
            "k": index_text(" ".join(sorted(tags.get(id_, [])))),
            "c": index_text(" ".join(columns.get(id_, []))),
            "o": index_text(f"{org} {org_en}"),
            "d": index_text(description),
        }
        for id_, title, extras, identifier, description, org, org_en in rows
    ]
    if updates:
        bind.execute(
            sa.text(
                "UPDATE datasets SET search_title = :t, search_keywords = :k, "
                "search_columns = :c, search_organization = :o, search_description = :d "
                "WHERE id = :id"
            ),
            updates,
        )


def upgrade() -> None:
    bind = op.get_bind()
    op.add_column(
        "datasets",
        sa.Column("search_organization", sa.Text(), nullable=False, server_default=""),
    )
    for column in INDEXED:
        op.create_index(f"ix_datasets_{column}", "datasets", [column])
    _recompute(bind)  # before the triggers: they would delete entries the index never had
    if bind.dialect.name == "sqlite":
        cols = ", ".join(SEARCHED)
        bind.exec_driver_sql(
            f"CREATE VIRTUAL TABLE dataset_search USING fts5({cols}, "
            "content='datasets', content_rowid='id', tokenize='unicode61 remove_diacritics 0')"
        )
        new = ", ".join(f"new.{c}" for c in SEARCHED)
        old = ", ".join(f"old.{c}" for c in SEARCHED)
        insert = f"INSERT INTO dataset_search(rowid, {cols}) VALUES (new.id, {new});"
        delete = (
            f"INSERT INTO dataset_search(dataset_search, rowid, {cols}) "
            f"VALUES ('delete', old.id, {old});"
        )
        for name, body in FTS_TRIGGERS.items():
            sql = body.format(insert=insert, delete=delete, cols=cols)
            bind.exec_driver_sql(f"CREATE TRIGGER dataset_search_{name} {sql}")
        bind.exec_driver_sql("INSERT INTO dataset_search(dataset_search) VALUES ('rebuild')")
    else:
        bind.exec_driver_sql(
            "ALTER TABLE datasets ADD COLUMN search_vector tsvector "
            f"GENERATED ALWAYS AS ({PG_VECTOR}) STORED"
        )
        bind.exec_driver_sql(
            "CREATE INDEX ix_datasets_search ON datasets USING gin (search_vector)"
        )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name in FTS_TRIGGERS:
            bind.exec_driver_sql(f"DROP TRIGGER dataset_search_{name}")
        bind.exec_driver_sql("DROP TABLE dataset_search")
    else:
        bind.exec_driver_sql("DROP INDEX ix_datasets_search")
        bind.exec_driver_sql("ALTER TABLE datasets DROP COLUMN search_vector")
    for column in INDEXED:
        op.drop_index(f"ix_datasets_{column}", "datasets")
    op.drop_column("datasets", "search_organization")
