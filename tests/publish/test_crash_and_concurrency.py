"""Real processes: concurrent publishes to one resource, and publishes killed with SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from kaifang.catalog import create_organization, history, open_catalog
from kaifang.publish import publish_file
from kaifang.query.resolver import catalog_resolver
from kaifang.settings import Settings, env_name
from kaifang.storage import VersionStore, parquet_scan_sql
from tests.publishing import ORG, WriteCsv

REPO = Path(__file__).resolve().parents[2]


def publish_process(settings: Settings, file: Path, dataset: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), env_name("database_url"): settings.database_url}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kaifang",
            "--data-dir",
            str(settings.data_dir),
            "publish",
            str(file),
            "--org",
            ORG,
            "--dataset",
            dataset,
            "--resource",
            "trips",
            "--json",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def count_rows(settings: Settings, resource: str, version: int) -> int:
    files = VersionStore(settings).version_files(resource, version)
    ((count,),) = duckdb.sql(f"SELECT count(*) FROM {parquet_scan_sql(files)}").fetchall()
    return int(count)


def assert_consistent(settings: Settings, resource: str) -> dict[str, object]:
    """Every registered version is readable with its row count; current is the newest."""
    with open_catalog(settings) as catalog:
        found = history(catalog, resource).to_dict()
    versions = found["versions"]
    assert isinstance(versions, list)
    assert found["current"] == versions[-1]["version"]
    for v in versions:
        assert count_rows(settings, resource, v["version"]) == v["rows"]
    return found


@pytest.mark.slow
def test_concurrent_publishes_to_one_resource_are_all_kept(
    org_settings: Settings, write_csv: WriteCsv
) -> None:
    first = publish_file(
        org_settings, write_csv("trips.csv", ["id"], [[0]]), org=ORG, title="Trips"
    )
    files = [write_csv(f"p{n}/trips.csv", ["id"], [[n]] * (n + 1)) for n in range(1, 5)]
    procs = [publish_process(org_settings, f, first.dataset) for f in files]
    for proc in procs:
        _, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err
    found = assert_consistent(org_settings, first.resource)
    versions = found["versions"]
    assert isinstance(versions, list)
    assert [v["version"] for v in versions] == [1, 2, 3, 4, 5]
    assert sorted(v["rows"] for v in versions[1:]) == [2, 3, 4, 5]


def test_a_version_stored_but_never_registered_is_skipped(
    org_settings: Settings, write_csv: WriteCsv
) -> None:
    """The state a crash between the storage commit and the catalog commit leaves."""
    first = publish_file(
        org_settings, write_csv("trips.csv", ["id"], [[1], [2]]), org=ORG, title="Trips"
    )
    store = VersionStore(org_settings)
    files = store.version_files(first.resource, 1)
    orphan = duckdb.sql(f"SELECT * FROM {parquet_scan_sql(files)}").to_arrow_reader(100)
    with store.lock(first.resource):
        store.write_version(first.resource, 2, orphan, {"orphan": True})
    with open_catalog(org_settings) as catalog:
        assert history(catalog, first.resource).current == 1
        assert catalog_resolver(catalog, store)(f"{first.resource}__v2") is None
    result = publish_file(
        org_settings, write_csv("trips.csv", ["id"], [[3]]), org=ORG, dataset=first.dataset
    )
    assert result.version == 3
    found = assert_consistent(org_settings, first.resource)
    versions = found["versions"]
    assert isinstance(versions, list)
    assert [v["version"] for v in versions] == [1, 3]
    assert store.list_versions(first.resource) == [1, 2, 3]


@pytest.mark.slow
def test_kill_9_during_publish_leaves_a_readable_current_version(
    settings: Settings, write_csv: WriteCsv
) -> None:
    with open_catalog(settings) as catalog:
        create_organization(catalog, ORG, name="org")
    first = publish_file(
        settings,
        write_csv("trips.csv", ["id", "t"], [[0, "2023-01-01 00:00:00"]]),  # the big file's types
        org=ORG,
        title="Trips",
    )
    rows = [[i, f"2023-01-01 00:{i % 60:02d}:00"] for i in range(300_000)]
    big = write_csv("big/trips.csv", ["id", "t"], rows)
    started = time.monotonic()
    proc = publish_process(settings, big, first.dataset)
    proc.communicate(timeout=240)
    full = time.monotonic() - started
    assert proc.returncode == 0
    for n, fraction in enumerate((0.5, 0.75, 0.9, 0.97, 1.03)):
        variant = write_csv(f"big{n}/trips.csv", ["id", "t"], [*rows, [n, "y"]])
        before = assert_consistent(settings, first.resource)
        proc = publish_process(settings, variant, first.dataset)
        time.sleep(full * fraction)
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
        after = assert_consistent(settings, first.resource)
        assert after["current"] in (
            before["current"],
            max(VersionStore(settings).list_versions(first.resource)),
        )
    killed = assert_consistent(settings, first.resource)["versions"]
    assert isinstance(killed, list)
    assert len(killed) < 2 + 5, "every kill came after the publish finished: kill earlier"
    last = publish_file(
        settings,
        write_csv("end/trips.csv", ["id", "t"], [[1, "2023-01-02 00:00:00"]]),
        org=ORG,
        dataset=first.dataset,
    )
    assert last.version == max(VersionStore(settings).list_versions(first.resource))
    assert_consistent(settings, first.resource)
