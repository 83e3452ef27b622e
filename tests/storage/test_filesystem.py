"""Settings → storage location: local folders, file:// URLs, S3 URLs and their mistakes."""

from __future__ import annotations

from pathlib import Path

import pyarrow.fs as pafs
import pytest

from kaifang.errors import ValidationError
from kaifang.settings import Settings, load_settings
from kaifang.storage.filesystem import open_location


def test_default_is_the_tables_folder_of_the_data_dir(settings: Settings) -> None:
    location = open_location(settings)
    assert location.is_local
    assert location.base == str((settings.data_dir / "tables").resolve())
    assert location.uri("theft", "v000001/part-0.parquet") == str(
        (settings.data_dir / "tables" / "theft" / "v000001" / "part-0.parquet").resolve()
    )


@pytest.mark.parametrize("form", ["plain", "file-url"])
def test_local_storage_url(tmp_path: Path, form: str) -> None:
    folder = tmp_path / "elsewhere"
    url = str(folder) if form == "plain" else f"file://{folder}"
    location = open_location(load_settings({}, data_dir=tmp_path, storage_url=url))
    assert (location.is_local, location.base) == (True, str(folder))


def test_s3_storage_url_builds_an_s3_filesystem(tmp_path: Path) -> None:
    settings = load_settings(
        {},
        data_dir=tmp_path,
        storage_url="s3://open-data/kaifang/tables/",
        s3_endpoint="https://s3.example.gov.tw",
        s3_access_key="key",
        s3_secret_key="secret",
        s3_region="ap-northeast-1",
    )
    location = open_location(settings)
    assert isinstance(location.filesystem, pafs.S3FileSystem)
    assert location.filesystem.region == "ap-northeast-1"
    assert (location.is_local, location.base) == (False, "open-data/kaifang/tables")
    assert location.uri("theft", "v000001/part-0.parquet") == (
        "s3://open-data/kaifang/tables/theft/v000001/part-0.parquet"
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"storage_url": "s3://"}, "names no bucket"),
        ({"storage_url": "s3:///prefix"}, "names no bucket"),
        ({"storage_url": "gs://bucket/x"}, "unsupported storage_url"),
        ({"storage_url": "s3://b", "s3_endpoint": "127.0.0.1:9000"}, "not an http"),
    ],
)
def test_bad_storage_settings_are_named(
    settings: Settings, changes: dict[str, str], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        open_location(settings.replace(**changes))
