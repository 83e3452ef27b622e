"""What a publish refuses unless told, and what it reports: ragged rows (over 1 % of the
file), columns that differ from the current version's, and the reading problems."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kaifang.catalog import history, open_catalog
from kaifang.errors import ReadError, SchemaChangeError
from kaifang.publish import publish_file, rollback
from kaifang.settings import Settings
from kaifang.storage import VersionStore
from kaifang.storage.columns import schema_difference
from tests.publishing import ORG


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def clean_rows(n: int) -> list[str]:
    return [f"{i},{i * 2},x{i}" for i in range(n)]


def test_a_few_ragged_rows_are_published_and_reported(
    org_settings: Settings, tmp_path: Path
) -> None:
    rows = clean_rows(200)
    rows[10] = "6,7,8,9"
    file = write(tmp_path / "t.csv", ["a,b,c", *rows])
    result = publish_file(org_settings, file, org=ORG, title="t")
    assert result.problem_count == 1
    [problem] = result.problems
    assert (problem["row"], problem["code"], problem["values"]) == (11, "extra-cells", ["9"])
    manifest = VersionStore(org_settings).read_manifest(result.resource, 1)
    assert manifest["reading"]["problems"][0]["values"] == ["9"]
    assert manifest["reading"]["problem_count"] == 1


def test_more_than_one_percent_ragged_is_refused_unless_allowed(
    org_settings: Settings, tmp_path: Path
) -> None:
    rows = clean_rows(100)
    rows[3], rows[50] = "1,2", "6,7,8,9"
    file = write(tmp_path / "ragged.csv", ["a,b,c", *rows])
    with pytest.raises(ReadError) as refused:
        publish_file(org_settings, file, org=ORG, title="t")
    message = str(refused.value)
    assert "ragged.csv" in message and "rows 4, 51" in message and "--allow-ragged" in message
    result = publish_file(org_settings, file, org=ORG, title="t", allow_ragged=True)
    assert [p["code"] for p in result.problems] == ["missing-cells", "extra-cells"]


def test_a_different_schema_is_refused_then_recorded(
    org_settings: Settings, tmp_path: Path
) -> None:
    first = publish_file(
        org_settings, write(tmp_path / "v1.csv", ["a,b,c", *clean_rows(5)]), org=ORG, title="t"
    )
    changed = write(tmp_path / "v2.csv", ["a,b,d", "1,x,x3", "2,y,x4"])
    with pytest.raises(SchemaChangeError) as refused:
        publish_file(org_settings, changed, org=ORG, dataset=first.dataset)
    assert refused.value.status == 409
    difference = refused.value.details["schema_change"]
    assert difference == {
        "retyped": [{"column": "b", "from": "integer", "to": "string"}],
        "renamed": [{"from": "c", "to": "d"}],
    }
    assert "retyped 'b' integer -> string" in refused.value.message
    result = publish_file(
        org_settings, changed, org=ORG, dataset=first.dataset, allow_schema_change=True
    )
    assert result.version == 2 and result.schema_change == difference
    with open_catalog(org_settings) as catalog:
        versions = history(catalog, result.resource).to_dict()["versions"]
    assert versions[1]["schema_change"] == difference
    assert versions[0]["schema_change"] == {}
    manifest = VersionStore(org_settings).read_manifest(result.resource, 2)
    assert json.dumps(manifest["schema_change"]) == json.dumps(difference)


def test_a_rollback_records_its_change_from_the_version_it_replaces(
    org_settings: Settings, tmp_path: Path
) -> None:
    first = publish_file(
        org_settings, write(tmp_path / "v1.csv", ["a,b,c", *clean_rows(5)]), org=ORG, title="t"
    )
    wider = write(tmp_path / "v2.csv", ["a,b,c,d", "1,2,x,4"])
    publish_file(org_settings, wider, org=ORG, dataset=first.dataset, allow_schema_change=True)
    restored = rollback(org_settings, first.resource, to=1)
    assert restored.schema_change == {"removed": [{"column": "d", "type": "integer"}]}


def test_the_same_columns_need_no_flag(org_settings: Settings, tmp_path: Path) -> None:
    first = publish_file(
        org_settings, write(tmp_path / "v1.csv", ["a,b,c", *clean_rows(5)]), org=ORG, title="t"
    )
    again = write(tmp_path / "v2.csv", ["a,b,c", *clean_rows(9)])
    result = publish_file(org_settings, again, org=ORG, dataset=first.dataset)
    assert (result.version, result.schema_change) == (2, {})


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ([("a", "integer")], [("a", "integer")], {}),
        (
            [("a", "integer"), ("b", "string")],
            [("a", "integer"), ("c", "string"), ("d", "date")],
            {
                "added": [{"column": "d", "type": "date"}],
                "renamed": [{"from": "b", "to": "c"}],
            },
        ),
        (
            [("a", "integer"), ("b", "string")],
            [("a", "number")],
            {
                "removed": [{"column": "b", "type": "string"}],
                "retyped": [{"column": "a", "from": "integer", "to": "number"}],
            },
        ),
        (
            [("a", "integer"), ("b", "string")],
            [("a", "integer"), ("x", "date")],
            {
                "added": [{"column": "x", "type": "date"}],
                "removed": [{"column": "b", "type": "string"}],
            },
        ),
    ],
)
def test_schema_difference(
    before: list[tuple[str, str]], after: list[tuple[str, str]], expected: dict[str, object]
) -> None:
    fields = [{"name": n, "type": t} for n, t in before]
    assert schema_difference(fields, [{"name": n, "type": t} for n, t in after]) == expected
