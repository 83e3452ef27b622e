from __future__ import annotations

import pytest

from kaifang.catalog import open_catalog
from kaifang.errors import QueryError
from kaifang.publish import publish_file
from kaifang.query.published import query_published
from kaifang.query.resolver import catalog_resolver, parse_table_name, published_tables
from kaifang.settings import Settings
from kaifang.storage import VersionStore
from tests.publishing import ORG, WriteCsv


@pytest.fixture
def two_versions(org_settings: Settings, write_csv: WriteCsv) -> Settings:
    first = publish_file(
        org_settings, write_csv("theft.csv", ["n"], [[1], [2]]), org=ORG, title="T"
    )
    publish_file(org_settings, write_csv("theft.csv", ["n"], [[3]]), org=ORG, dataset=first.dataset)
    return org_settings


@pytest.mark.parametrize(
    ("name", "parsed"),
    [("theft", ("theft", None)), ("Theft__v2", ("theft", 2)), ("a_b__v10", ("a_b", 10))],
)
def test_parse_table_name(name: str, parsed: tuple[str, int | None]) -> None:
    assert parse_table_name(name) == parsed


def test_resolver_maps_ids_and_pinned_versions_to_files(two_versions: Settings) -> None:
    store = VersionStore(two_versions)
    with open_catalog(two_versions) as catalog:
        resolve = catalog_resolver(catalog, store)
        assert resolve("theft") == store.version_files("theft", 2)
        assert resolve("theft__v1") == store.version_files("theft", 1)
        assert resolve("theft__v3") is None
        assert resolve("nothing") is None
        assert published_tables(catalog) == ["theft", "theft__v1", "theft__v2"]


@pytest.mark.parametrize(
    ("sql", "rows"),
    [
        ("SELECT n FROM theft", [[3]]),
        ("SELECT n FROM theft__v1 ORDER BY n", [[1], [2]]),
        ("SELECT count(*) AS c FROM theft__v1 JOIN theft__v2 ON true", [[2]]),
    ],
)
def test_query_published(two_versions: Settings, sql: str, rows: list[list[object]]) -> None:
    assert query_published(two_versions, sql)["rows"] == rows


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM read_csv('/etc/passwd')",
        "COPY (SELECT 1) TO 'out.csv'",
        "SET enable_external_access = true",
        "INSTALL httpfs",
        "SELECT * FROM no_such_table",
    ],
)
def test_query_cannot_touch_files_or_settings(two_versions: Settings, sql: str) -> None:
    with pytest.raises(QueryError):
        query_published(two_versions, sql)


def test_query_row_limit_truncates_and_says_so(two_versions: Settings) -> None:
    limited = two_versions.replace(query_max_rows=1)
    result = query_published(limited, "SELECT n FROM theft__v1 ORDER BY n")
    assert result["rows"] == [[1]]
    assert result["truncated"] is True
    assert query_published(two_versions, "SELECT n FROM theft__v1")["truncated"] is False
