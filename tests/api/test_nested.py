"""A table with a nested column (like M06A's ``TripInformation``, a list of records): every
download format round trips it, rows pages and filters work on its other columns, and the
download headers name the file by the dataset's Chinese title."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from urllib.parse import unquote

import duckdb
import openpyxl
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

from kaifang.app import create_app
from kaifang.catalog import create_organization, open_catalog
from kaifang.publish.relation import RelationSpec, publish_relation
from tests.catalogs import Catalogs

ORG = "313000000G"
TITLE = "國道旅次/路徑"
TRIPS = 7
FIELDS = [
    {"name": "VehicleType", "type": "integer", "description": "車種"},
    {"name": "DetectionTime_O", "type": "datetime", "description": "起點時間"},
    {"name": "GantryID_O", "type": "string", "description": "起點門架"},
    {"name": "TripInformation", "type": "array", "description": "旅次路徑"},
]


def trip_path(n: int) -> list[dict[str, object]]:
    start = dt.datetime(2024, 3, 25, 8, 0) + dt.timedelta(minutes=5 * n)
    return [
        {"time": (start + dt.timedelta(minutes=5 * k)).isoformat(), "gantry": f"01F{n}{k:03d}N"}
        for k in range(1 + n % 3)
    ]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, catalogs: Catalogs) -> Iterator[TestClient]:
    settings = catalogs.settings(tmp_path_factory.mktemp("nested") / "data", rate_limit=0)
    with open_catalog(settings) as catalog:
        create_organization(catalog, ORG, name="交通部高速公路局", name_en="Freeway Bureau")
    con = duckdb.connect()
    rows = ", ".join(
        f"({31 + n % 2}, TIMESTAMP '2024-03-25 08:00:00' + INTERVAL {5 * n} MINUTE, "
        f"'01F{n}', [{', '.join(point(p) for p in trip_path(n))}])"
        for n in range(TRIPS)
    )
    relation = con.sql(
        f"SELECT * FROM (VALUES {rows}) t(VehicleType, DetectionTime_O, GantryID_O, "
        "TripInformation)"
    )
    publish_relation(
        settings,
        relation,
        RelationSpec(org=ORG, title=TITLE, resource="trips", fields=FIELDS),
    )
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def point(p: dict[str, object]) -> str:
    return f"{{'time': TIMESTAMP '{p['time']}', 'gantry': '{p['gantry']}'}}"


def expected(n: int) -> dict[str, object]:
    return {
        "VehicleType": 31 + n % 2,
        "DetectionTime_O": (dt.datetime(2024, 3, 25, 8) + dt.timedelta(minutes=5 * n)).isoformat(),
        "GantryID_O": f"01F{n}",
        "TripInformation": trip_path(n),
    }


def as_rows(fmt: str, body: bytes) -> list[dict[str, object]]:
    """The downloaded rows, nested values parsed back from JSON text where a format is flat."""
    if fmt == "json":
        rows: list[dict[str, object]] = json.loads(body)
        return rows
    if fmt == "ndjson":
        return [json.loads(line) for line in body.decode().splitlines()]
    if fmt == "csv":
        found = list(csv.DictReader(io.StringIO(body.decode())))
    elif fmt == "xml":
        found = [{f.get("name"): f.text for f in record} for record in ET.fromstring(body)]
    elif fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(body)).active
        assert sheet is not None
        header, *cells = sheet.iter_rows(values_only=True)
        found = [dict(zip(header, row, strict=True)) for row in cells]
        for row in found:  # a real Excel timestamp: openpyxl gives a datetime
            assert isinstance(row["DetectionTime_O"], dt.datetime)
            row["DetectionTime_O"] = row["DetectionTime_O"].isoformat()
    else:
        raise AssertionError(fmt)
    return [
        {
            **row,
            "VehicleType": int(str(row["VehicleType"])),
            "TripInformation": json.loads(str(row["TripInformation"])),
        }
        for row in found
    ]


@pytest.mark.parametrize("fmt", ["csv", "json", "ndjson", "xml", "xlsx"])
def test_every_text_format_round_trips_the_nested_column(client: TestClient, fmt: str) -> None:
    response = client.get(f"/api/resources/trips/download.{fmt}")
    assert response.status_code == 200, response.text
    rows = sorted(as_rows(fmt, response.content), key=lambda r: str(r["GantryID_O"]))
    assert rows == [expected(n) for n in range(TRIPS)]


def test_parquet_keeps_the_nested_type(client: TestClient) -> None:
    response = client.get("/api/resources/trips/download.parquet")
    table = pq.read_table(io.BytesIO(response.content))
    assert str(table.schema.field("TripInformation").type) == (
        "list<element: struct<time: timestamp[us], gantry: string>>"
    )
    by_gantry = {r["GantryID_O"]: r for r in table.to_pylist()}
    assert [p["gantry"] for p in by_gantry["01F2"]["TripInformation"]] == [
        p["gantry"] for p in trip_path(2)
    ]


def test_rows_pages_follow_next_through_a_nested_table(client: TestClient) -> None:
    seen: list[dict[str, object]] = []
    url = "/api/resources/trips/rows?_limit=3&_sort=GantryID_O"
    while url:
        page = client.get(url).json()
        assert "error" not in page, page
        seen.extend(page["rows"])
        url = f"/api/resources/trips/rows?_limit=3&_sort=GantryID_O&_next={page['next']}"
        url = url if page["next"] else ""
    assert seen == [expected(n) for n in range(TRIPS)]


def test_filters_on_other_columns_and_the_filtered_total(client: TestClient) -> None:
    page = client.get("/api/resources/trips/rows?VehicleType=32&_sort=GantryID_O").json()
    assert [r["GantryID_O"] for r in page["rows"]] == ["01F1", "01F3", "01F5"]
    assert (page["total"], page["total_exact"]) == (3, True)
    assert client.get("/api/resources/trips/rows").json()["total"] == TRIPS


def test_offset_paging_for_small_offsets(client: TestClient) -> None:
    page = client.get("/api/resources/trips/rows?_sort=GantryID_O&_offset=5&_limit=10").json()
    assert [r["GantryID_O"] for r in page["rows"]] == ["01F5", "01F6"]
    refused = client.get("/api/resources/trips/rows?_offset=10001")
    assert refused.status_code == 400


def test_sorting_on_the_nested_column_is_refused_with_the_sortable_ones(
    client: TestClient,
) -> None:
    response = client.get("/api/resources/trips/rows?_sort=TripInformation")
    assert response.status_code == 400
    error = response.json()["error"]
    assert "TripInformation" in error["message"] and "GantryID_O" in error["hint"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_download_names_the_file_by_its_chinese_title(client: TestClient, fmt: str) -> None:
    for method in ("GET", "HEAD"):
        response = client.request(method, f"/api/resources/trips/download.{fmt}")
        assert response.status_code == 200
        disposition = response.headers["content-disposition"]
        assert f'filename="trips-v1.{fmt}"' in disposition
        encoded = disposition.split("filename*=UTF-8''")[1]
        assert unquote(encoded) == f"國道旅次 路徑-v1.{fmt}"  # '/' is no file-name character
    head = client.head(f"/api/resources/trips/download.{fmt}")
    assert head.content == b"" and "content-length" not in head.headers


def test_head_of_a_missing_resource_or_version_is_404(client: TestClient) -> None:
    assert client.head("/api/resources/nope/download.csv").status_code == 404
    assert client.head("/api/resources/trips/download.csv?version=9").status_code == 404


def test_spec_dump_answers_head_with_both_file_names(client: TestClient) -> None:
    identifier = client.get("/api/resources/trips").json()["identifier"]
    for method in ("GET", "HEAD"):
        response = client.request(method, f"/api/v1/dump/datastore/{identifier}?format=csv")
        assert response.status_code == 200, response.text
        disposition = response.headers["content-disposition"]
        assert f'filename="{identifier}.csv.gz"' in disposition
        assert unquote(disposition.split("''")[1]) == "國道旅次 路徑-v1.csv.gz"


def test_ckan_and_spec_datastores_answer_nested_values(client: TestClient) -> None:
    ckan = client.get(
        "/api/3/action/datastore_search?resource_id=trips&records_format=csv&sort=GantryID_O"
    ).json()
    assert ckan["success"], ckan
    rows = list(csv.reader(io.StringIO(ckan["result"]["records"])))
    assert json.loads(rows[0][-1]) == trip_path(0)  # JSON text, not a Python repr
    identifier = client.get("/api/resources/trips").json()["identifier"]
    spec = client.get(f"/api/v1/rest/datastore/{identifier}?sort=GantryID_O").json()
    assert spec["result"]["records"][2]["TripInformation"] == trip_path(2)


def test_one_spelling_of_a_timestamp_in_every_format_and_api(client: TestClient) -> None:
    """``2024-03-25T08:10:00`` (ISO 8601, docs/api.md) wherever the value of row 2 shows."""
    stamp, inner = "2024-03-25T08:10:00", "2024-03-25T08:15:00"
    seen: dict[str, object] = {}
    for fmt in ("csv", "json", "ndjson", "xml"):
        body = client.get(f"/api/resources/trips/download.{fmt}").content
        text = body.decode()
        seen[fmt] = stamp in text and inner in text and "2024-03-25 08:10" not in text
    rows = client.get("/api/resources/trips/rows?GantryID_O=01F2").json()["rows"]
    seen["rows"] = rows[0]["DetectionTime_O"]
    groups = client.get(
        "/api/resources/trips/aggregate?group_by=DetectionTime_O&GantryID_O=01F2"
    ).json()
    seen["aggregate"] = groups["rows"][0]["DetectionTime_O"]
    sql = "SELECT DetectionTime_O FROM trips WHERE GantryID_O = '01F2'"
    seen["sql"] = client.get("/api/sql", params={"sql": sql}).json()["rows"][0][0]
    ckan = '/api/3/action/datastore_search?resource_id=trips&filters={"GantryID_O":"01F2"}'
    for records_format in ("objects", "lists", "csv"):
        found = client.get(f"{ckan}&records_format={records_format}").json()["result"]
        records = found["records"]
        seen[f"ckan_{records_format}"] = (
            records[0]["DetectionTime_O"] if records_format == "objects"
            else records[0][2] if records_format == "lists"  # after _id, VehicleType
            else next(csv.reader(io.StringIO(records)))[2]
        )  # fmt: skip
    ckan_sql = client.get(
        "/api/3/action/datastore_search_sql", params={"sql": sql.replace("trips", '"trips"')}
    ).json()["result"]
    seen["ckan_sql"] = ckan_sql["records"][0]["DetectionTime_O"]
    identifier = client.get("/api/resources/trips").json()["identifier"]
    spec = client.get(f"/api/v1/rest/datastore/{identifier}?sort=GantryID_O").json()
    seen["spec"] = spec["result"]["records"][2]["DetectionTime_O"]
    assert seen == {
        **dict.fromkeys(("csv", "json", "ndjson", "xml"), True),
        **{key: stamp for key in seen if key not in ("csv", "json", "ndjson", "xml")},
    }
