"""``publish_relation``: validation before writing, partitions reused, crash before register."""

from __future__ import annotations

from typing import Any

import duckdb
import pytest

from kaifang.catalog import open_catalog
from kaifang.catalog.models import Resource
from kaifang.errors import ValidationError
from kaifang.publish import commit as commit_module
from kaifang.publish.relation import RelationSpec, publish_relation
from kaifang.settings import Settings
from kaifang.storage import VersionStore
from tests.publishing import ORG

FIELDS = [
    {"name": "day", "type": "date", "description": "the day"},
    {"name": "station", "type": "string", "description": "a station"},
    {"name": "count", "type": "integer", "description": "how many"},
]


def _rows(con: duckdb.DuckDBPyConnection, days: list[str], count: int) -> Any:
    values = ", ".join(f"(DATE '{d}', 'S{n}', {count + n})" for d in days for n in range(3))
    return con.sql(f"SELECT * FROM (VALUES {values}) AS t(day, station, count)")


def _spec(**changes: Any) -> RelationSpec:
    base: dict[str, Any] = {
        "org": ORG,
        "title": "站點計數",
        "resource": "station_counts",
        "fields": FIELDS,
        "partition_by": "day",
        "order_by": ("station",),
    }
    return RelationSpec(**{**base, **changes})


def _current(settings: Settings) -> int | None:
    with open_catalog(settings) as catalog, catalog.read() as session:
        resource = session.query(Resource).filter_by(slug="station_counts").one_or_none()
        return resource.current_version if resource else None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"fields": FIELDS[:2]}, "do not match"),
        ({"partition_by": "month"}, "cannot partition by 'month'"),
        ({"title": " "}, "needs a title"),
    ],
)
def test_invalid_specs_write_nothing(
    org_settings: Settings, changes: dict[str, Any], message: str
) -> None:
    con = duckdb.connect()
    with pytest.raises(ValidationError, match=message):
        publish_relation(org_settings, _rows(con, ["2024-01-01"], 1), _spec(**changes))
    assert VersionStore(org_settings).list_versions("station_counts") == []


def test_partitions_append_replace_and_stay_unchanged(org_settings: Settings) -> None:
    con = duckdb.connect()
    first = publish_relation(org_settings, _rows(con, ["2024-01-01", "2024-01-02"], 1), _spec())
    assert (first.version, first.rows, first.partitions_written) == (
        1,
        6,
        ["2024-01-01", "2024-01-02"],
    )
    same = publish_relation(org_settings, _rows(con, ["2024-01-02"], 1), _spec())
    assert (same.unchanged, same.version) == (True, 1)
    changed = publish_relation(org_settings, _rows(con, ["2024-01-02", "2024-01-03"], 5), _spec())
    assert changed.version == 2
    assert changed.partitions_written == ["2024-01-02", "2024-01-03"]
    assert changed.partitions_reused == ["2024-01-01"]
    assert changed.rows == 9


def test_a_crash_before_registering_keeps_the_previous_version(
    org_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    con = duckdb.connect()
    publish_relation(org_settings, _rows(con, ["2024-01-01"], 1), _spec())

    def crash(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt  # stands for the process dying between store and catalog

    monkeypatch.setattr(commit_module, "register_version", crash)
    with pytest.raises(KeyboardInterrupt):
        publish_relation(org_settings, _rows(con, ["2024-01-02"], 1), _spec())
    assert _current(org_settings) == 1
    monkeypatch.undo()
    again = publish_relation(org_settings, _rows(con, ["2024-01-02"], 1), _spec())
    assert again.version == 3  # the stored, unregistered version 2 is skipped, never reused
    assert VersionStore(org_settings).list_versions("station_counts") == [1, 2, 3]


def test_an_importers_schema_change_is_recorded_not_refused(org_settings: Settings) -> None:
    con = duckdb.connect()
    publish_relation(org_settings, _rows(con, ["2024-01-01"], 1), _spec(partition_by=None))
    assert _current(org_settings) == 1
    wider = con.sql(
        "SELECT *, 'note' AS note FROM (VALUES (DATE '2024-01-02', 'S1', 3)) t(day, station, count)"
    )
    fields = [*FIELDS, {"name": "note", "type": "string"}]
    result = publish_relation(org_settings, wider, _spec(fields=fields, partition_by=None))
    assert result.version == 2
    assert result.schema_change == {"added": [{"column": "note", "type": "string"}]}
    manifest = VersionStore(org_settings).read_manifest("station_counts", 2)
    assert manifest["schema_change"] == result.schema_change
