"""Publish, version, query, download and roll back with tables on an S3-compatible server
(moto.server over HTTP on loopback) exactly as on local disk; catalog on SQLite and PostgreSQL."""

from __future__ import annotations

import csv as csv_module
import io
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

from kaifang.app import create_app
from kaifang.catalog import create_organization, open_catalog
from kaifang.publish import publish_file, rollback
from kaifang.service import Service
from kaifang.settings import Settings
from kaifang.storage import VersionStore
from tests.storage.s3_server import ACCESS_KEY, REGION, SECRET_KEY, S3Server, running_s3_server

ORG = "379130000E"
HEADER = "編號,案類,發生日期,發生地點"
FIRST = ["1,住宅竊盜,2023-01-01,大安分局", "2,汽車竊盜,2023-01-02,信義分局"]
SECOND = [*FIRST, "3,機車竊盜,2023-01-03,中山分局"]


@pytest.fixture(scope="module")
def s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    with running_s3_server(tmp_path_factory.mktemp("s3") / "server.log") as server:
        yield server


@pytest.fixture
def s3_portal_settings(catalog_settings: Settings, s3: S3Server, tmp_path: Path) -> Settings:
    """Catalog on SQLite or PostgreSQL, tables in a fresh bucket; organization created."""
    bucket = f"kaifang-{tmp_path.name.lower().replace('_', '-')[-40:]}"
    s3.create_bucket(bucket)
    settings = catalog_settings.replace(
        storage_url=f"s3://{bucket}/tables",
        s3_endpoint=s3.endpoint,
        s3_access_key=ACCESS_KEY,
        s3_secret_key=SECRET_KEY,
        s3_region=REGION,
    )
    with open_catalog(settings) as catalog:
        create_organization(catalog, ORG, name="臺北市政府警察局")
    return settings


def write_csv(folder: Path, name: str, lines: list[str]) -> Path:
    path = folder / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def test_publish_query_download_rollback_on_object_storage(
    s3_portal_settings: Settings, tmp_path: Path
) -> None:
    settings = s3_portal_settings
    first = publish_file(settings, write_csv(tmp_path, "a.csv", FIRST), org=ORG, title="竊盜")
    rid = first.resource
    second = publish_file(
        settings,
        write_csv(tmp_path, "b.csv", SECOND),
        org=ORG,
        dataset=first.dataset,
        resource=rid,
    )
    assert (first.version, second.version) == (1, 2)
    assert not (settings.data_dir / "tables").exists()  # nothing written to local disk
    assert VersionStore(settings).version_files(rid, 2)[0].startswith("s3://")

    service = Service(settings)
    try:
        assert service.sql(f"SELECT count(*) FROM {rid}").rows == [(3,)]
        assert service.sql(f"SELECT count(*) FROM {rid}__v1").rows == [(2,)]
        joined = service.sql(f"SELECT count(*) FROM {rid} a JOIN {rid}__v1 b USING (編號)")
        assert joined.rows == [(2,)]
    finally:
        service.close()

    with TestClient(create_app(settings)) as client:
        csv = client.get(f"/api/resources/{rid}/download.csv")
        assert csv.status_code == 200, csv.text
        rows = list(csv_module.reader(io.StringIO(csv.text)))
        assert rows[0] == HEADER.split(",")
        assert [row[0] for row in rows[1:]] == ["1", "2", "3"]
        parquet = client.get(f"/api/resources/{rid}/download.parquet", params={"version": 1})
        assert parquet.status_code == 200
        assert pq.read_table(io.BytesIO(parquet.content)).num_rows == 2
        answer = client.get("/api/sql", params={"sql": f"SELECT max(編號) FROM {rid}"})
        assert answer.json()["rows"] == [[3]]

    back = rollback(settings, rid, to=1)
    assert (back.version, back.rollback_of) == (3, 1)
    service = Service(settings)
    try:
        assert service.sql(f"SELECT count(*) FROM {rid}").rows == [(2,)]
        assert service.sql(f"SELECT count(*) FROM {rid}__v2").rows == [(3,)]
    finally:
        service.close()


def test_users_sql_on_object_storage_runs_in_capped_workers(
    s3_portal_settings: Settings, tmp_path: Path
) -> None:
    """Tables in an object store are read by the SQL workers themselves (each opens the
    files on its own connection to the store), so the OS limits hold there too: a query
    that builds a 2 GB string outside DuckDB's memory limit is stopped in a worker."""
    settings = s3_portal_settings.replace(query_timeout=3.0, query_memory_budget="512MB")
    csv = write_csv(tmp_path, "a.csv", SECOND)
    rid = publish_file(settings, csv, org=ORG, title="竊盜").resource
    with TestClient(create_app(settings)) as client:
        answer = client.get("/api/sql", params={"sql": f"SELECT count(*) AS n FROM {rid}"})
        assert answer.status_code == 200, answer.text
        assert answer.json()["rows"] == [[3]]
        hostile = f"SELECT length(repeat('x', 2000000000)) + count(*) FROM {rid}"
        stopped = client.get("/api/sql", params={"sql": hostile})
        assert stopped.status_code == 400, stopped.text
        assert stopped.json()["error"]["code"] == "query_limit"
        again = client.get("/api/sql", params={"sql": f"SELECT max(編號) FROM {rid}"})
        assert again.json()["rows"] == [[3]]
