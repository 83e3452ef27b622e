"""De-identification on Spark gives the same rows as kaifang/privacy's DuckDB transforms."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pytest

from kaifang.errors import ValidationError
from kaifang.privacy.policy import ColumnPolicy, Policy
from kaifang.privacy.spark import apply_policy_spark, spark_policy_sql
from kaifang.privacy.transforms import apply_policy
from kaifang.query.spark_engine import SparkEngine
from kaifang.settings import load_settings

pytestmark = pytest.mark.spark

TRIPS = pa.table(
    {
        "name": ["王小明", "陳大文", "林一", "王小明", None, "黃美"] * 4,
        "id_no": ["A123456789", "B223456789", "C123456789", "D123456789", None, "E1"] * 4,
        "born": ["1990-01-05", "民國79年1月5日", "0790105", "19900105", "2月30日", "1985/12/31"]
        * 4,
        "entered": [
            "2023-01-01 08:07:00",
            "2023-01-01 08:59:59",
            "2023-01-02 10:00:00",
            "not a time",
            None,
            "2023-12-31 23:58:01",
        ]
        * 4,
        "age": [34, 51, 28, 34, None, 41] * 4,
        "gantry": ["01F0005S", "01F0005S", "03F0100N", "05F0001S", "01F0005S", "03F0100N"] * 4,
        "address": [
            "臺北市大安區仁愛路100號",
            "臺北市大安區",
            "新北市板橋區文化路1之2號",
            "x",
            None,
            "高雄市前鎮區中山二路5號",
        ]
        * 4,
        "lat": [25.0339, 25.04, 24.9, 22.61, None, 22.6] * 4,
    }
).slice(0, 21)  # uneven classes, so suppression removes some rows

POLICIES = {
    "drop": Policy(columns={"id_no": ColumnPolicy("drop"), "name": ColumnPolicy("drop")}),
    "mask": Policy(
        columns={
            "name": ColumnPolicy("mask", style="name"),
            "id_no": ColumnPolicy("mask", style="middle"),
            "address": ColumnPolicy("mask", style="address"),
        }
    ),
    "dates": Policy(
        columns={
            "born": ColumnPolicy("generalize", to="year"),
            "entered": ColumnPolicy("generalize", to="hour"),
        }
    ),
    "months and minutes": Policy(
        columns={
            "born": ColumnPolicy("generalize", to="month"),
            "entered": ColumnPolicy("generalize", to="5min"),
        }
    ),
    "places and bands": Policy(
        columns={
            "address": ColumnPolicy("generalize", to="district"),
            "age": ColumnPolicy("generalize", to="band10"),
            "lat": ColumnPolicy("generalize", to="grid2"),
        }
    ),
    "suppress rare combinations": Policy(
        columns={
            "id_no": ColumnPolicy("drop"),
            "name": ColumnPolicy("mask", style="name"),
            "born": ColumnPolicy("generalize", to="year"),
            "entered": ColumnPolicy("generalize", to="day"),
        },
        quasi_identifiers=["born", "gantry"],
        suppress_rare_rows=True,
        k=4,
    ),
}


def sort_rows(rows: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    return sorted(rows, key=repr)


@pytest.mark.parametrize("name", POLICIES)
def test_spark_transforms_match_duckdb(name: str, spark_engine: SparkEngine) -> None:
    policy, settings = POLICIES[name], spark_engine.settings
    expected = apply_policy(duckdb.connect().from_arrow(TRIPS), policy, settings)
    frame = apply_policy_spark(spark_engine.spark.createDataFrame(TRIPS), policy, settings)
    got = [tuple(row) for row in frame.collect()]
    assert frame.columns == expected.columns
    assert sort_rows(got) == sort_rows(expected.fetchall())
    if name == "suppress rare combinations":
        assert 0 < len(got) < TRIPS.num_rows


@pytest.mark.parametrize(
    "spec",
    [ColumnPolicy("pseudonymize"), ColumnPolicy("mask", style="text")],
)
def test_transforms_spark_cannot_run_are_refused(spec: ColumnPolicy) -> None:
    settings = load_settings({}, pseudonym_key="k" * 32)
    with pytest.raises(ValidationError, match="Spark engine cannot apply"):
        spark_policy_sql({"name": "string"}, Policy(columns={"name": spec}), settings)
