"""Aggregates: sort and limit, paging past one page of groups, count_distinct, median and
percentiles, time buckets, filters on metrics; a filter value of the wrong type is a 400
naming the column, the value and the type, in the request's language."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from kaifang.app import create_app
from kaifang.catalog import create_organization, open_catalog
from kaifang.publish import publish_file
from tests.api.conftest import Published
from tests.api.data import ORG
from tests.catalogs import Catalogs

AGG = "/api/resources/freeway/aggregate"


def volumes_by_gantry(published: Published) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = defaultdict(list)
    for row in published.rows:
        groups[row.gantry].append(row.volume)
    return groups


def test_sort_desc_and_limit_give_the_top_groups(client: TestClient, published: Published) -> None:
    body = client.get(f"{AGG}?group_by=GantryID&metric=sum:Volume&_sort_desc=sum_Volume&_limit=3")
    assert body.status_code == 200, body.text
    sums = {g: sum(v) for g, v in volumes_by_gantry(published).items()}
    top = sorted(sums.items(), key=lambda item: -item[1])[:3]
    assert [(r["GantryID"], r["sum_Volume"]) for r in body.json()["rows"]] == top
    assert body.json()["next_offset"] == 3


def test_pages_follow_next_offset_through_every_group(
    client: TestClient, published: Published
) -> None:
    """Pages of 1,000 groups here; 10,000 a page by default, where the old endpoint cut
    every group past the 10,000th off."""
    seen: list[int] = []
    offset: int | None = 0
    while offset is not None:
        page = client.get(f"{AGG}?group_by=id&metric=count&_limit=1000&_offset={offset}").json()
        assert len(page["rows"]) <= 1000
        seen.extend(r["id"] for r in page["rows"])
        offset = page["next_offset"]
    assert seen == sorted(r.id for r in published.rows)  # 2,500 groups, none lost or repeated
    assert client.get(f"{AGG}?group_by=id&_limit=10001").status_code == 400


GROUPS = 12_345


@pytest.fixture(scope="module")
def many_groups(
    tmp_path_factory: pytest.TempPathFactory, catalogs: Catalogs
) -> Iterator[tuple[TestClient, str]]:
    """A table of more than 10,000 groups (one a row)."""
    root = tmp_path_factory.mktemp("groups")
    settings = catalogs.settings(root / "data", rate_limit=0)
    with open_catalog(settings) as catalog:
        create_organization(catalog, ORG, name="臺北市政府警察局")
    path = root / "groups.csv"
    path.write_text(
        "code,n\n" + "".join(f"G{i:05d},{i % 7}\n" for i in range(GROUPS)), encoding="utf-8"
    )
    published = publish_file(settings, path, org=ORG, metadata={"title": "Many groups"})
    with TestClient(create_app(settings)) as client:
        yield client, published.resource


def test_the_default_page_goes_on_past_10000_groups(many_groups: tuple[TestClient, str]) -> None:
    client, resource = many_groups
    url = f"/api/resources/{resource}/aggregate?group_by=code&metric=sum:n"
    first = client.get(url).json()
    assert (len(first["rows"]), first["truncated"], first["next_offset"]) == (10_000, True, 10_000)
    rest = client.get(f"{url}&_offset={first['next_offset']}").json()
    assert (len(rest["rows"]), rest["next_offset"]) == (GROUPS - 10_000, None)
    codes = [r["code"] for r in first["rows"] + rest["rows"]]
    assert codes == [f"G{i:05d}" for i in range(GROUPS)]  # none lost or repeated
    assert all(r["sum_n"] == int(r["code"][1:]) % 7 for r in rest["rows"])


def test_count_distinct_median_and_percentiles(client: TestClient, published: Published) -> None:
    body = client.get(
        f"{AGG}?group_by=Direction&metric=count_distinct:GantryID,median:Volume,p90:Volume"
    ).json()
    for row in body["rows"]:
        chosen = [r for r in published.rows if r.direction == row["Direction"]]
        volumes = sorted(r.volume for r in chosen)
        assert row["count_distinct_GantryID"] == len({r.gantry for r in chosen})
        assert row["median_Volume"] == pytest.approx(statistics.median(volumes))
        position = 0.9 * (len(volumes) - 1)  # continuous quantile: linear interpolation
        low = volumes[int(position)]
        high = volumes[min(int(position) + 1, len(volumes) - 1)]
        assert row["p90_Volume"] == pytest.approx(low + (high - low) * (position % 1))


@pytest.mark.parametrize(
    ("bucket", "key"),
    [
        ("date_trunc:hour:TimeInterval", lambda t: t.replace(minute=0, second=0)),
        ("bucket:15m:TimeInterval", lambda t: t.replace(minute=t.minute // 15 * 15, second=0)),
        ("date_trunc:day:TimeInterval", lambda t: t.replace(hour=0, minute=0, second=0)),
    ],
)
def test_time_buckets(client: TestClient, published: Published, bucket: str, key: object) -> None:
    body = client.get(f"{AGG}?group_by={bucket}&metric=count")
    assert body.status_code == 200, body.text
    column = "TimeInterval__" + bucket.split(":")[1]
    got = {r[column]: r["count"] for r in body.json()["rows"]}
    expected = Counter(key(r.time).isoformat() for r in published.rows)  # type: ignore[operator]
    assert got == dict(expected)


def test_filters_on_metrics_are_having_conditions(client: TestClient, published: Published) -> None:
    counts = Counter(r.gantry for r in published.rows)
    threshold = sorted(counts.values())[len(counts) // 2]
    body = client.get(f"{AGG}?group_by=GantryID&metric=count&count__gt={threshold}&Direction=N")
    assert body.status_code == 200, body.text
    north = Counter(r.gantry for r in published.rows if r.direction == "N")
    assert {r["GantryID"]: r["count"] for r in body.json()["rows"]} == {
        g: n for g, n in north.items() if n > threshold
    }


@pytest.mark.parametrize(
    ("url", "column", "value", "expected"),
    [
        ("/api/resources/freeway/rows?Volume=abc", "Volume", "abc", "an integer"),
        ("/api/resources/freeway/rows?Speed__gt=fast", "Speed", "fast", "a number"),
        ("/api/resources/freeway/rows?VehicleType__in=31,x", "VehicleType", "x", "an integer"),
        (f"{AGG}?group_by=GantryID&TimeInterval__gte=yesterday", "TimeInterval", "yesterday",
         "a timestamp (ISO 8601)"),
    ],
)  # fmt: skip
def test_bad_filter_values_name_column_value_and_type(
    client: TestClient, url: str, column: str, value: str, expected: str
) -> None:
    english = client.get(url)
    assert english.status_code == 400
    error = english.json()["error"]
    assert error["code"] == "bad_filter_value"
    assert error["details"] == {"column": column, "value": value, "expected": expected}
    assert column in error["message"] and repr(value) in error["message"]
    assert "Conversion" not in error["message"]  # never the engine's raw message
    chinese = client.get(url, headers={"accept-language": "zh-TW,zh;q=0.9,en;q=0.5"}).json()
    assert chinese["error"]["message"].startswith(f"篩選條件 {column}：")
    assert chinese["error"]["details"] == error["details"]
