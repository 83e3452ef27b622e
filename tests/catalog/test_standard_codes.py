"""The national standard's codes: service categories 100–900 then A00–I00, and a catalog made
with kaifang's earlier A00–R00 codes and wrong agency codes is migrated on open (migration 0003),
on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from kaifang.catalog.categories import CATEGORIES, LEGACY_CODES, category
from kaifang.catalog.db import alembic_config, create_catalog_engine, open_catalog
from kaifang.errors import ValidationError
from kaifang.settings import Settings


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("100", "100"),
        ("生育保健", "100"),
        ("900", "900"),
        ("A00", "A00"),
        ("交通及通訊", "A00"),
        ("e00", "E00"),
        ("生活安全及品質", "E00"),
        ("I00", "I00"),
        ("公共資訊", "I00"),
        ("Elections and voting", "D00"),
    ],
)
def test_the_standards_codes(given: str, code: str) -> None:
    assert category(given).code == code


@pytest.mark.parametrize("code", ["J00", "R00", "k00", "000", "A0"])
def test_codes_outside_the_standard_are_refused(code: str) -> None:
    with pytest.raises(ValidationError, match="unknown service category"):
        category(code)


def test_eighteen_codes_in_the_portals_order() -> None:
    codes = [c.code for c in CATEGORIES]
    assert codes == [f"{n}00" for n in range(1, 10)] + [f"{c}00" for c in "ABCDEFGHI"]
    assert [c.name for c in CATEGORIES][9] == "交通及通訊"
    assert LEGACY_CODES["J00"] == "A00" and LEGACY_CODES["A00"] == "100"
    assert LEGACY_CODES["N00"] == "E00" and LEGACY_CODES["R00"] == "I00"


def _catalog_at_0002(settings: Settings) -> sa.Engine:
    if settings.catalog_url.startswith("sqlite"):
        Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
    engine = create_catalog_engine(settings.catalog_url, pool={})
    with engine.begin() as conn:
        config = alembic_config()
        config.attributes["connection"] = conn
        command.upgrade(config, "0002")
    return engine


def _insert(conn: sa.Connection, table_name: str, **values: object) -> None:
    """A row with ``values``, every other NOT NULL column filled with an empty value of its
    type (the 0002 schema as it is in the database, reflected)."""
    table = sa.Table(table_name, sa.MetaData(), autoload_with=conn)
    now = datetime(2026, 1, 1, tzinfo=UTC).replace(tzinfo=None)
    for column in table.columns:
        if column.name in values or column.nullable or column.primary_key:
            continue
        python_type = column.type.python_type if not isinstance(column.type, sa.JSON) else dict
        values[column.name] = {str: "", int: 0, bool: False, dict: {}, datetime: now}.get(
            python_type, ""
        )
    conn.execute(table.insert().values(**values))


def _insert_legacy(conn: sa.Connection) -> None:
    _insert(conn, "licenses", id="L-1", title="a licence")
    orgs = [
        (1, "315080000H", "交通部高速公路局"),
        (2, "A67000000D", "中央選舉委員會"),
        (3, "315080000J", "Another agency"),
    ]
    for org_id, code, name in orgs:
        _insert(conn, "organizations", id=org_id, code=code, name=name)
    for ds_id, cat in [(1, "J00"), (2, "M00"), (3, "A00")]:
        identifier = f"{orgs[ds_id - 1][1]}-{ds_id:06d}"
        _insert(
            conn,
            "datasets",
            id=ds_id,
            slug=f"d{ds_id}",
            identifier=identifier,
            organization_id=ds_id,
            serial=ds_id,
            category=cat,
            license_id="L-1",
        )
        _insert(
            conn,
            "resources",
            id=ds_id,
            slug=f"r{ds_id}",
            identifier=f"{identifier}-001",
            dataset_id=ds_id,
            serial=1,
        )


def test_migration_maps_legacy_codes(catalog_settings: Settings) -> None:
    engine = _catalog_at_0002(catalog_settings)
    try:
        with engine.begin() as conn:
            _insert_legacy(conn)
    finally:
        engine.dispose()

    with open_catalog(catalog_settings) as catalog, catalog.read() as session:
        datasets = session.execute(
            sa.text("SELECT slug, category, identifier FROM datasets ORDER BY id")
        ).all()
        resources = session.execute(sa.text("SELECT identifier FROM resources ORDER BY id")).all()
        orgs = session.execute(sa.text("SELECT code FROM organizations ORDER BY id")).all()

    # one statement: the old J00 became A00, and the old A00 became 100 (not A00 then 100)
    assert [tuple(row) for row in datasets] == [
        ("d1", "A00", "315050000M-000001"),
        ("d2", "D00", "A61000000A-000002"),
        ("d3", "100", "315080000J-000003"),
    ]
    assert [row[0] for row in resources] == [
        "315050000M-000001-001",
        "A61000000A-000002-001",
        "315080000J-000003-001",
    ]
    assert [row[0] for row in orgs] == ["315050000M", "A61000000A", "315080000J"]
