"""The rows, aggregate, datastore and SQL endpoints answer byte for byte the same whether a
version is read from its Parquet or from its serving copy (kaifang.query.serving)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kaifang.app import create_app
from kaifang.query.serving import ServingCopy, copy_path
from tests.api.conftest import Published, publish_fixtures
from tests.catalogs import Catalogs

ROWS = "/api/resources/freeway/rows"
AGGREGATE = "/api/resources/freeway/aggregate"

QUESTIONS = [
    f"{ROWS}?_limit=50",
    f"{ROWS}?GantryID=03F0150S&_sort=TimeInterval&_limit=20",
    f"{ROWS}?TimeInterval__gte=2024-01-01T10:00:00&TimeInterval__lt=2024-01-01T11:00:00"
    "&_sort_desc=Volume&_limit=7",
    f"{ROWS}?Speed__isnull=true&_fields=id,Speed,TimeInterval&_limit=9",
    f"{ROWS}?_version=1&Direction=S&_sort=Speed&_limit=13",
    f"{AGGREGATE}?group_by=GantryID,VehicleType&metric=count,sum:Volume,avg:Speed,max:Speed",
    f"{AGGREGATE}?_version=1&group_by=Direction&metric=count,min:TimeInterval",
    "/api/sql?sql=SELECT+GantryID,+count(*)+AS+n,+avg(Volume)+FROM+freeway+GROUP+BY+1+ORDER+BY+1",
    "/api/sql?sql=SELECT+*+FROM+freeway__v1+ORDER+BY+id+DESC+LIMIT+25",
    "/api/sql?sql=SELECT+typeof(TimeInterval),+typeof(Speed),+typeof(id)+FROM+freeway+LIMIT+1",
    "/api/3/action/datastore_search?resource_id=freeway&limit=15&sort=Volume+desc&q=01F",
]


@pytest.fixture(scope="module")
def clients(
    tmp_path_factory: pytest.TempPathFactory, catalogs: Catalogs
) -> Iterator[tuple[Published, TestClient, TestClient]]:
    root = tmp_path_factory.mktemp("serving")
    published = publish_fixtures(catalogs.settings(root / "data", rate_limit=0), root / "files")
    plain = published.settings.replace(serving_copies=False)
    copies = published.settings.replace(serving_copy_min_rows=1)
    with TestClient(create_app(plain)) as from_parquet, TestClient(create_app(copies)) as served:
        serving = served.app.state.service.engine.serving  # type: ignore[attr-defined]
        for version in (1, 2):  # the first query of each version starts its build
            served.get(f"{ROWS}?_version={version}&_limit=1")
        serving.wait()
        yield published, from_parquet, served


def _fetch_pages(client: TestClient, url: str) -> list[Any]:
    """The answer to ``url``, and to every ``next`` page after it (at most 20)."""
    pages = []
    for _ in range(20):
        response = client.get(url)
        assert response.status_code == 200, response.text
        body = response.json()
        if isinstance(body, dict):
            body.pop("elapsed_ms", None)
        pages.append(body)
        token = body.get("next") if isinstance(body, dict) else None
        if not token:
            break
        url = url.split("&_next=")[0] + f"&_next={token}"
    return pages


def test_both_versions_are_read_from_their_copy(
    clients: tuple[Published, TestClient, TestClient],
) -> None:
    published, from_parquet, served = clients
    resource = published.freeway.resource
    service = served.app.state.service  # type: ignore[attr-defined]
    for version in (1, 2):
        path = str(copy_path(published.settings, resource, version))
        for source in (
            service.runner.version_source(resource, version),
            service.sql_resolver(f"{resource}__v{version}"),
        ):
            assert isinstance(source, ServingCopy)
            assert source.path == path
    plain = from_parquet.app.state.service  # type: ignore[attr-defined]
    assert isinstance(plain.runner.version_source(resource, 2), list)


@pytest.mark.parametrize("url", QUESTIONS)
def test_the_copy_answers_as_the_parquet(
    url: str, clients: tuple[Published, TestClient, TestClient]
) -> None:
    _published, from_parquet, served = clients
    assert _fetch_pages(served, url) == _fetch_pages(from_parquet, url)
