"""Partitioned versions keep their columns' stored types when queried: a `code=001` folder
never turns the code into the number 1. (The engine reads with Hive partitioning off; DuckDB
2.0 also keeps a column the files hold, so this guards the result, not that one setting.)"""

from __future__ import annotations

import pyarrow as pa

from kaifang.query import run_sql
from kaifang.settings import Settings
from kaifang.storage import VersionStore


def test_partition_column_keeps_leading_zeros(settings: Settings) -> None:
    store = VersionStore(settings)
    table = pa.table({"code": ["001", "001", "010"], "n": [1, 2, 3]})
    with store.lock("codes"):
        store.write_version("codes", 1, table.to_reader(), {}, partition_by="code")
    files = store.version_files("codes", 1)
    assert any("code=001" in path for path in files)

    def resolver(name: str) -> list[str] | None:
        return files if name == "codes" else None

    result = run_sql(
        "SELECT code, sum(n) AS n FROM codes GROUP BY code ORDER BY code",
        resolver=resolver,
        settings=settings,
    )
    assert result.rows == [("001", 3), ("010", 3)]
