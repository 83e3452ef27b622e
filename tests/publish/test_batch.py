"""``publish_batch``: several resources published all or none. Every version is written to
the store first and one catalog transaction registers them; a table whose input breaks while
it is written leaves every resource at its previous version."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from kaifang.catalog import open_catalog
from kaifang.catalog.models import Dataset, Resource, ScoreRecordRow
from kaifang.errors import ReadError
from kaifang.publish.relation import RelationSpec, publish_batch, publish_relation, relation_item
from kaifang.settings import Settings
from tests.publishing import ORG

FIELDS = [
    {"name": "station", "type": "string", "description": "a station"},
    {"name": "count", "type": "integer", "description": "how many"},
]


def _spec(resource: str) -> RelationSpec:
    return RelationSpec(org=ORG, title="三張表", resource=resource, fields=FIELDS)


def _csv(path: Path, count: int) -> duckdb.DuckDBPyRelation:
    path.write_text("".join(f"S{n},{count + n}\n" for n in range(3)), encoding="utf-8")
    return duckdb.connect().sql(
        f"SELECT * FROM read_csv('{path}', header = false, auto_detect = false, "
        "columns = {'station': 'VARCHAR', 'count': 'INTEGER'})"
    )


def _current(settings: Settings) -> dict[str, int | None]:
    with open_catalog(settings) as catalog, catalog.read() as session:
        return {r.slug: r.current_version for r in session.query(Resource).all()}


def test_new_resources_share_one_new_dataset(org_settings: Settings, tmp_path: Path) -> None:
    names = ("table_a", "table_b", "table_c")
    items = [relation_item(_csv(tmp_path / f"{n}.csv", 1), _spec(n)) for n in names]
    results = publish_batch(org_settings, items)
    assert [(r.resource, r.version) for r in results] == [(n, 1) for n in names]
    assert len({r.dataset for r in results}) == 1
    with open_catalog(org_settings) as catalog, catalog.read() as session:
        assert session.query(Dataset).count() == 1


def test_a_batch_records_each_dataset_score_once(org_settings: Settings, tmp_path: Path) -> None:
    """Three tables of one dataset: one score record, for the last version registered."""
    names = ("table_a", "table_b", "table_c")
    items = [relation_item(_csv(tmp_path / f"{n}.csv", 1), _spec(n)) for n in names]
    publish_batch(org_settings, items)
    with open_catalog(org_settings) as catalog, catalog.read() as session:
        records = session.query(ScoreRecordRow).all()
        last = session.query(Resource).filter(Resource.slug == "table_c").one()
        assert [(r.trigger, r.resource_id, r.version) for r in records] == [("publish", last.id, 1)]


def test_a_write_failing_in_the_third_table_registers_none(
    org_settings: Settings, tmp_path: Path
) -> None:
    names = ("table_a", "table_b", "table_c")
    for name in names:
        publish_relation(org_settings, _csv(tmp_path / f"{name}.csv", 1), _spec(name))
    assert _current(org_settings) == dict.fromkeys(names, 1)

    items = [relation_item(_csv(tmp_path / f"{n}.csv", 2), _spec(n)) for n in names]
    # The third table's file breaks after it was checked: its write fails mid-batch.
    (tmp_path / "table_c.csv").write_text("S0,not a number\n", encoding="utf-8")
    with pytest.raises(ReadError, match=r"table_c \(table 3 of 3\) could not be written") as err:
        publish_batch(org_settings, items)
    assert err.value.details["failed_table"] == "table_c"
    assert isinstance(err.value.__cause__, duckdb.ConversionException)
    assert _current(org_settings) == dict.fromkeys(names, 1)

    # The next publish numbers past the versions the failed batch left unregistered.
    (tmp_path / "table_c.csv").unlink()
    items = [relation_item(_csv(tmp_path / f"{n}.csv", 3), _spec(n)) for n in names]
    results = publish_batch(org_settings, items)
    assert all(r.version > 1 for r in results)
    assert _current(org_settings) == {r.resource: r.version for r in results}
