"""The catalog's records: read out of the session, they outlive it, cannot be changed, and
their ``to_dict()`` is the JSON that ``--json`` and the APIs print."""

from __future__ import annotations

import dataclasses

import pytest

from kaifang.catalog import create_user, history, list_datasets, open_catalog, show_dataset
from kaifang.catalog.records import DatasetRecord, UserRecord
from kaifang.publish import publish_file
from kaifang.settings import Settings
from tests.publishing import ORG, WriteCsv


def test_records_outlive_their_session_and_are_frozen(
    org_settings: Settings, write_csv: WriteCsv
) -> None:
    first = publish_file(org_settings, write_csv("a.csv", ["a"], [[1], [2]]), org=ORG, title="甲")
    again = write_csv("a.csv", ["a"], [[1], [2], [3]])
    publish_file(org_settings, again, org=ORG, dataset=first.dataset, resource=first.resource)
    with open_catalog(org_settings) as catalog:
        shown = show_dataset(catalog, first.dataset)
        listed = list_datasets(catalog)
        versions = history(catalog, first.resource)
    resource = shown.resources[0]  # the catalog is closed: everything was read already
    assert (resource.current_version, resource.rows) == (2, 3)
    assert resource.current is not None and resource.current.number == 2
    assert [v.rows for v in versions.versions] == [2, 3]
    # a listing shows the same dataset, reading only each resource's current version
    assert listed.count == 1 and listed.data[0].to_dict() == shown.to_dict()
    assert [v.number for v in listed.data[0].resources[0].versions] == [2]
    with pytest.raises(dataclasses.FrozenInstanceError):
        shown.title = "changed"  # type: ignore[misc]
    assert isinstance(shown, DatasetRecord)
    assert shown.to_dict()["resources"][0] == {
        "id": resource.slug,
        "identifier": resource.identifier,
        "name": resource.name,
        "current_version": 2,
        "rows": 3,
        "created": resource.created.isoformat(),
        "modified": resource.modified.isoformat(),
        "fields": [dict(f) for f in resource.fields],
    }


def test_a_user_may_write_only_where_an_editor_or_admin(org_settings: Settings) -> None:
    with open_catalog(org_settings) as catalog:
        member = create_user(catalog, "m", org=ORG, role="member")
        editor = create_user(catalog, "e", org=ORG, role="editor")
    assert isinstance(member, UserRecord)
    assert (member.may_write(ORG), editor.may_write(ORG), editor.may_write("A59000000N")) == (
        False,
        True,
        False,
    )
    assert editor.to_dict() == {"name": "e", "email": "", "roles": {ORG: "editor"}}
