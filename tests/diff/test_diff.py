"""``kaifang diff`` / ``GET /api/resources/{id}/diff``: by a declared key, an inferred key,
or whole rows; with schema changes; and over a generated 1 M-row version pair."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from kaifang.app import create_app
from kaifang.catalog import open_catalog
from kaifang.cli import cli
from kaifang.cli.common import console
from kaifang.diff import diff_resource
from kaifang.diff.engine import Side, hashed_diff, keyed_diff
from kaifang.diff.history import history_with_changes
from kaifang.errors import ValidationError
from kaifang.publish import publish_file
from kaifang.settings import Settings
from kaifang.storage import VersionStore
from tests.publishing import ORG


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def diff(settings: Settings, resource: str, **options: Any) -> dict[str, Any]:
    with open_catalog(settings) as catalog:
        return diff_resource(catalog, VersionStore(settings), resource, **options)


def publish_pair(
    settings: Settings, tmp_path: Path, v1: list[str], v2: list[str], **options: Any
) -> str:
    first = publish_file(settings, write(tmp_path / "t.csv", v1), org=ORG, title="t", **options)
    publish_file(
        settings,
        write(tmp_path / "t.csv", v2),
        org=ORG,
        dataset=first.dataset,
        allow_schema_change=True,
    )
    return first.resource


V1 = ["id,name,n", "1,a,10", "2,b,20", "3,c,30", "4,d,40"]
V2 = ["id,name,n", "1,a,10", "2,b,21", "4,d,40", "5,e,50", "6,f,60"]


def test_an_inferred_key_gives_added_removed_and_changed(
    org_settings: Settings, tmp_path: Path
) -> None:
    resource = publish_pair(org_settings, tmp_path, V1, V2)
    found = diff(org_settings, resource)
    assert (found["from"], found["to"], found["rows"]) == (1, 2, {"from": 4, "to": 5})
    assert (found["key"], found["key_source"]) == (["id"], "inferred")
    assert (found["added"], found["removed"], found["changed"]) == (2, 1, 1)
    samples = found["samples"]
    assert [r["id"] for r in samples["added"]] == [5, 6]
    assert samples["removed"] == [{"id": 3, "name": "c", "n": 30}]
    assert samples["changed"] == [{"key": {"id": 2}, "changes": {"n": [20, 21]}}]
    assert found["schema_change"] == {}


def test_a_declared_key_wins_and_show_limits_the_rows(
    org_settings: Settings, tmp_path: Path
) -> None:
    v1 = ["code,city,n", "A,x,1", "B,x,2", "C,y,3"]
    v2 = ["code,city,n", "A,x,1", "B,x,5", "C,y,6", "D,z,7"]
    resource = publish_pair(org_settings, tmp_path, v1, v2, metadata={"primary_key": "code,city"})
    found = diff(org_settings, resource, show=1)
    assert (found["key"], found["key_source"]) == (["code", "city"], "metadata")
    assert (found["added"], found["removed"], found["changed"]) == (1, 0, 2)
    assert samples_keys(found) == [{"code": "B", "city": "x"}]


def samples_keys(found: dict[str, Any]) -> list[dict[str, Any]]:
    return [item["key"] for item in found["samples"]["changed"]]


def test_without_a_key_whole_rows_are_compared(org_settings: Settings, tmp_path: Path) -> None:
    v1 = ["kind,n", "a,1", "a,1", "b,2"]
    v2 = ["kind,n", "a,1", "b,2", "b,3", "c,4"]
    resource = publish_pair(org_settings, tmp_path, v1, v2)
    found = diff(org_settings, resource)
    assert found["key"] is None and found["changed"] is None
    assert (found["added"], found["removed"]) == (2, 1)
    assert sorted(r["n"] for r in found["samples"]["added"]) == [3, 4]
    assert found["samples"]["removed"] == [{"kind": "a", "n": 1}]


def test_a_schema_change_is_listed_and_rows_compared_on_common_columns(
    org_settings: Settings, tmp_path: Path
) -> None:
    v2 = ["id,title,n,extra", "1,a,10,x", "2,b,20,y", "3,c,31,z", "4,d,40,w"]
    resource = publish_pair(org_settings, tmp_path, V1, v2)
    found = diff(org_settings, resource)
    assert found["schema_change"] == {
        "added": [{"column": "extra", "type": "string"}],
        "renamed": [{"from": "name", "to": "title"}],
    }
    assert (found["added"], found["removed"], found["changed"]) == (0, 0, 1)
    assert found["samples"]["changed"] == [{"key": {"id": 3}, "changes": {"n": [30, 31]}}]


def test_versions_are_checked(org_settings: Settings, tmp_path: Path) -> None:
    first = publish_file(org_settings, write(tmp_path / "t.csv", V1), org=ORG, title="t")
    with pytest.raises(ValidationError, match="first version"):
        diff(org_settings, first.resource)


def test_cli_and_api_give_the_library_object(
    org_settings: Settings, tmp_path: Path, runner: CliRunner
) -> None:
    resource = publish_pair(org_settings, tmp_path, V1, V2)
    expected = diff(org_settings, resource, from_version=1, to_version=2)
    env = {"KAIFANG_DATABASE_URL": org_settings.database_url}
    args = ["--data-dir", str(org_settings.data_dir), "diff", resource, "--from", "1", "--json"]
    result = runner.invoke(cli, args, env=env)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == expected
    human = runner.invoke(cli, args[:-1], env=env)
    assert "2 added, 1 removed, 1 changed" in human.stdout
    with TestClient(create_app(org_settings.replace(rate_limit=0))) as client:
        response = client.get(f"/api/resources/{resource}/diff", params={"from": 1, "to": 2})
        assert response.status_code == 200
        assert response.json() == expected
        missing = client.get(f"/api/resources/{resource}/diff", params={"from": 9})
        assert missing.status_code == 404
        assert "Versions are: 1, 2" in missing.json()["error"]["hint"]


@pytest.fixture
def wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(console, "width", 300)


def test_history_lists_what_each_version_changed(
    org_settings: Settings, tmp_path: Path, runner: CliRunner, wide_console: None
) -> None:
    resource = publish_pair(org_settings, tmp_path, V1, ["id,name,n,extra", "1,a,10,x"])
    env = {"KAIFANG_DATABASE_URL": org_settings.database_url}
    args = ["--data-dir", str(org_settings.data_dir), "history", resource]
    found = json.loads(runner.invoke(cli, [*args, "--json"], env=env).stdout)
    first, second = found["versions"]
    assert first["changes"] is None
    assert second["changes"] == {"added": 0, "removed": 3, "changed": 0, "key": ["id"]}
    assert second["schema_change"] == {"added": [{"column": "extra", "type": "string"}]}
    assert second["source_file"] == "t.csv"
    text = runner.invoke(cli, args, env=env).stdout
    assert "+0 -3 ~0" in text and "added 'extra' (string)" in text
    with open_catalog(org_settings) as catalog:
        store = VersionStore(org_settings)
        older = history_with_changes(catalog, store, resource, latest=0)["versions"]
        small = history_with_changes(catalog, store, resource, max_rows=3)["versions"]
    assert "skipped" in older[1]["changes"] and "skipped" in small[1]["changes"]
    assert "kaifang diff" in small[1]["changes"]["skipped"]


def test_inspect_shows_ragged_rows(tmp_path: Path, runner: CliRunner, wide_console: None) -> None:
    file = write(tmp_path / "r.csv", ["a,b,c", "1,2,3", "4,5", "6,7,8,9"])
    text = runner.invoke(cli, ["inspect", str(file)]).stdout
    assert "problem: row 2, column c: row has 2 cells" in text
    assert "problem: row 3: row has 4 cells" in text and "['9']" in text


N = 1_000_000


@pytest.fixture(scope="module")
def million_pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Side, Side]:
    """Two generated 1 M-row versions: v2 drops ids divisible by 1000, changes those
    divisible by 777 and adds 5000 new ids."""
    folder = tmp_path_factory.mktemp("million")
    con = duckdb.connect()
    con.execute(
        f"COPY (SELECT i AS id, 'name ' || i AS name, i * 2 AS n FROM range({N}) t(i)) "
        f"TO '{folder / 'v1.parquet'}'"
    )
    con.execute(
        f"COPY (SELECT i AS id, 'name ' || i AS name, "
        f"CASE WHEN i % 777 = 0 THEN -1 ELSE i * 2 END AS n FROM range({N + 5000}) t(i) "
        f"WHERE i % 1000 <> 0 OR i >= {N}) TO '{folder / 'v2.parquet'}'"
    )
    fields = [{"name": "id", "type": "integer"}, {"name": "name"}, {"name": "n", "type": "integer"}]
    return (
        Side(f"read_parquet('{folder / 'v1.parquet'}')", fields),
        Side(f"read_parquet('{folder / 'v2.parquet'}')", fields),
    )


def expected_counts() -> tuple[int, int, int]:
    removed = len(range(0, N, 1000))
    changed = sum(1 for i in range(0, N, 777) if i % 1000)
    return 5000, removed, changed


def test_a_million_row_pair_by_key(million_pair: tuple[Side, Side]) -> None:
    before, after = million_pair
    found = keyed_diff(duckdb.connect(), before, after, ["id"], 3)
    assert (found["added"], found["removed"], found["changed"]) == expected_counts()
    assert [r["id"] for r in found["samples"]["added"]] == [N, N + 1, N + 2]
    assert [r["id"] for r in found["samples"]["removed"]] == [0, 1000, 2000]
    assert found["samples"]["changed"][0] == {"key": {"id": 777}, "changes": {"n": [1554, -1]}}


def test_a_million_row_pair_by_whole_rows(million_pair: tuple[Side, Side]) -> None:
    before, after = million_pair
    found = hashed_diff(duckdb.connect(), before, after, 3)
    added, removed, changed = expected_counts()
    assert (found["added"], found["removed"]) == (added + changed, removed + changed)
