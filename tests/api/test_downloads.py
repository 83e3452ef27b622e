"""GET /api/resources/{id}/download.{fmt}: every format, any version, BOM, and formulas."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from typing import Any

import openpyxl
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import FREEWAY_V1_ROWS, Published
from tests.api.data import THEFT_ROWS


def ids_in(fmt: str, payload: bytes) -> list[int]:
    """The ``id`` column of a download, parsed with each format's own reader."""
    if fmt == "csv":
        return [int(r["id"]) for r in csv.DictReader(io.StringIO(payload.decode("utf-8")))]
    if fmt == "json":
        return [r["id"] for r in json.loads(payload)]
    if fmt == "ndjson":
        return [json.loads(line)["id"] for line in payload.decode().splitlines()]
    if fmt == "parquet":
        return list(pq.read_table(io.BytesIO(payload)).column("id").to_pylist())
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(payload), read_only=True).active
        assert sheet is not None
        rows = list(sheet.iter_rows(values_only=True))
        position = list(rows[0]).index("id")
        return [int(row[position]) for row in rows[1:]]  # type: ignore[arg-type]
    if fmt == "xml":
        root = ET.fromstring(payload)
        return [
            int(field.text or "")
            for record in root
            for field in record
            if field.get("name") == "id"
        ]
    raise AssertionError(fmt)


FORMATS = ("csv", "json", "ndjson", "parquet", "xlsx", "xml")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("version", "rows"), [(None, 2_500), (1, FREEWAY_V1_ROWS)])
def test_every_format_and_version(
    client: TestClient, published: Published, fmt: str, version: int | None, rows: int
) -> None:
    query = f"?version={version}" if version else ""
    response = client.get(f"/api/resources/freeway/download.{fmt}{query}")
    assert response.status_code == 200, response.text
    number = version or 2
    assert f'filename="freeway-v{number}.{fmt}"' in response.headers["content-disposition"]
    assert sorted(ids_in(fmt, response.content)) == list(range(1, rows + 1))


def test_csv_is_utf8_and_bom_is_opt_in(client: TestClient) -> None:
    plain = client.get("/api/resources/theft/download.csv")
    with_bom = client.get("/api/resources/theft/download.csv?bom=1")
    assert plain.headers["content-type"] == "text/csv; charset=utf-8"
    assert not plain.content.startswith(b"\xef\xbb\xbf")
    assert with_bom.content == b"\xef\xbb\xbf" + plain.content
    assert "住宅竊盜" in plain.content.decode("utf-8")


def _theft_csv(client: TestClient) -> list[dict[str, str]]:
    text = client.get("/api/resources/theft/download.csv").content.decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize(("number", "_kind", "_date", "place"), THEFT_ROWS)
def test_csv_cells_that_look_like_formulas_are_escaped(
    client: TestClient, number: int, _kind: str, _date: str, place: str
) -> None:
    row = next(r for r in _theft_csv(client) if r["編號"] == str(number))
    expected = "'" + place if place[0] in "=+-@" else place
    assert row["發生地點"] == expected


def test_xlsx_keeps_formula_like_text_as_text_and_numbers_as_numbers(
    client: TestClient,
) -> None:
    payload = client.get("/api/resources/theft/download.xlsx").content
    workbook = openpyxl.load_workbook(io.BytesIO(payload))
    sheet = workbook.active
    assert sheet is not None
    rows = list(sheet.iter_rows())
    header = [c.value for c in rows[0]]
    assert header == ["編號", "案類", "發生日期", "發生地點"]
    cells: dict[int, Any] = {}
    for row in rows[1:]:
        number = row[0]
        assert isinstance(number.value, int) and number.data_type == "n"
        place = row[3]
        assert place.data_type == "s", f"{place.value!r} became a {place.data_type} cell"
        cells[number.value] = place.value
    for number, _kind, _date, place in THEFT_ROWS:
        assert cells[number] == place  # a string cell: shown, never run, and not prefixed


def test_negative_numbers_are_not_escaped(client: TestClient) -> None:
    sql = 'SELECT -"Volume" AS v FROM freeway LIMIT 1'
    assert client.get("/api/sql", params={"sql": sql}).json()["rows"][0][0] <= 0
    text = client.get("/api/resources/freeway/download.csv").content.decode()
    assert "'" not in text  # numbers, dates and plain codes are left alone


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        ("/api/resources/freeway/download.pdf", 400, "validation_error"),
        ("/api/resources/freeway/download.csv?version=9", 404, "not_found"),
        ("/api/resources/freeway/download.csv?version=0", 422, "validation_error"),
        ("/api/resources/nope/download.csv", 404, "not_found"),
        ("/api/resources/freeway/download.csv?Volume__gt=many", 400, "bad_filter_value"),
        ("/api/resources/freeway/download.csv?nope=1", 400, "query_refused"),
        ("/api/resources/freeway/download.csv?_sort=nope", 400, "query_refused"),
    ],
)
def test_download_errors(client: TestClient, url: str, status: int, code: str) -> None:
    response = client.get(url)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_filtered_sorted_download_holds_the_rows_the_rows_endpoint_matches(
    client: TestClient, fmt: str
) -> None:
    """The explorer's export links: the rows endpoint's filters and sort, in every format."""
    view = "Direction=N&Volume__gte=250&_sort_desc=Volume"
    expected: list[int] = []
    page = client.get(f"/api/resources/freeway/rows?{view}&_limit=10000").json()
    expected = [row["id"] for row in page["rows"]]
    assert 0 < len(expected) < 2_500
    response = client.get(f"/api/resources/freeway/download.{fmt}?{view}")
    assert response.status_code == 200, response.text
    assert f'filename="freeway-v2-filtered.{fmt}"' in response.headers["content-disposition"]
    got = ids_in(fmt, response.content)
    assert sorted(got) == sorted(expected)
    volumes = {row["id"]: row["Volume"] for row in page["rows"]}
    assert [volumes[i] for i in got] == sorted(volumes.values(), reverse=True)
