"""The screening gate runs on the version's written files before they become visible: a
refusal leaves nothing behind, and what is screened is what is published."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from kaifang.catalog import history, open_catalog
from kaifang.errors import PublishRefusedError
from kaifang.publish import publish_file
from kaifang.settings import Settings
from kaifang.storage import VersionStore
from tests.privacy.conftest import national_ids
from tests.publishing import ORG, THEFT_HEADER, THEFT_ROWS, WriteCsv, catalog_counts, cited

PEOPLE_HEADER = ["身分證字號", "姓名", "鄉鎮"]


def people_rows(n: int = 40) -> list[tuple[str, str, str]]:
    names = ["王小明", "陳美玲", "林志強", "張淑芬"]
    return [(pid, names[i % 4], "大安區") for i, pid in enumerate(national_ids(n))]


def leftovers(settings: Settings) -> list[str]:
    tables = settings.data_dir / "tables"
    return sorted(str(p.relative_to(tables)) for p in tables.rglob("*") if p.is_file())


def manifest_of(settings: Settings, resource: str, version: int) -> dict[str, object]:
    return VersionStore(settings).read_manifest(resource, version)


def test_personal_data_is_refused_and_nothing_is_left(
    org_settings: Settings, write_csv: WriteCsv
) -> None:
    file = write_csv("people.csv", PEOPLE_HEADER, people_rows())
    with pytest.raises(PublishRefusedError, match="身分證字號") as refused:
        publish_file(org_settings, file, org=ORG, title="名冊")
    assert any(c["column"] == "身分證字號" for c in refused.value.details["columns"])
    assert catalog_counts(org_settings) == (0, 0, 0)
    assert [p for p in leftovers(org_settings) if p.endswith((".parquet", "manifest.json"))] == []


def test_a_refused_new_version_leaves_the_previous_one_current(
    org_settings: Settings, write_csv: WriteCsv
) -> None:
    first = publish_file(
        org_settings,
        write_csv("list.csv", PEOPLE_HEADER, people_rows()),
        org=ORG,
        title="名冊",
        allow_personal_data=cited("身分證字號", "姓名"),
    )
    again = write_csv("list.csv", PEOPLE_HEADER, people_rows(41))
    with pytest.raises(PublishRefusedError):
        publish_file(org_settings, again, org=ORG, dataset=first.dataset)
    with open_catalog(org_settings) as catalog:
        shown = history(catalog, first.resource)
    assert shown.current == 1
    assert [v.number for v in shown.versions] == [1]
    assert VersionStore(org_settings).list_versions(first.resource) == [1]


def test_the_summary_of_the_written_rows_is_in_the_manifest_and_the_catalog(
    org_settings: Settings, write_csv: WriteCsv
) -> None:
    file = write_csv("people.csv", PEOPLE_HEADER, people_rows())
    result = publish_file(
        org_settings,
        file,
        org=ORG,
        title="名冊",
        allow_personal_data=cited("身分證字號", "姓名"),
    )
    manifest = manifest_of(org_settings, result.resource, 1)
    screening = manifest["screening"]
    assert isinstance(screening, dict)
    assert screening["status"] == "legal_basis"
    assert screening["direct_identifiers"] == ["身分證字號", "姓名"]
    assert screening["rows_screened"] == 40
    assert result.screening == screening


def test_a_policy_is_verified_on_the_written_rows(
    org_settings: Settings, write_csv: WriteCsv
) -> None:
    file = write_csv("people.csv", PEOPLE_HEADER, people_rows())
    policy = file.parent / "policy.yaml"
    policy.write_text(
        json.dumps({"columns": {"身分證字號": {"action": "drop"}, "姓名": {"action": "drop"}}}),
        encoding="utf-8",
    )
    result = publish_file(org_settings, file, org=ORG, title="名冊", policy=policy)
    manifest = manifest_of(org_settings, result.resource, 1)
    assert [f["name"] for f in manifest["schema"]["fields"]] == ["鄉鎮"]  # type: ignore[index]
    screening = manifest["screening"]
    assert isinstance(screening, dict)
    assert screening["status"] == "passed"
    assert screening["verification"]["passed"] is True
    # the summary's columns describe the file as read: the identifiers were found there
    assert {c["name"] for c in screening["columns"]} >= {"身分證字號", "姓名"}


DISTRICT_THEFT = [
    (i + 1, "住宅竊盜", f"2023-01-{i % 28 + 1:02d}", f"臺北市{d}")
    for i, d in enumerate(["中山區", "大安區", "信義區", "士林區"] * 5)
]
PUBLIC_BY_NATURE = {
    "columns": {},
    "public_by_nature": {
        "reason": "案件點位依性質公開，地點已粗化至行政區",
        "columns": ["發生日期", "發生地點"],
        "approved_by": "資料管理員",
    },
}


def test_quasi_identifiers_failing_k_block_without_any_person_in_the_rows(
    org_settings: Settings, write_csv: WriteCsv
) -> None:
    """The gate reaches scan's verdict: incidents at a date and a district, no person and no
    direct identifier, are still unique per row, so the publish is refused naming them."""
    file = write_csv("theft.csv", THEFT_HEADER, DISTRICT_THEFT)
    with pytest.raises(PublishRefusedError, match="發生日期, 發生地點: k = 1") as refused:
        publish_file(org_settings, file, org=ORG, title="竊盜")
    assert [c["code"] for c in refused.value.details["columns"]] == ["k_anonymity"]
    assert "public_by_nature" in refused.value.hint
    assert catalog_counts(org_settings) == (0, 0, 0)


def test_a_recorded_public_by_nature_exception_publishes_and_is_kept_for_review(
    org_settings: Settings, write_csv: WriteCsv, tmp_path: Path
) -> None:
    file = write_csv("theft.csv", THEFT_HEADER, DISTRICT_THEFT)
    policy = tmp_path / "policy.yaml"
    policy.write_text(yaml.safe_dump(PUBLIC_BY_NATURE, allow_unicode=True), encoding="utf-8")
    result = publish_file(org_settings, file, org=ORG, title="竊盜", policy=policy)
    screening = manifest_of(org_settings, result.resource, 1)["screening"]
    assert isinstance(screening, dict)
    assert screening["status"] == "exception"
    assert screening["exception"] == {
        "kind": "public_by_nature",
        **PUBLIC_BY_NATURE["public_by_nature"],
    }
    assert screening["k_anonymity"]["k"] == 1  # measured and kept, not skipped


def test_an_exception_covers_only_the_columns_it_names(
    org_settings: Settings, write_csv: WriteCsv, tmp_path: Path
) -> None:
    narrow = {**PUBLIC_BY_NATURE, "public_by_nature": {"reason": "點位", "columns": ["發生地點"]}}
    policy = tmp_path / "policy.yaml"
    policy.write_text(yaml.safe_dump(narrow, allow_unicode=True), encoding="utf-8")
    file = write_csv("theft.csv", THEFT_HEADER, DISTRICT_THEFT)
    with pytest.raises(PublishRefusedError, match="k = 1"):
        publish_file(org_settings, file, org=ORG, title="竊盜", policy=policy)


def test_a_clean_file_passes(org_settings: Settings, write_csv: WriteCsv) -> None:
    result = publish_file(
        org_settings, write_csv("theft.csv", THEFT_HEADER, THEFT_ROWS), org=ORG, title="竊盜"
    )
    assert manifest_of(org_settings, result.resource, 1)["screening"] == result.screening
    assert result.screening["status"] == "passed"
