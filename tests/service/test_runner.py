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
        body = service.aggregate("freeway", {"VehicleType": str(vehicle_type)})
        expected = sum(1 for r in published.rows if r.vehicle_type == vehicle_type)
        assert body["rows"] == [{"count": expected}]
    assert len(service.runner._shapes) == 1


def test_a_cached_shape_still_checks_its_tables(service: Service) -> None:
    sql = 'SELECT count(*) FROM "freeway" JOIN "school" USING (id)'
    for _ in range(2):
        result = service.runner.run(sql, table="freeway", resource_id="freeway", version=2)
        assert result.rows == [(30,)]
    with pytest.raises(QueryError, match="nope"):
        service.runner.run(
            'SELECT count(*) FROM "nope"', table="freeway", resource_id="freeway", version=2
        )


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
