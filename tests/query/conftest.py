"""Published-looking resources for the query tests: Parquet written with pyarrow in tmp."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kaifang.settings import Settings, load_settings

PEOPLE_V1 = {
    "id": [1, 2, 3],
    "name": ["Lin", "Chen", "Wang"],
    "city": ["Taipei", "Tainan", "Taipei"],
}

# Duplicates, NULLs in every column and ties on purpose: paging and filters must handle them.
PEOPLE = {
    "id": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10, 11],
    "name": ["Lin", "Chen", "Wang", "Lin", None, "Huang", "Tsai", "陳", "Lee", "Ko", "Ko", "Wu"],
    "city": [
        "Taipei",
        "Tainan",
        "Taipei",
        "Kaohsiung",
        "Tainan",
        None,
        "Taipei",
        "臺中",
        "Tainan",
        "Taipei",
        "Taipei",
        "Hsinchu",
    ],
    "age": [34, 51, 28, 34, 45, 62, None, 19, 34, 40, 40, 23],
    "score": [3.5, 2.0, None, 4.25, 1.0, 3.5, 2.75, 5.0, 0.5, 3.0, 3.0, 4.0],
    "born": [
        dt.date(1990, 1, 5),
        dt.date(1973, 6, 30),
        dt.date(1996, 2, 29),
        dt.date(1990, 1, 5),
        None,
        dt.date(1962, 12, 1),
        dt.date(2001, 7, 7),
        dt.date(2005, 3, 3),
        dt.date(1990, 11, 11),
        dt.date(1984, 8, 8),
        dt.date(1984, 8, 8),
        dt.date(2001, 1, 1),
    ],
}

CITIES = {
    "city": ["Taipei", "Tainan", "Kaohsiung", "Hsinchu"],
    "population": [2_500_000, 1_850_000, 2_740_000, 450_000],
}

Tables = dict[str, list[str]]


def write_resource(folder: Path, columns: dict[str, list[object]], parts: int = 1) -> list[str]:
    """Write ``columns`` as ``parts`` Parquet files (zstd) and return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    table = pa.table(columns)
    size = -(-table.num_rows // parts)
    paths = []
    for index in range(parts):
        path = folder / f"part-{index}.parquet"
        pq.write_table(table.slice(index * size, size), path, compression="zstd")
        paths.append(str(path))
    return paths


def make_tables(root: Path) -> Tables:
    people_v1 = write_resource(root / "people" / "v1", PEOPLE_V1)
    people_v2 = write_resource(root / "people" / "v2", PEOPLE, parts=3)
    cities = write_resource(root / "cities" / "v1", CITIES)
    return {
        "people": people_v2,
        "people__v1": people_v1,
        "people__v2": people_v2,
        "cities": cities,
        "cities__v1": cities,
    }


@pytest.fixture
def tables(tmp_path: Path) -> Tables:
    return make_tables(tmp_path / "tables")


@pytest.fixture
def resolver(tables: Tables) -> Callable[[str], list[str] | None]:
    return tables.get


@pytest.fixture
def query_settings(tmp_path: Path) -> Settings:
    return load_settings(
        {}, data_dir=tmp_path / "data", query_timeout=1.0, query_memory_limit="256MB"
    )
