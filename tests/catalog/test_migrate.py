"""A local data directory (SQLite + Parquet on disk) moved to PostgreSQL + object storage:
the same datasets answer the same queries, and publishing goes on there.

The source is a SQLite catalog on every run (that is what is migrated), hence ``sqlite``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from kaifang.catalog import create_organization, open_catalog
from kaifang.catalog.migrate import migrate_data_dir
from kaifang.catalog.models import Base
from kaifang.cli import cli
from kaifang.errors import ConflictError
from kaifang.publish import publish_file
from kaifang.service import Service
from kaifang.settings import Settings, load_settings
from tests.storage.s3_server import ACCESS_KEY, REGION, SECRET_KEY, S3Server, running_s3_server

pytestmark = [pytest.mark.postgres, pytest.mark.sqlite]
ORG = "379130000E"


@pytest.fixture(scope="module")
def s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    with running_s3_server(tmp_path_factory.mktemp("s3") / "server.log") as server:
        yield server


def test_local_data_directory_moves_to_postgres_and_s3(
    tmp_path: Path, fresh_postgres_url: str, s3: S3Server
) -> None:
    local = load_settings({}, data_dir=tmp_path / "local")
    with open_catalog(local) as catalog:
        create_organization(catalog, ORG, name="臺北市政府警察局")
    csv = tmp_path / "theft.csv"
    csv.write_text("編號,案類\n1,住宅竊盜\n2,汽車竊盜\n", encoding="utf-8")
    first = publish_file(local, csv, org=ORG, title="竊盜")
    csv.write_text("編號,案類\n1,住宅竊盜\n2,汽車竊盜\n3,機車竊盜\n", encoding="utf-8")
    publish_file(local, csv, org=ORG, dataset=first.dataset, resource=first.resource)

    s3.create_bucket("moved")
    target: Settings = local.replace(
        data_dir=tmp_path / "server",
        database_url=fresh_postgres_url,
        storage_url="s3://moved/tables",
        s3_endpoint=s3.endpoint,
        s3_access_key=ACCESS_KEY,
        s3_secret_key=SECRET_KEY,
        s3_region=REGION,
    )
    report = migrate_data_dir(local, target)
    assert report.catalog_rows["versions"] == 2
    assert report.files >= 4  # two versions, each a manifest and Parquet

    service = Service(target)
    try:
        rid = first.resource
        assert service.sql(f"SELECT count(*) FROM {rid}").rows == [(3,)]
        assert service.sql(f"SELECT count(*) FROM {rid}__v1").rows == [(2,)]
    finally:
        service.close()
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n", encoding="utf-8")
    assert publish_file(target, other, org=ORG, title="新的").created_dataset  # fresh ids

    with pytest.raises(ConflictError, match="not empty"):
        migrate_data_dir(local, target)


def _local_data_dir(tmp_path: Path) -> tuple[Settings, str]:
    """A local data directory (SQLite catalog) with one published resource, and its id."""
    local = load_settings({}, data_dir=tmp_path / "local")
    with open_catalog(local) as catalog:
        create_organization(catalog, ORG, name="臺北市政府警察局")
    csv = tmp_path / "theft.csv"
    csv.write_text("編號,案類\n1,住宅竊盜\n2,汽車竊盜\n", encoding="utf-8")
    return local, publish_file(local, csv, org=ORG, title="竊盜").resource


NO_ENV = {"KAIFANG_DATABASE_URL": None, "KAIFANG_STORAGE_URL": None, "KAIFANG_DATA_DIR": None}


def test_migrate_command_moves_catalog_and_tables_to_postgres(
    runner: CliRunner, tmp_path: Path, fresh_postgres_url: str
) -> None:
    local, resource = _local_data_dir(tmp_path)
    tables = tmp_path / "server" / "tables"
    args = ["--data-dir", str(local.data_dir), "catalog", "migrate", "--to", fresh_postgres_url]
    result = runner.invoke(cli, [*args, "--tables-to", str(tables), "--json"], env=NO_ENV)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    target = local.replace(data_dir=tmp_path / "server", database_url=fresh_postgres_url)
    with open_catalog(target) as catalog, catalog.engine.connect() as conn:
        counted = {
            table.name: conn.execute(select(func.count()).select_from(table)).scalar_one()
            for table in Base.metadata.sorted_tables
        }
    assert report["catalog_rows"] == counted
    assert report["catalog_rows"]["versions"] == 1
    assert report["files"] == sum(1 for path in tables.rglob("*") if path.is_file()) >= 2
    service = Service(target)
    try:
        assert service.sql(f"SELECT count(*) FROM {resource}").rows == [(2,)]
    finally:
        service.close()

    again = runner.invoke(cli, args, env=NO_ENV)
    assert again.exit_code == 1
    assert "is not empty" in str(again.exception)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--to", "mysql://u@h/db"], "--to 'mysql://u@h/db': unsupported database 'mysql'"),
        (["--to", "not a url"], "--to 'not a url' is not a database URL"),
        (["--to", "sqlite://"], "names no SQLite file"),
        (["--from", "sqlite:///{tmp}/missing.sqlite", "--to", "sqlite:///{tmp}/new.sqlite"],
         "no catalog to migrate at"),
        (["--to", "sqlite:///{tmp}/local/catalog.sqlite"], "catalogs are the same"),
        (["--to", "sqlite:///{tmp}/new.sqlite", "--tables-to", "{tmp}/local/tables"],
         "source and target table storage are the same"),
    ],
)  # fmt: skip
def test_migrate_command_refuses_bad_input(
    runner: CliRunner, tmp_path: Path, options: list[str], message: str
) -> None:
    local, _ = _local_data_dir(tmp_path)
    filled = [option.replace("{tmp}", str(tmp_path)) for option in options]
    result = runner.invoke(
        cli, ["--data-dir", str(local.data_dir), "catalog", "migrate", *filled], env=NO_ENV
    )
    assert result.exit_code == 1
    assert message in str(result.exception)
    assert not (tmp_path / "missing.sqlite").exists()
