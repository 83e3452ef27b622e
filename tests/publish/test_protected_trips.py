"""A headerless trip file published with its protection (the M06A case of issue 22): the rows
published are exactly the policy's rows, computed here in Python; the summary's screen of the
rows as read is the one a plain screen gives; and a publish the gate refuses leaves the
previous version current and nothing behind."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

from kaifang.catalog import open_catalog
from kaifang.catalog.models import Resource
from kaifang.errors import PublishRefusedError
from kaifang.privacy import screen
from kaifang.publish import publish_file
from kaifang.reading import open_table
from kaifang.settings import Settings
from kaifang.sources.freeway.generate import FreewayPlan, generate_freeway
from kaifang.storage import VersionStore
from tests.publishing import ORG

QUASI = ["column_2", "column_3", "column_4", "column_5"]


def policy(first_time: dict[str, str]) -> dict[str, Any]:
    return {
        "version": 1,
        "quasi_identifiers": [*QUASI, "column_8"],
        "suppress_rare_rows": True,
        "columns": {
            "column_2": first_time,
            "column_4": {"action": "generalize", "to": "day"},
            "column_8": {"action": "drop"},
        },
    }


@pytest.fixture(scope="module")
def trips(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One headerless M06A day of 3,000 trips on few gantries, the hour files joined."""
    folder = tmp_path_factory.mktemp("trips")
    plan = FreewayPlan(
        start=date(2024, 3, 25), datasets=("M06A",), trips_per_day=3000, scale=0.02, seed=3
    )
    generate_freeway(folder / "gen", plan)
    day = folder / "TDCS_M06A_20240325.csv"
    with day.open("wb") as out:
        for hour in sorted((folder / "gen").rglob("TDCS_M06A_*.csv")):
            out.write(hour.read_bytes())
    return day


def write_policy(folder: Path, first_time: dict[str, str]) -> Path:
    path = folder / "policy.yaml"
    path.write_text(yaml.safe_dump(policy(first_time), allow_unicode=True), encoding="utf-8")
    return path


def expected_rows(file: Path) -> list[tuple[Any, ...]]:
    """The policy's rows computed in Python: both times to the day, the path dropped, the
    rows of classes smaller than 5 left out."""

    def day(text: str) -> str:
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").strftime("%Y-%m-%d 00:00")

    with file.open(newline="", encoding="utf-8") as handle:
        rows = [
            (int(r[0]), day(r[1]), r[2], day(r[3]), r[4], float(r[5]), r[6])
            for r in csv.reader(handle)
        ]
    sizes = Counter((r[1], r[2], r[3], r[4]) for r in rows)
    return sorted(r for r in rows if sizes[(r[1], r[2], r[3], r[4])] >= 5)


def published_rows(settings: Settings, resource: str, version: int) -> list[tuple[Any, ...]]:
    table = VersionStore(settings).dataset(resource, version).to_table()
    con = duckdb.connect()
    con.register("published", table)
    rows = con.execute("SELECT * FROM published ORDER BY ALL").fetchall()
    con.close()
    return rows


def test_the_published_rows_are_the_policys_rows(
    org_settings: Settings, trips: Path, tmp_path: Path
) -> None:
    day_policy = write_policy(tmp_path, {"action": "generalize", "to": "day"})
    result = publish_file(org_settings, trips, org=ORG, title="M06A", policy=day_policy)
    expected = expected_rows(trips)
    assert result.rows == len(expected) < 3000
    assert published_rows(org_settings, result.resource, 1) == expected
    summary = result.screening
    assert summary["status"] == "passed"
    assert summary["rows_screened"] == 3000
    assert summary["verification"]["passed"]
    assert summary["verification"]["rows"] == len(expected)
    assert summary["k_anonymity"]["k"] >= 5
    assert set(summary["quasi_identifiers"]) == set(QUASI)
    # the summary's screen of the rows as read is the plain screen of the file
    with open_table(trips) as table:
        con = duckdb.connect()
        as_read = screen(table.relation(con), settings=org_settings, count_classes=False)
        con.close()
    acted_on = policy({})["columns"]
    flagged = [c for c in as_read.columns if c.category != "none" or c.name in acted_on]
    assert [
        (c["name"], c["category"], c["detectors"], c["match_rate"]) for c in summary["columns"]
    ] == [(c.name, c.category, list(c.detectors), c.match_rate) for c in flagged]


@pytest.mark.parametrize(
    "first_time",
    [
        None,  # no policy: a trip table is refused
        {"action": "keep"},  # times to the second: nearly every row would be suppressed
    ],
)
def test_a_refused_publish_leaves_the_previous_version_current(
    org_settings: Settings, trips: Path, tmp_path: Path, first_time: dict[str, str] | None
) -> None:
    day_policy = write_policy(tmp_path, {"action": "generalize", "to": "day"})
    first = publish_file(org_settings, trips, org=ORG, title="M06A", policy=day_policy)
    again = tmp_path / "again.csv"
    again.write_bytes(trips.read_bytes())  # the same rows in a new file: not "unchanged"
    with again.open("a", encoding="utf-8") as out:
        out.write("31,2024-03-25 23:59:59,01F0005N,2024-03-25 23:59:59,01F0005N,0.1,Y,\n")
    (tmp_path / "other").mkdir()
    other = None if first_time is None else write_policy(tmp_path / "other", first_time)
    with pytest.raises(PublishRefusedError):
        publish_file(
            org_settings,
            again,
            org=ORG,
            dataset=first.dataset,
            policy=other,
            allow_schema_change=True,  # the gate refuses it, not the schema check
        )
    with open_catalog(org_settings) as catalog, catalog.read() as session:
        resource = session.query(Resource).filter_by(storage=first.resource).one()
        assert resource.current is not None and resource.current.number == 1
    store = VersionStore(org_settings)
    assert store.list_versions(first.resource) == [1]
    assert published_rows(org_settings, first.resource, 1) == expected_rows(trips)
    staging = org_settings.data_dir / "tables" / first.resource
    assert not [p for p in staging.rglob("*.parquet") if "v000001" not in str(p)]
