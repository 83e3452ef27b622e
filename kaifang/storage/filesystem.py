"""Settings → a ``pyarrow.fs`` filesystem and the base path that holds the resource folders.

Local disk is the default (``<data_dir>/tables``); ``storage_url = s3://bucket/prefix`` selects
an S3-compatible object store reached through ``s3_endpoint`` with the configured keys.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from kaifang.errors import NotFoundError, ValidationError
from kaifang.settings import Settings
from kaifang.storage.layout import MANIFEST_NAME, check_resource_id, version_dir
from kaifang.storage.manifest import file_entries, load_manifest

if TYPE_CHECKING:  # imported where a filesystem is made: local_has_version needs none
    import pyarrow.fs as pafs


@dataclass(frozen=True)
class StorageLocation:
    """A filesystem and the base path (in that filesystem's own terms) of the tables."""

    filesystem: pafs.FileSystem
    base: str
    is_local: bool

    def path(self, *segments: str) -> str:
        """The filesystem path of ``segments`` below the base."""
        return "/".join([self.base.rstrip("/"), *segments])

    def uri(self, *segments: str) -> str:
        """What a reader outside this process uses: an absolute local path or ``s3://...``."""
        return self.path(*segments) if self.is_local else f"s3://{self.path(*segments)}"


def open_location(settings: Settings) -> StorageLocation:
    """Build the storage location that ``settings`` describe."""
    import pyarrow.fs as pafs

    local = local_base(settings)
    if local is None:
        return _s3_location(settings, settings.tables_url)
    return StorageLocation(pafs.LocalFileSystem(), str(local), is_local=True)


def local_base(settings: Settings) -> Path | None:
    """The folder of a local store's resource folders; None for an object store."""
    url = settings.tables_url
    if url.startswith("s3://"):
        return None
    if "://" in url and not url.startswith("file://"):
        raise ValidationError(
            f"unsupported storage_url {url!r}",
            hint="Use a local directory, file:///path, or s3://bucket/prefix.",
            key="storage_url",
        )
    return Path(urlsplit(url).path if url.startswith("file://") else url).resolve()


class LocalVersions:
    """``read_manifest`` and ``version_files`` of a local store, read without PyArrow (the
    command line's quick reads: ``kaifang history`` compares versions in DuckDB by path)."""

    def __init__(self, base: Path) -> None:
        self.base = base

    def _folder(self, resource_id: str, version: int) -> Path:
        return self.base / check_resource_id(resource_id) / version_dir(version)

    def read_manifest(self, resource_id: str, version: int) -> dict[str, Any]:
        path = self._folder(resource_id, version) / MANIFEST_NAME
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise NotFoundError(
                f"resource {resource_id!r} has no version {version}",
                resource_id=resource_id,
                version=version,
            ) from None
        return load_manifest(raw, where=f"resource {resource_id!r} version {version}")

    def version_files(self, resource_id: str, version: int) -> list[str]:
        """Absolute paths of the version's Parquet files, in order."""
        manifest = self.read_manifest(resource_id, version)
        return [str(self.base / resource_id / e.path) for e in file_entries(manifest)]


def local_versions(settings: Settings) -> LocalVersions | None:
    """The local store of ``settings`` read without PyArrow; None for an object store."""
    base = local_base(settings)
    return LocalVersions(base) if base is not None else None


def local_has_version(settings: Settings) -> Callable[[str, int], bool] | None:
    """``VersionStore.has_version`` of a local store (whether a version's manifest exists)
    without PyArrow, for the command line's quick reads; None for an object store."""
    base = local_base(settings)
    if base is None:
        return None

    def has_version(resource_id: str, version: int) -> bool:
        check_resource_id(resource_id)
        return (base / resource_id / version_dir(version) / MANIFEST_NAME).is_file()

    return has_version


def _s3_location(settings: Settings, url: str) -> StorageLocation:
    parts = urlsplit(url)
    bucket, prefix = parts.netloc, parts.path.strip("/")
    if not bucket:
        raise ValidationError(
            f"storage_url {url!r} names no bucket",
            hint="Write it as s3://bucket or s3://bucket/prefix.",
            key="storage_url",
        )
    options: dict[str, object] = {"region": settings.s3_region}
    if settings.s3_access_key or settings.s3_secret_key:
        options["access_key"] = settings.s3_access_key
        options["secret_key"] = settings.s3_secret_key
    if settings.s3_endpoint:
        endpoint = urlsplit(settings.s3_endpoint)
        if endpoint.scheme not in {"http", "https"} or not endpoint.netloc:
            raise ValidationError(
                f"s3_endpoint {settings.s3_endpoint!r} is not an http(s) URL",
                hint="Write it like http://127.0.0.1:9000 or https://s3.example.gov.tw.",
                key="s3_endpoint",
            )
        options["endpoint_override"] = endpoint.netloc
        options["scheme"] = endpoint.scheme
    import pyarrow.fs as pafs

    filesystem = pafs.S3FileSystem(**options)
    base = f"{bucket}/{prefix}" if prefix else bucket
    return StorageLocation(filesystem, base, is_local=False)
