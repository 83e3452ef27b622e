from __future__ import annotations

from datetime import date

import duckdb
import pytest

from kaifang.catalog import create_organization, history, open_catalog, show_dataset
from kaifang.catalog.identifiers import is_slug
from kaifang.errors import ForbiddenError
from kaifang.publish import publish_file
from kaifang.settings import Settings
from kaifang.storage import VersionStore, parquet_scan_sql
from tests.publishing import ORG, THEFT_HEADER, THEFT_ROWS, WriteCsv, cited, stored_files


def read_rows(settings: Settings, resource: str, version: int) -> list[tuple[object, ...]]:
    files = VersionStore(settings).version_files(resource, version)
    return duckdb.sql(f"SELECT * FROM {parquet_scan_sql(files)}").fetchall()


def test_new_dataset_gets_identifiers_and_a_first_version(
    org_settings: Settings, write_csv: WriteCsv
) -> None:
    file = write_csv("theft_points.csv", THEFT_HEADER, THEFT_ROWS)
    result = publish_file(org_settings, file, org=ORG, title="Theft points 竊盜點位", publisher="p")
    assert (result.version, result.rows) == (1, 3)
    assert (result.created_dataset, result.created_resource, result.unchanged) == (
        True,
        True,
        False,
    )
    assert result.dataset_identifier == f"{ORG}-000001"
    assert result.resource_identifier == f"{ORG}-000001-001"
    assert is_slug(result.dataset) and is_slug(result.resource)
    assert (result.dataset, result.resource) == ("theft_points", "theft_points")
    with open_catalog(org_settings) as catalog:
        shown = show_dataset(catalog, result.dataset_identifier).to_dict()
    assert shown["resources"] == [
        {
            "id": "theft_points",
            "identifier": f"{ORG}-000001-001",
            "name": "theft_points",
            "current_version": 1,
            "rows": 3,
            "created": shown["resources"][0]["created"],
            "modified": shown["resources"][0]["modified"],
            "fields": [
                {"name": name, "type": kind}
                for name, kind in zip(
                    THEFT_HEADER, ["integer", "string", "date", "string"], strict=True
                )
            ],
        }
    ]


def test_rows_are_clustered_by_time_then_the_code_like_column(
    org_settings: Settings, write_csv: WriteCsv
) -> None:
    file = write_csv("theft.csv", THEFT_HEADER, THEFT_ROWS)
    result = publish_file(org_settings, file, org=ORG, title="竊盜")
    assert result.clustered_by == ["發生日期", "編號"]
    assert [row[0] for row in read_rows(org_settings, result.resource, 1)] == [1, 2, 3]


def test_without_a_time_column_rows_are_clustered_by_the_code(
    org_settings: Settings, write_csv: WriteCsv
) -> None:
    rows = [("0300", "丙"), ("0100", "甲"), ("0200", "乙")]
    result = publish_file(
        org_settings, write_csv("codes.csv", ["代碼", "名稱"], rows), org=ORG, title="代碼表"
    )
    assert result.clustered_by == ["代碼"]
    codes = [row[0] for row in read_rows(org_settings, result.resource, 1)]
    assert codes == ["0100", "0200", "0300"]


def test_a_chinese_title_gives_a_pinyin_id_not_the_file_name(
    org_settings: Settings, write_csv: WriteCsv
) -> None:
    first = publish_file(
        org_settings, write_csv("a.csv", ["x"], [[1]]), org=ORG, title="竊盜點位資訊"
    )
    second = publish_file(
        org_settings, write_csv("b/a.csv", ["x"], [[2]]), org=ORG, title="竊盜點位資訊"
    )
    assert (first.dataset, first.resource) == ("qie_dao_dian_wei_zi_xun", "a")
    assert (second.dataset, second.resource) == ("qie_dao_dian_wei_zi_xun_2", "a_2")
    assert second.dataset_identifier == f"{ORG}-000002"


def test_new_version_keeps_every_old_version_readable(
    org_settings: Settings, write_csv: WriteCsv
) -> None:
    first = publish_file(
        org_settings, write_csv("theft.csv", THEFT_HEADER, THEFT_ROWS), org=ORG, title="竊盜"
    )
    second = publish_file(
        org_settings,
        write_csv("theft.csv", THEFT_HEADER, THEFT_ROWS[:1]),
        org=ORG,
        dataset=first.dataset,
    )
    assert (second.resource, second.version, second.rows) == (first.resource, 2, 1)
    assert len(read_rows(org_settings, first.resource, 1)) == 3
    assert len(read_rows(org_settings, first.resource, 2)) == 1
    with open_catalog(org_settings) as catalog:
        versions = history(catalog, first.resource)
    assert versions.current == 2
    assert [v.number for v in versions.versions] == [1, 2]


def test_same_file_twice_creates_nothing(org_settings: Settings, write_csv: WriteCsv) -> None:
    file = write_csv("theft.csv", THEFT_HEADER, THEFT_ROWS)
    first = publish_file(org_settings, file, org=ORG, title="竊盜")
    files = stored_files(org_settings)
    again = publish_file(org_settings, file, org=ORG, title="竊盜")
    to_dataset = publish_file(org_settings, file, org=ORG, dataset=first.dataset)
    assert again.unchanged and to_dataset.unchanged
    assert (again.dataset, again.resource, again.version) == (first.dataset, first.resource, 1)
    assert stored_files(org_settings) == files


@pytest.mark.parametrize(
    ("resource", "file_name", "expected"),
    [
        (None, "schools.csv", "schools"),  # named after the file
        ("theft", "other.csv", "theft"),  # picked by --resource
        (None, "other.csv", "other"),  # no match among several: a new resource
    ],
)
def test_choosing_the_resource_of_a_dataset(
    org_settings: Settings,
    write_csv: WriteCsv,
    resource: str | None,
    file_name: str,
    expected: str,
) -> None:
    first = publish_file(org_settings, write_csv("theft.csv", ["a"], [[1]]), org=ORG, title="Mixed")
    publish_file(
        org_settings,
        write_csv("schools.csv", ["b"], [[1]]),
        org=ORG,
        dataset=first.dataset,
        resource="schools",
    )
    result = publish_file(
        org_settings,
        write_csv(file_name, ["c"], [[2]]),
        org=ORG,
        dataset=first.dataset,
        resource=resource,
        allow_schema_change=True,  # other columns than the resource picked: accepted here
    )
    assert result.resource == expected
    with open_catalog(org_settings) as catalog:
        resources = show_dataset(catalog, first.dataset).resources
    identifiers = [r.identifier for r in resources]
    assert identifiers[:2] == [f"{ORG}-000001-001", f"{ORG}-000001-002"]


def test_metadata_and_legal_basis_are_recorded(org_settings: Settings, write_csv: WriteCsv) -> None:
    file = write_csv("theft.csv", THEFT_HEADER, THEFT_ROWS)
    meta = {
        "title": "竊盜點位",
        "category": "E00",
        "keywords": ["竊盜", "治安"],
        "license": "CC-BY-4.0",
        "update_frequency": "monthly",
        "temporal_coverage": {"from": "2023-01-01", "to": "2023-12-31"},
        "contact": {"name": "王承辦", "email": "wang@example.gov.tw"},
        "fields": {"案類": "竊盜的種類"},
    }
    result = publish_file(
        org_settings,
        file,
        org=ORG,
        metadata=meta,
        license="CC0-1.0",
        allow_personal_data=cited("發生地點"),
    )
    with open_catalog(org_settings) as catalog:
        shown = show_dataset(catalog, result.dataset).to_dict()
        versions = history(catalog, result.resource).to_dict()["versions"]
    assert shown["title"] == "竊盜點位"
    assert shown["license"]["id"] == "CC0-1.0"  # --license wins over the metadata file
    assert (shown["category"], shown["category_name"]) == ("E00", "生活安全及品質")
    assert shown["keywords"] == ["治安", "竊盜"]
    assert shown["temporal_coverage"] == {"from": "2023-01-01", "to": "2023-12-31"}
    assert shown["contact"]["email"] == "wang@example.gov.tw"
    assert {"name": "案類", "type": "string", "description": "竊盜的種類"} in shown["resources"][0][
        "fields"
    ]
    assert versions[0]["legal_basis"] == "個人資料保護法第16條"
    manifest = VersionStore(org_settings).read_manifest(result.resource, 1)
    assert manifest["legal_basis"] == "個人資料保護法第16條"
    assert manifest["source"]["file"] == "theft.csv"
    assert manifest["source"]["sha256"] == result.source_hash
    assert manifest["screening"]["status"] == "passed"
    assert manifest["screening"]["legal_basis"] == "個人資料保護法第16條"
    assert manifest["screening"]["legal_basis_detail"] == {
        "law": "個人資料保護法",
        "article": "第16條",
        "columns": ["發生地點"],
        "note": "",
        "approved_by": "tester",
        "listed": False,
    }
    assert {"name": "案類", "type": "string", "description": "竊盜的種類"} in manifest["schema"][
        "fields"
    ]


def test_progress_reports_rows_written(org_settings: Settings, write_csv: WriteCsv) -> None:
    seen: list[tuple[int, int]] = []
    file = write_csv("t.csv", ["a"], [[i] for i in range(10)])
    publish_file(org_settings, file, org=ORG, title="t", progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (10, 10)


def test_another_organizations_dataset_is_refused(
    org_settings: Settings, write_csv: WriteCsv
) -> None:
    with open_catalog(org_settings) as catalog:
        create_organization(catalog, "376000000A", name="內政部")
    first = publish_file(org_settings, write_csv("a.csv", ["x"], [[1]]), org=ORG, title="A")
    with pytest.raises(ForbiddenError, match=f"--org {ORG}"):
        publish_file(
            org_settings, write_csv("b.csv", ["x"], [[2]]), org="376000000A", dataset=first.dataset
        )


@pytest.mark.parametrize(
    ("times", "clustered_by"),
    [
        # in time order already: kept as it is, no sort
        ([f"2023-01-{1 + i // 10_000:02d}" for i in range(130_000)], ["日期"]),
        # out of order from the first rows: sorted
        ([f"2023-01-{13 - i // 10_000:02d}" for i in range(130_000)], ["日期", "編號"]),
        # in order for more than a batch (122,880 rows), then not: written again, sorted
        (
            [f"2023-01-{1 + i // 10_000:02d}" for i in range(129_999)] + ["2023-01-01"],
            ["日期", "編號"],
        ),
    ],
    ids=["ordered", "unordered", "late"],
)
def test_a_file_in_time_order_is_not_sorted_again(
    org_settings: Settings, write_csv: WriteCsv, times: list[str], clustered_by: list[str]
) -> None:
    rows = [(f"{(i * 7919) % 130_000:06d}", t) for i, t in enumerate(times)]
    result = publish_file(
        org_settings, write_csv("days.csv", ["編號", "日期"], rows), org=ORG, title="日"
    )
    assert result.clustered_by == clustered_by
    stored = read_rows(org_settings, result.resource, 1)
    as_read = [(code, date.fromisoformat(t)) for code, t in rows]
    if clustered_by == ["日期"]:
        assert stored == as_read  # the file's own order
    else:
        assert stored == sorted(as_read, key=lambda r: (r[1], r[0]))
    assert leftovers_in_staging(org_settings) == []


def leftovers_in_staging(settings: Settings) -> list[str]:
    tables = settings.data_dir / "tables"
    return [str(p) for p in tables.glob("*/_staging/*")]
