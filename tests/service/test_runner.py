"""QueryRunner: builder SQL is validated once per shape, values stay bound parameters."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kaifang.errors import NotFoundError, QueryError
from kaifang.publish.rollback import rollback
from kaifang.service import Service
from tests.api.conftest import Published


@pytest.fixture
def service(published: Published) -> Iterator[Service]:
    service = Service(published.settings)
    yield service
    service.close()


def test_one_shape_many_values(service: Service, published: Published) -> None:
    for vehicle_type in (31, 32, 41, 42, 5):
        body = service.rows("freeway", {"VehicleType": str(vehicle_type), "_limit": "1"})
        expected = sum(1 for r in published.rows if r.vehicle_type == vehicle_type)
        assert body["total"] == expected
    assert len(service.pages._shapes) == 1  # the page, which counts its matches itself


def test_heavy_work_runs_in_the_sql_workers_and_pages_in_the_server(
    service: Service, published: Published
) -> None:
    """Aggregates run in the SQL worker processes (inside their OS limits, off the server's
    cores); rows pages stay in the server: with the workers gone, pages still answer."""
    body = service.aggregate("freeway", {"group_by": "VehicleType"})
    assert sum(row["count"] for row in body["rows"]) == len(published.rows)
    service.sql_engine.close()
    assert service.rows("freeway", {"_limit": "2"})["total"] == len(published.rows)
    with pytest.raises(QueryError, match="closed"):
        service.aggregate("freeway", {"group_by": "VehicleType"})


@pytest.mark.parametrize("runner", ["pages", "runner"])
def test_a_cached_shape_still_checks_its_tables(service: Service, runner: str) -> None:
    sql = 'SELECT count(*) FROM "freeway" JOIN "school" USING (id)'
    run = getattr(service, runner).run
    for _ in range(2):
        result = run(sql, table="freeway", resource_id="freeway", version=2)
        assert result.rows == [(30,)]
    with pytest.raises(QueryError, match="nope"):
        run('SELECT count(*) FROM "nope"', table="freeway", resource_id="freeway", version=2)


def test_version_files_are_remembered_per_version(service: Service) -> None:
    first = service.runner.version_files("freeway", 1)
    assert service.runner.version_files("freeway", 1) is first
    assert service.runner.version_files("freeway", 2) != first


def test_resource_refs_are_cached_until_the_current_version_changes(
    service: Service, published: Published
) -> None:
    first = service.refs.get("freeway")
    assert first.current_version == 2
    assert service.refs.get("freeway") is first
    assert service.refs.get(first.identifier) == first
    rollback(published.settings, "freeway", to=1)  # another process publishes v1 again as v3
    moved = service.refs.get("freeway")
    assert (moved.current_version, sorted(moved.versions)) == (3, [1, 2, 3])
    assert service.rows("freeway", {"_limit": "1"})["version"] == 3
    with pytest.raises(NotFoundError):
        service.refs.get("nope")
