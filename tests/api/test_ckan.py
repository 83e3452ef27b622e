"""CKAN Action API subset, driven by the real ``ckanapi`` client against a live server."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

import ckanapi
import pytest

from tests.api.conftest import Published
from tests.api.data import ORG, OTHER_ORG

NotFound, Invalid = ckanapi.NotFound, ckanapi.ValidationError


@pytest.fixture(scope="module", params=[False, True], ids=["post", "get_only"])
def ckan(request: pytest.FixtureRequest, live_server: str) -> Iterator[ckanapi.RemoteCKAN]:
    with ckanapi.RemoteCKAN(live_server, get_only=request.param) as remote:
        yield remote


def test_status_show(ckan: ckanapi.RemoteCKAN) -> None:
    status = ckan.action.status_show()
    assert status["api_version"] == 3
    assert "datastore" in status["extensions"]


def test_package_list(ckan: ckanapi.RemoteCKAN, published: Published) -> None:
    assert sorted(ckan.action.package_list()) == sorted(
        [published.freeway.dataset, published.theft.dataset, published.school.dataset]
    )


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"freeway_traffic_volume", "theft", "school_directory"}),
        ({"q": "竊盜"}, {"theft"}),
        ({"q": "freeway"}, {"freeway_traffic_volume"}),
        ({"q": "*:*", "fq": f"organization:{ORG.lower()}"}, {"freeway_traffic_volume", "theft"}),
        ({"fq": f'organization:"{OTHER_ORG.lower()}"'}, {"school_directory"}),
        ({"fq": "tags:交通"}, {"freeway_traffic_volume"}),
        ({"fq": "res_format:CSV"}, {"freeway_traffic_volume", "theft", "school_directory"}),
        ({"fq": f"tags:education AND organization:{OTHER_ORG}"}, {"school_directory"}),
        ({"fq": "tags:education +organization:" + ORG}, set()),
    ],
)
def test_package_search(
    ckan: ckanapi.RemoteCKAN, params: dict[str, Any], expected: set[str]
) -> None:
    result = ckan.action.package_search(**params)
    assert result["count"] == len(expected)
    assert {p["name"] for p in result["results"]} == expected


def test_package_search_pages_with_rows_and_start(ckan: ckanapi.RemoteCKAN) -> None:
    everything = [p["name"] for p in ckan.action.package_search(rows=10)["results"]]
    pages = [ckan.action.package_search(rows=2, start=s) for s in (0, 2)]
    assert [p["count"] for p in pages] == [3, 3]
    assert [r["name"] for page in pages for r in page["results"]] == everything


def test_package_search_facets(ckan: ckanapi.RemoteCKAN) -> None:
    result = ckan.action.package_search(
        **{"facet.field": json.dumps(["organization", "tags", "res_format"]), "rows": 0}
    )
    assert result["results"] == []
    assert result["facets"]["organization"] == {ORG.lower(): 2, OTHER_ORG.lower(): 1}
    assert result["facets"]["tags"]["竊盜"] == 1
    assert result["facets"]["res_format"]["CSV"] == 3
    items = result["search_facets"]["organization"]["items"]
    assert {i["name"]: i["count"] for i in items} == {ORG.lower(): 2, OTHER_ORG.lower(): 1}


def test_package_search_facets_of_a_boolean_query(ckan: ckanapi.RemoteCKAN) -> None:
    """Facets of a Solr-style ``q`` (a field, OR): the parsed query is part of the facet
    cache's key, so it must be hashable (it answered 500 before)."""
    for _ in range(2):  # the second answer comes from the cache
        result = ckan.action.package_search(
            q="title:竊盜 OR 治安", **{"facet.field": json.dumps(["organization"]), "rows": 0}
        )
        assert result["count"] == 1
        assert result["facets"]["organization"] == {ORG.lower(): 1}


def test_package_show_and_resource_show(ckan: ckanapi.RemoteCKAN, live_server: str) -> None:
    package = ckan.action.package_show(id="theft")
    assert package["title"] == "竊盜點位資訊"
    assert package["organization"]["name"] == ORG.lower()
    assert {t["name"] for t in package["tags"]} == {"竊盜", "治安"}
    (resource,) = package["resources"]
    assert resource["datastore_active"] is True
    assert resource["url"] == f"{live_server}/api/resources/theft/download.csv"
    shown = ckan.action.resource_show(id=resource["id"])
    assert shown["package_id"] == package["id"] == "theft"


def test_organization_list_and_show(ckan: ckanapi.RemoteCKAN) -> None:
    assert ckan.action.organization_list() == sorted([ORG, OTHER_ORG])
    full = ckan.action.organization_list(all_fields=True)
    assert {o["name"]: o["package_count"] for o in full} == {
        ORG.lower(): 2,
        OTHER_ORG.lower(): 1,
    }
    org = ckan.action.organization_show(id=ORG.lower(), include_datasets=True)
    assert org["title"] == "臺北市政府警察局"
    assert {p["name"] for p in org["packages"]} == {"freeway_traffic_volume", "theft"}


def test_datastore_search_objects(ckan: ckanapi.RemoteCKAN, published: Published) -> None:
    filters: Any = {"GantryID": "01F0005N", "VehicleType": 31}
    if ckan.get_only:  # a GET carries JSON parameters as strings, as with CKAN itself
        filters = json.dumps(filters)
    result = ckan.action.datastore_search(
        resource_id="freeway",
        filters=filters,
        fields=["id", "Volume"],
        sort="Volume desc, id asc",
        limit=5,
        offset=2,
    )
    chosen = sorted(
        (r for r in published.rows if r.gantry == "01F0005N" and r.vehicle_type == 31),
        key=lambda r: (-r.volume, r.id),
    )
    assert result["total"] == len(chosen)
    assert [f["id"] for f in result["fields"]] == ["id", "Volume"]
    assert result["records"] == [{"id": r.id, "Volume": r.volume} for r in chosen[2:7]]


def test_datastore_search_q_and_total(ckan: ckanapi.RemoteCKAN) -> None:
    result = ckan.action.datastore_search(resource_id="theft", q="汽車")
    assert result["total"] == 2
    assert {r["案類"] for r in result["records"]} == {"汽車竊盜"}
    without = ckan.action.datastore_search(resource_id="theft", include_total=False)
    assert "total" not in without


@pytest.mark.parametrize("records_format", ["lists", "csv"])
def test_datastore_search_records_formats(ckan: ckanapi.RemoteCKAN, records_format: str) -> None:
    result = ckan.action.datastore_search(
        resource_id="theft", fields="編號,發生地點", sort="編號", records_format=records_format
    )
    records = result["records"]
    if records_format == "csv":
        records = [[int(a), b] for a, b in csv.reader(io.StringIO(records))]
    assert records[0] == [1, "大安分局"]
    assert records[1][1].startswith("'=") if records_format == "csv" else records[1][1][0] == "="


def test_datastore_search_sql(ckan: ckanapi.RemoteCKAN, published: Published) -> None:
    result = ckan.action.datastore_search_sql(
        sql='SELECT "VehicleType", count(*) AS n FROM freeway GROUP BY 1 ORDER BY 1'
    )
    counts: dict[int, int] = {}
    for r in published.rows:
        counts[r.vehicle_type] = counts.get(r.vehicle_type, 0) + 1
    assert result["records"] == [{"VehicleType": k, "n": v} for k, v in sorted(counts.items())]


@pytest.mark.parametrize(
    ("action", "params", "error"),
    [
        ("package_show", {"id": "nope"}, NotFound),
        ("organization_show", {"id": "nope"}, NotFound),
        ("resource_show", {"id": "nope"}, NotFound),
        ("datastore_search", {"resource_id": "nope"}, NotFound),
        ("package_show", {}, Invalid),
        ("datastore_search", {"resource_id": "freeway", "limit": "many"}, Invalid),
        ("datastore_search", {"resource_id": "freeway", "filters": {"x": 1}}, Invalid),
        ("datastore_search", {"resource_id": "freeway", "sort": "nope"}, Invalid),
        ("datastore_search", {"resource_id": "freeway", "records_format": "xml"}, Invalid),
        ("datastore_search_sql", {"sql": "SELECT * FROM nope"}, Invalid),
        ("datastore_search_sql", {"sql": "SELECT * FROM read_csv('/etc/passwd')"}, Invalid),
    ],
)  # fmt: skip
def test_errors_are_ckanapi_exceptions(
    ckan: ckanapi.RemoteCKAN, action: str, params: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error):
        ckan.call_action(action, params)


def test_an_unknown_action_is_a_ckan_error(ckan: ckanapi.RemoteCKAN) -> None:
    with pytest.raises(ckanapi.CKANAPIError):
        ckan.call_action("package_create", {"name": "x"})


def test_status_show_names_both_versions(ckan: ckanapi.RemoteCKAN) -> None:
    from kaifang import __version__

    status = ckan.action.status_show()
    assert (status["kaifang_version"], status["ckan_version"]) == (__version__, "2.10")
    assert ckan.action.site_read() is True


def test_every_help_link_resolves(ckan: ckanapi.RemoteCKAN, live_server: str) -> None:
    import httpx

    from kaifang.api.compat import ckan as layer

    for name in sorted(layer.ACTIONS):
        answer = httpx.get(f"{live_server}/api/3/action/{name}").json()
        helped = httpx.get(answer["help"]).json()
        assert helped["success"] is True and helped["result"], name
    unknown = httpx.get(f"{live_server}/api/3/action/no_such_action")
    assert unknown.status_code == 400
    assert httpx.get(unknown.json()["help"]).json()["success"] is True


def test_groups_are_the_national_service_categories(ckan: ckanapi.RemoteCKAN) -> None:
    names = ckan.action.group_list()
    assert names[:2] == ["100", "200"] and names[9] == "a00" and names[-1] == "i00"
    assert len(names) == 18
    full = {g["name"]: g for g in ckan.action.group_list(all_fields=True)}
    assert (full["e00"]["title"], full["e00"]["package_count"]) == ("生活安全及品質", 1)
    group = ckan.action.group_show(id="E00", include_datasets=True)
    assert [p["name"] for p in group["packages"]] == ["theft"]
    assert ckan.action.package_show(id="theft")["groups"][0]["name"] == "e00"
    with pytest.raises(NotFound):
        ckan.action.group_show(id="Z00")


def test_tags(ckan: ckanapi.RemoteCKAN) -> None:
    assert {"竊盜", "交通", "education"} <= set(ckan.action.tag_list())
    assert ckan.action.tag_list(query="竊") == ["竊盜"]
    tag = ckan.action.tag_show(id="竊盜", include_datasets=True)
    assert [p["name"] for p in tag["packages"]] == ["theft"]
    with pytest.raises(NotFound):
        ckan.action.tag_show(id="nope")


def test_package_fields_clients_read(ckan: ckanapi.RemoteCKAN) -> None:
    package = ckan.action.package_show(id="school_directory")
    assert package["isopen"] is True and package["groups"] == []
    assert {"version", "author_email", "creator_user_id"} <= set(package)
    (resource,) = package["resources"]
    assert resource["metadata_created"] and resource["metadata_modified"]


@pytest.mark.parametrize(
    ("q", "fq", "expected"),
    [
        ("title:竊盜", "", {"theft"}),
        ("title:school OR title:freeway", "", {"school_directory", "freeway_traffic_volume"}),
        ("title:school AND title:freeway", "", set()),
        ('"traffic volume"', "", {"freeway_traffic_volume"}),
        ('"volume traffic"', "", set()),
        ("(竊盜 OR school) AND tags:education", "", {"school_directory"}),
        ("", "tags:竊盜 OR tags:education", {"theft", "school_directory"}),
        ("", f"organization:{ORG.lower()} AND (groups:e00 OR groups:a00)", {"theft",
                                                                           "freeway_traffic_volume"}),
        ("", "res_format:XLSX", {"theft", "school_directory", "freeway_traffic_volume"}),
        ("", "res_format:SHP", set()),
        ("*:*", "+dataset_type:dataset", {"theft", "school_directory", "freeway_traffic_volume"}),
    ],
)  # fmt: skip
def test_package_search_solr_syntax(
    ckan: ckanapi.RemoteCKAN, q: str, fq: str, expected: set[str]
) -> None:
    result = ckan.action.package_search(q=q, fq=fq)
    assert {p["name"] for p in result["results"]} == expected
    assert result["count"] == len(expected)


def test_package_search_sort(ckan: ckanapi.RemoteCKAN) -> None:
    newest = ckan.action.package_search(sort="metadata_modified desc")["results"]
    stamps = [p["metadata_modified"] for p in newest]
    assert stamps == sorted(stamps, reverse=True)
    by_title = ckan.action.package_search(sort="score desc, title asc")["results"]
    assert [p["title"] for p in by_title] == sorted(p["title"] for p in by_title)
    with pytest.raises(ckanapi.SearchQueryError):
        ckan.action.package_search(sort="nope desc")


def test_datastore_fields_have_ids_and_postgres_types(ckan: ckanapi.RemoteCKAN) -> None:
    result = ckan.action.datastore_search(resource_id="theft", limit=2, offset=1)
    types = {f["id"]: f["type"] for f in result["fields"]}
    assert types == {"_id": "int4", "編號": "int8", "案類": "text", "發生日期": "date",
                     "發生地點": "text"}  # fmt: skip
    assert [r["_id"] for r in result["records"]] == [2, 3]
    freeway = ckan.action.datastore_search(resource_id="freeway", limit=1)["fields"]
    assert {f["id"]: f["type"] for f in freeway} == {
        "_id": "int4", "id": "int8", "TimeInterval": "timestamp", "GantryID": "text",
        "Direction": "text", "VehicleType": "int8", "Volume": "int8", "Speed": "float8",
    }  # fmt: skip
    filtered = ckan.action.datastore_search(
        resource_id="theft", filters=json.dumps({"案類": "汽車竊盜"})
    )
    assert [r["_id"] for r in filtered["records"]] == [2, 6]


def test_datastore_q_needs_every_word_and_distinct(ckan: ckanapi.RemoteCKAN) -> None:
    both = ckan.action.datastore_search(resource_id="theft", q="住宅 2023-01-05")
    assert [r["編號"] for r in both["records"]] == [5]
    by_column = ckan.action.datastore_search(resource_id="theft", q=json.dumps({"案類": "汽車"}))
    assert by_column["total"] == 2
    kinds = ckan.action.datastore_search(
        resource_id="theft", fields="案類", distinct=True, sort="案類"
    )
    assert kinds["total"] == 4
    assert [r["案類"] for r in kinds["records"]] == sorted({"住宅竊盜", "汽車竊盜", "機車竊盜",
                                                           "自行車竊盜"})  # fmt: skip


def test_datastore_search_sql_reports_real_types(ckan: ckanapi.RemoteCKAN) -> None:
    result = ckan.action.datastore_search_sql(
        sql='SELECT "編號", "案類", "發生日期", 1.5 AS x, TRUE AS b, 1 AS i FROM theft LIMIT 1'
    )
    assert len(result["records"]) == 1  # the engine's types, not the Python values' (int8)
    assert [f["type"] for f in result["fields"]] == [
        "int8", "text", "date", "numeric", "bool", "int4"
    ]  # fmt: skip
    empty = ckan.action.datastore_search_sql(
        sql='SELECT "編號", "發生日期", 1.5 AS x, CAST(NULL AS TIMESTAMP) AS t, 1 AS i '
        "FROM theft WHERE false"
    )
    assert empty["records"] == []  # no value to tell the types: the engine's, as PostgreSQL's
    assert [f["type"] for f in empty["fields"]] == ["int8", "date", "numeric", "timestamp", "int4"]
